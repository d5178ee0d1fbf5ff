package org.mictlanx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process read from {@code /proc/PID/stat} (Linux): utime + stime, fields 14 and 15,
 * in clock ticks of {@code ticksPerSecond} (getconf CLK_TCK, 100 on Linux x86-64).
 */
public record ProcCpu(long pid, int ticksPerSecond) {

    /** Milliseconds of user + system CPU so far, -1 when /proc is not readable (not Linux, process gone). */
    public long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) is in parentheses and may hold spaces: split after its ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / ticksPerSecond;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

package org.mictlanx.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process read from {@code /proc/PID/stat} (Linux): utime + stime, fields 14 and 15,
 * in clock ticks of {@code ticksPerSecond} (getconf CLK_TCK, 100 on Linux x86-64), less the time of its
 * JIT compiler threads ({@code C1/C2 CompilerThre...} in {@code /proc/PID/task/TID/comm}): compiling is
 * warm-up, not work per operation, and in cells of a few seconds it was up to half a server's CPU
 * (measured in session 6: 1.4 of 4.6 CPU seconds during a PUT 1 MiB c1 cell). Both JVMs compared (MictlanX
 * and s3proxy) are measured the same way.
 */
public record ProcCpu(long pid, int ticksPerSecond) {

    /** Milliseconds of user + system CPU so far outside the JIT compiler, -1 when /proc is not readable. */
    public long cpuMillis() {
        long all = ticks(Path.of("/proc/" + pid + "/stat"));
        if (all < 0) return -1;
        return (all - compilerTicks()) * 1000 / ticksPerSecond;
    }

    /** Milliseconds of user + system CPU so far, the JIT compiler's included; -1 when /proc is not readable. */
    public long totalCpuMillis() {
        long all = ticks(Path.of("/proc/" + pid + "/stat"));
        return all < 0 ? -1 : all * 1000 / ticksPerSecond;
    }

    private long compilerTicks() {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    if (!Files.readString(task.resolve("comm")).contains("CompilerThre")) continue;
                } catch (IOException e) {
                    continue; // the thread ended
                }
                long t = ticks(task.resolve("stat"));
                if (t > 0) sum += t;
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return sum;
    }

    private static long ticks(Path stat) {
        try {
            String s = Files.readString(stat);
            // The command name (field 2) is in parentheses and may hold spaces: split after its ')'.
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

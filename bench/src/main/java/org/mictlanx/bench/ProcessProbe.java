package org.mictlanx.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * What a server costs besides CPU, read from Linux's {@code /proc} and the file system: its resident
 * set ({@code VmRSS}) and the bytes of the files under a directory tree (the peers' data dirs).
 */
public final class ProcessProbe {

    private ProcessProbe() {
    }

    /** The resident set of process {@code pid} in bytes ({@code VmRSS} of /proc/PID/status), -1 if unreadable. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return kib(line.substring(6)) * 1024;
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code "  123456 kB"} to 123456. */
    static long kib(String field) {
        String t = field.strip();
        int sp = t.indexOf(' ');
        return Long.parseLong(sp < 0 ? t : t.substring(0, sp));
    }

    /**
     * The summed size of the regular files under {@code dir} (0 when it does not exist); files that
     * vanish during the walk (RocksDB compaction deletes its inputs) are skipped.
     */
    public static long treeBytes(Path dir) {
        for (int attempt = 1; ; attempt++) {
            if (!Files.isDirectory(dir)) return 0;
            try (Stream<Path> all = Files.walk(dir)) {
                return all.mapToLong(ProcessProbe::sizeIfFile).sum();
            } catch (UncheckedIOException e) {
                // a directory vanished under the walk: walk again, a few times at most
                if (!(e.getCause() instanceof NoSuchFileException) || attempt >= 5) throw e;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static long sizeIfFile(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.isRegularFile() ? a.size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}

package org.mictlanx.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Small helpers for files the server keeps in its data directory. */
public final class DataDirs {

    private DataDirs() {
    }

    /** Restricts a file (rw-------) or directory (rwx------) to its owner where POSIX permissions exist. */
    public static void ownerOnly(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (e.g. Windows): its ACLs apply instead.
        }
    }

    /**
     * Writes {@code content} to {@code file} atomically with owner-only permissions, unless the
     * file already exists. Returns the content now in the file (the existing one wins a race).
     */
    public static String writeOnce(Path file, String content) throws IOException {
        if (Files.exists(file)) return Files.readString(file).strip();
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        ownerOnly(tmp);
        Files.writeString(tmp, content + "\n");
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            if (!Files.exists(file)) throw e;
        }
        return Files.readString(file).strip();
    }
}

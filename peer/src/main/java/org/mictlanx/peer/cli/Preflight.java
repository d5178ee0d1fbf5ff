package org.mictlanx.peer.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Start-up checks run before a role writes anything (credentials, keys, peer data), so a second start
 * on the same port or data directory fails with one clear line and leaves nothing behind:
 * <ul>
 *   <li>{@link #portFree}: the listening port can be bound now (the real bind follows within the same
 *       start; a port taken in between still fails the start, with the bind's own error);</li>
 *   <li>{@link #lockDataDir}: the data directory exists or can be created, is writable, and is not held by
 *       another MictlanX process (an exclusive OS file lock on {@value #LOCK_FILE}, held until the returned
 *       lock is closed or the process ends, so a crashed process never leaves a stale lock).</li>
 * </ul>
 * Every failure is a {@link Refused} whose message is the one line to print (exit status 1: the
 * environment, not the command line, is at fault).
 */
public final class Preflight {

    /** The lock file kept in a data directory while a process uses it. */
    public static final String LOCK_FILE = "mictlanx.lock";

    private Preflight() {
    }

    /** A start refused by the environment (port taken, data directory unusable); the message is the line to print. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Fails when {@code host:port} cannot be bound now; port 0 (any free port) always passes. */
    public static void portFree(String host, int port) {
        portFree(host, port, "--port");
    }

    /** As {@link #portFree(String, int)}; {@code flag} is the option the refusal tells the operator to change. */
    public static void portFree(String host, int port, String flag) {
        if (port == 0) return;
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new Refused("port " + port + " on " + host + " is in use (or not bindable: " + e.getMessage()
                    + "); stop what listens there or choose another with " + flag);
        }
    }

    /** A held lock on a data directory; {@link #close()} releases it. */
    public static final class DataDirLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private DataDirLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /** Creates {@code dir} if needed (owner-only, as the peer's store does), checks it is writable and locks it for this process. */
    public static DataDirLock lockDataDir(Path dir) {
        try {
            org.mictlanx.peer.store.OwnerOnly.directory(dir); // created owner-only (0700), parents included
        } catch (AccessDeniedException e) {
            throw notWritable(dir, "permission denied");
        } catch (FileSystemException e) {
            throw notWritable(dir, e.getReason() == null ? e.getClass().getSimpleName() : e.getReason());
        } catch (IOException e) {
            throw notWritable(dir, e.getMessage());
        }
        if (!Files.isDirectory(dir)) throw notWritable(dir, "not a directory");
        if (!Files.isWritable(dir)) throw notWritable(dir, "permission denied");
        FileChannel channel;
        try {
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw notWritable(dir, e.getMessage());
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) return new DataDirLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            // held by this very process (another role started in the same JVM)
        } catch (IOException e) {
            closeQuietly(channel);
            throw notWritable(dir, e.getMessage());
        }
        closeQuietly(channel);
        throw new Refused("data directory " + dir + " is in use by another MictlanX process (it holds "
                + dir.resolve(LOCK_FILE) + "); stop that process or choose another data directory");
    }

    private static Refused notWritable(Path dir, String why) {
        return new Refused("data directory " + dir + " is not writable (" + why
                + "); fix its permissions or choose another data directory");
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}

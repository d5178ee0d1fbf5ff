package org.mictlanx.peer.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.mictlanx.peer.api.PeerException;

/**
 * Owner-only protection of a peer's data directory: the directory (and any parent this creates) is
 * {@code rwx------}, the files in it {@code rw-------}. RocksDB creates its later files with the
 * process umask (the launchers set {@code umask 077}); whatever their mode, the 0700 directory keeps
 * other users out. On file systems without POSIX permissions nothing is changed (their ACLs apply).
 */
public final class OwnerOnly {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /**
     * Opens the RocksDB store of peer {@code peerId} under {@code dir} (with a {@link DiskGuard} keeping
     * {@code reserveBytes} free) owner-only: the directory made so first ({@link #directory}; one this user
     * does not own is warned about and used as it is), then the store's files ({@link #files}).
     * UNAVAILABLE when either fails.
     */
    public static RocksDatabase openStore(Path dir, long reserveBytes, String peerId) {
        try {
            if (!directory(dir)) {
                org.slf4j.LoggerFactory.getLogger(OwnerOnly.class).warn("peer {}: data directory {} is not owned by this user and "
                        + "stays accessible beyond it; use a subdirectory of it as the data directory to make it owner-only", peerId, dir);
            }
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "cannot create " + dir + " owner-only", e);
        }
        RocksDatabase db = new RocksDatabase(dir, new DiskGuard(dir, reserveBytes));
        try {
            files(dir);
        } catch (IOException e) {
            db.close();
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "cannot restrict the files of " + dir + " to their owner", e);
        }
        return db;
    }

    /**
     * Creates {@code dir} (and missing parents) owner-only, and restricts it when it already existed.
     * Returns false when an existing directory could not be restricted because this process does not
     * own it (e.g. a volume root mounted by Kubernetes with an {@code fsGroup}); the caller warns.
     */
    public static boolean directory(Path dir) throws IOException {
        if (!posix(dir.toAbsolutePath().getRoot())) {
            Files.createDirectories(dir);
            return true;
        }
        FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(DIR);
        Files.createDirectories(dir, attr);
        if (Files.getPosixFilePermissions(dir).equals(DIR)) return true;
        try {
            Files.setPosixFilePermissions(dir, DIR);
            return true;
        } catch (java.nio.file.FileSystemException e) {
            return false;
        }
    }

    /** Restricts every regular file directly in {@code dir} that this process owns to its owner. */
    public static void files(Path dir) throws IOException {
        if (!posix(dir)) return;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                try {
                    Files.setPosixFilePermissions(f, FILE);
                } catch (java.nio.file.FileSystemException e) {
                    // not ours (left by another user): the owner-only directory still guards it
                }
            }
        }
    }

    private static boolean posix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}

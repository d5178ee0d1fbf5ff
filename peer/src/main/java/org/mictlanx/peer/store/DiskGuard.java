package org.mictlanx.peer.store;

import org.mictlanx.peer.api.PeerException;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses writes that would leave less than {@code reserveBytes} free on the data directory's file
 * system, so the store never runs into ENOSPC in the middle of a write (RocksDB would then turn
 * read-only). Writes that are refused change nothing.
 */
public final class DiskGuard {
    private final FileStore fileStore;
    private final long reserveBytes;

    public DiskGuard(Path dir, long reserveBytes) {
        try {
            this.fileStore = Files.getFileStore(dir);
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "cannot stat data dir " + dir, e);
        }
        this.reserveBytes = reserveBytes;
    }

    public long freeBytes() {
        try {
            return fileStore.getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Throws DISK_FULL when writing {@code bytes} more would cut into the reserve. */
    public void check(long bytes) {
        long free = freeBytes();
        if (free - bytes < reserveBytes) {
            throw new PeerException(PeerException.Kind.DISK_FULL,
                    "disk full: " + free + " bytes free, reserve " + reserveBytes + ", write " + bytes);
        }
    }

    public boolean full() {
        return freeBytes() < reserveBytes;
    }
}

package org.mictlanx.peer.store;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether a directory's file system takes {@code O_DIRECT} writes (ext4 and xfs do; tmpfs does not).
 * RocksDB refuses to open with direct I/O where it is unsupported, so the peer asks first.
 */
final class DirectIo {
    private DirectIo() {
    }

    /** Writes one aligned block to a probe file in {@code dir} with {@code O_DIRECT}; true if that worked. */
    static boolean supported(Path dir) {
        Path probe = dir.resolve(".direct-io-probe");
        try {
            int block = (int) Math.max(4096, Files.getFileStore(dir).getBlockSize());
            ByteBuffer buf = ByteBuffer.allocateDirect(2 * block).alignedSlice(block).limit(block);
            try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, ExtendedOpenOption.DIRECT)) {
                while (buf.hasRemaining()) ch.write(buf);
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // a leftover probe file is harmless
            }
        }
    }
}

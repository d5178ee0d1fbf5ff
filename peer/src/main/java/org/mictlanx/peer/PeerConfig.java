package org.mictlanx.peer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Configuration of one storage peer.
 *
 * @param id                 stable peer id (reported by health and stats)
 * @param dataDir            RocksDB directory; null for an in-memory peer (tests, ephemeral use)
 * @param maxChunkBytes      largest accepted chunk (default 16 MiB); larger puts get TOO_LARGE
 * @param diskReserveBytes   writes that would leave less free space than this get DISK_FULL
 * @param tombstoneTtl       tombstones older than this are purged
 * @param tombstoneSweepEvery period of the purge sweep
 * @param unloggedChunkMinBytes chunks of at least this size, when two or more are being put at once,
 *                           skip the WAL and are made durable by a shared synced flush (written once
 *                           instead of twice, and checksummed once by RocksDB instead of twice).
 *                           Default {@link #DEFAULT_UNLOGGED_CHUNK_MIN_BYTES} (4 MiB);
 *                           {@code Integer.MAX_VALUE} sends every chunk through the WAL (docs/performance.md)
 * @param scrubBytesPerSecond average read rate of the continuous background scrub of a RocksDB peer
 *                           (0: off). Default {@link #DEFAULT_SCRUB_BYTES_PER_SECOND}, 2 MiB/s: a pass over
 *                           1 TiB of chunks takes about 6 days
 */
public record PeerConfig(String id, Path dataDir, long maxChunkBytes, long diskReserveBytes,
                         Duration tombstoneTtl, Duration tombstoneSweepEvery, int unloggedChunkMinBytes,
                         long scrubBytesPerSecond) {
    public static final long DEFAULT_MAX_CHUNK_BYTES = 16L << 20;
    public static final int DEFAULT_UNLOGGED_CHUNK_MIN_BYTES = 4 << 20;
    public static final long DEFAULT_SCRUB_BYTES_PER_SECOND = 2L << 20;

    /** The configuration with the default scrub rate. */
    public PeerConfig(String id, Path dataDir, long maxChunkBytes, long diskReserveBytes,
                      Duration tombstoneTtl, Duration tombstoneSweepEvery, int unloggedChunkMinBytes) {
        this(id, dataDir, maxChunkBytes, diskReserveBytes, tombstoneTtl, tombstoneSweepEvery, unloggedChunkMinBytes,
                DEFAULT_SCRUB_BYTES_PER_SECOND);
    }

    public PeerConfig {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("peer id required");
        if (maxChunkBytes <= 0 || maxChunkBytes > Integer.MAX_VALUE - 64) throw new IllegalArgumentException("bad maxChunkBytes");
        if (diskReserveBytes < 0) throw new IllegalArgumentException("bad diskReserveBytes");
        if (unloggedChunkMinBytes < 1) throw new IllegalArgumentException("bad unloggedChunkMinBytes");
        if (scrubBytesPerSecond < 0) throw new IllegalArgumentException("bad scrubBytesPerSecond");
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    public PeerConfig withDiskReserveBytes(long reserve) {
        return new PeerConfig(id, dataDir, maxChunkBytes, reserve, tombstoneTtl, tombstoneSweepEvery, unloggedChunkMinBytes,
                scrubBytesPerSecond);
    }

    /** Builder with defaults: in-memory, 16 MiB chunks, 256 MiB reserve, 24 h tombstone TTL swept every 10 min. */
    public static final class Builder {
        private final String id;
        private Path dataDir;
        private long maxChunkBytes = DEFAULT_MAX_CHUNK_BYTES;
        private long diskReserveBytes = 256L << 20;
        private Duration tombstoneTtl = Duration.ofHours(24);
        private Duration tombstoneSweepEvery = Duration.ofMinutes(10);
        private int unloggedChunkMinBytes = DEFAULT_UNLOGGED_CHUNK_MIN_BYTES;
        private long scrubBytesPerSecond = DEFAULT_SCRUB_BYTES_PER_SECOND;

        private Builder(String id) {
            this.id = id;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder maxChunkBytes(long n) {
            this.maxChunkBytes = n;
            return this;
        }

        public Builder diskReserveBytes(long n) {
            this.diskReserveBytes = n;
            return this;
        }

        public Builder tombstoneTtl(Duration d) {
            this.tombstoneTtl = d;
            return this;
        }

        public Builder tombstoneSweepEvery(Duration d) {
            this.tombstoneSweepEvery = d;
            return this;
        }

        public Builder unloggedChunkMinBytes(int n) {
            this.unloggedChunkMinBytes = n;
            return this;
        }

        /** See {@link PeerConfig#scrubBytesPerSecond()}; 0 turns the background scrub off. */
        public Builder scrubBytesPerSecond(long n) {
            this.scrubBytesPerSecond = n;
            return this;
        }

        public PeerConfig build() {
            return new PeerConfig(id, dataDir, maxChunkBytes, diskReserveBytes, tombstoneTtl, tombstoneSweepEvery, unloggedChunkMinBytes,
                    scrubBytesPerSecond);
        }
    }
}

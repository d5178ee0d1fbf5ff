package org.mictlanx.peer.store;

/**
 * When the {@code chunks} family's blob garbage collection should be on.
 *
 * <p>Why it is not simply always on: RocksDB's integrated BlobDB GC is age based, not garbage based.
 * While it is enabled, <em>every</em> compaction relocates the live blobs of the oldest
 * {@code blob_garbage_collection_age_cutoff} of blob files that its input keys point to, whether those
 * files hold any garbage or not. Chunk ids are random, so each L0 compaction of {@code chunks} touches
 * nearly every key and rewrote about a quarter of all stored chunk bytes, every few memtable flushes,
 * on a store without a single delete (measured: 0.5 GB relocated during 1.5 GB of 8 MiB puts, ~60% of
 * one core in compaction; docs/performance.md). So GC runs only while enough of the blob bytes are
 * garbage, with hysteresis so that it does not flap:
 * <ul>
 *   <li>off → on when garbage ≥ {@link #ON_RATIO} of the live blob file bytes;
 *   <li>on → off when garbage ≤ {@link #OFF_RATIO}.
 * </ul>
 * Between the two it keeps its state. Space amplification is thereby bounded by about
 * {@code 1 / (1 - ON_RATIO)} plus what accumulates between two evaluations.
 */
record BlobGcPolicy(double onRatio, double offRatio) {
    static final double ON_RATIO = 0.25;
    static final double OFF_RATIO = 0.10;
    static final BlobGcPolicy DEFAULT = new BlobGcPolicy(ON_RATIO, OFF_RATIO);

    BlobGcPolicy {
        if (!(offRatio >= 0 && offRatio < onRatio && onRatio <= 1)) throw new IllegalArgumentException("need 0 <= off < on <= 1");
    }

    /**
     * The state GC should have, given its current state, the bytes of live blob files and how many of
     * them are garbage (RocksDB's {@code rocksdb.live-blob-file-size} and
     * {@code rocksdb.live-blob-file-garbage-size}).
     */
    boolean enabled(boolean currentlyEnabled, long liveBlobBytes, long garbageBytes) {
        if (liveBlobBytes <= 0) return false;
        double ratio = (double) garbageBytes / liveBlobBytes;
        return currentlyEnabled ? ratio > offRatio : ratio >= onRatio;
    }
}

package org.mictlanx.router.io;

import org.mictlanx.router.meta.Segment;

/**
 * Where the chunk paths report a chunk that needs its replicas checked: written to fewer than N
 * peers, or found missing or corrupt by a reader. Owned by {@code io} and implemented by the repair
 * side ({@code maint.RepairQueue}), so the dependency runs from {@code maint} to {@code io} only.
 */
@FunctionalInterface
public interface RepairReports {

    /**
     * Chunk {@code index} of {@code segment}, referred to by ball {@code bucket}/{@code key} or, when
     * {@code part} is not null, written for that multipart upload part, needs repair; {@code badPeer}
     * is the peer found missing or corrupt (null when unknown). Never blocks.
     */
    void chunkNeedsRepair(String bucket, String key, Segment segment, long index, String badPeer, PartRef part);

    /**
     * A GET of {@code bucket}/{@code key} was cut after its status line: no replica of chunk
     * {@code chunkId} could be read (the reader has logged it, and queued each bad copy through
     * {@link #chunkNeedsRepair}). Counted; never blocks.
     */
    default void getCut(String bucket, String key, String chunkId) {
    }

    /** As above, for a chunk of a ball's segment (no part). */
    default void chunkNeedsRepair(String bucket, String key, Segment segment, long index, String badPeer) {
        chunkNeedsRepair(bucket, key, segment, index, badPeer, null);
    }
}

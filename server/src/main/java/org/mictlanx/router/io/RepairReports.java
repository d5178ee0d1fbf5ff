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
     * Chunk {@code index} of {@code segment}, referred to by ball {@code bucket}/{@code key}, needs
     * repair; {@code badPeer} is the peer found missing or corrupt (null when unknown). Never blocks.
     */
    void chunkNeedsRepair(String bucket, String key, Segment segment, long index, String badPeer);
}

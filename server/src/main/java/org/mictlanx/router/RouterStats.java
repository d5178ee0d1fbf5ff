package org.mictlanx.router;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.mictlanx.router.maint.PeerRebuild;
import org.mictlanx.router.maint.RepairHints;

/**
 * What a router knows of its peers, and the progress of repair and GC; {@code hints}: the stored
 * repair hints ({@link RepairHints.Stats}); {@code rebuild}: the last online peer rebuild (null when
 * none ran since the router started).
 */
public record RouterStats(long layoutVersion, List<Peer> peers, Maintenance maintenance,
                          RepairHints.Stats hints, PeerRebuild.@Nullable Status rebuild) {

    public RouterStats {
        peers = List.copyOf(peers);
    }

    /**
     * Repair and GC counters, a consistent-enough snapshot for stats endpoints and tests.
     * {@code unrepairable}: chunks (not attempts) for which repair found no authentic replica to copy
     * from and that have not been repaired since; {@code repairQueued}: targeted repairs not yet
     * delivered (ready, parked under a down peer, or waiting to retry), of which {@code repairParked}
     * wait for a peer to return; {@code repairDropped}: tasks that did not fit (a full pass was run
     * for them instead); {@code wrongSizeFound}: copies a full pass (or rebuild) listed with a size
     * other than the record's (each was then replaced); {@code metadataChecked} / {@code metadataWritten}:
     * metadata records full passes and rebuilds compared with a replica's own listing, and of those
     * written to it (missing there or older); {@code getsCut}: GETs whose stream was ended after the
     * status line because no replica of a later chunk could be read (each logged at ERROR, its bad
     * copies queued for repair).
     */
    public record Maintenance(long repairPasses, boolean repairRunning, long chunksChecked, long replicasRestored,
                              long badReplicasReplaced, long bytesCopied, long unrepairable, long repairQueued,
                              long repairDropped, long gcPasses, long gcChunksDeleted, long gcMisplacedDeleted,
                              long repairParked, long wrongSizeFound, long metadataChecked, long metadataWritten,
                              long getsCut) {
    }

    /** One peer: up as last observed, whether it is draining, and its call latency EWMA. */
    public record Peer(String id, String url, String zone, boolean up, boolean draining, double latencyEwmaMillis) {
    }
}

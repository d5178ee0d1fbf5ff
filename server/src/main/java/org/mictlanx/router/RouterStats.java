package org.mictlanx.router;

import java.util.List;

/** What a router knows of its peers, and the progress of repair and GC. */
public record RouterStats(long layoutVersion, List<Peer> peers, Maintenance maintenance) {

    public RouterStats {
        peers = List.copyOf(peers);
    }

    /**
     * Repair and GC counters, a consistent-enough snapshot for stats endpoints and tests.
     * {@code unrepairable}: chunks (not attempts) for which repair found no authentic replica to copy
     * from and that have not been repaired since; {@code repairQueued}: targeted repairs not yet
     * delivered (ready, parked under a down peer, or waiting to retry), of which {@code repairParked}
     * wait for a peer to return; {@code repairDropped}: tasks that did not fit (a full pass was run
     * for them instead).
     */
    public record Maintenance(long repairPasses, boolean repairRunning, long chunksChecked, long replicasRestored,
                              long badReplicasReplaced, long bytesCopied, long unrepairable, long repairQueued,
                              long repairDropped, long gcPasses, long gcChunksDeleted, long gcMisplacedDeleted,
                              long repairParked) {
    }

    /** One peer: up as last observed, whether it is draining, and its call latency EWMA. */
    public record Peer(String id, String url, String zone, boolean up, boolean draining, double latencyEwmaMillis) {
    }
}

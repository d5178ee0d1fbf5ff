package org.mictlanx.router;

import java.util.List;
import org.mictlanx.router.maint.MaintenanceStats;
import org.mictlanx.router.maint.PeerRebuild;
import org.mictlanx.router.maint.RepairHints;

/**
 * What a router knows of its peers, and the progress of repair and GC; {@code hints}: the stored
 * repair hints ({@link RepairHints.Stats}); {@code rebuild}: the last online peer rebuild (null when
 * none ran since the router started).
 */
public record RouterStats(long layoutVersion, List<Peer> peers, MaintenanceStats.Snapshot maintenance,
                          RepairHints.Stats hints, PeerRebuild.Status rebuild) {

    public RouterStats {
        peers = List.copyOf(peers);
    }

    /** One peer: up as last observed, whether it is draining, and its call latency EWMA. */
    public record Peer(String id, String url, String zone, boolean up, boolean draining, double latencyEwmaMillis) {
    }
}

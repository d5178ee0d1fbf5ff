package org.mictlanx.router;

import java.util.List;
import org.mictlanx.router.maint.MaintenanceStats;

/** What a router knows of its peers, and the progress of repair and GC. */
public record RouterStats(long layoutVersion, List<Peer> peers, MaintenanceStats.Snapshot maintenance) {

    public RouterStats {
        peers = List.copyOf(peers);
    }

    /** One peer: up as last observed, whether it is draining, and its call latency EWMA. */
    public record Peer(String id, String url, String zone, boolean up, boolean draining, double latencyEwmaMillis) {
    }
}

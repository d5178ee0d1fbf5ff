package org.mictlanx.server;

import java.util.function.ToDoubleFunction;

import org.mictlanx.router.Router;
import org.mictlanx.router.RouterStats;
import org.mictlanx.router.maint.PeerRebuild;
import org.mictlanx.router.maint.RepairHints;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Router state as Prometheus gauges, read at scrape time: peer health (per peer of the layout at
 * start, and totals), replica latency, repair and GC progress, and the request buffer budget.
 */
final class RouterMetrics {

    private RouterMetrics() {
    }

    static void bind(Router router, MeterRegistry registry) {
        Gauge.builder("mictlanx_peers", router, r -> r.stats().peers().size()).description("peers in the layout").register(registry);
        Gauge.builder("mictlanx_master_rewrap_running", router, r -> r.masterRewrapStatus().state().equals("running") ? 1 : 0)
                .description("1 while the master key re-wrap runs").register(registry);
        Gauge.builder("mictlanx_master_rewrap_scanned", router, r -> r.masterRewrapStatus().scanned())
                .description("balls the master key re-wrap has looked at (this or the last run)").register(registry);
        Gauge.builder("mictlanx_master_rewrap_rewrapped", router, r -> r.masterRewrapStatus().rewrapped())
                .description("balls whose data keys were re-wrapped under the current master key").register(registry);
        Gauge.builder("mictlanx_master_rewrap_remaining", router, r -> r.masterRewrapStatus().remaining())
                .description("balls left under an old master key (changed during the run); run it again").register(registry);
        Gauge.builder("mictlanx_peers_up", router, r -> r.stats().peers().stream().filter(RouterStats.Peer::up).count())
                .description("peers answering health probes").register(registry);
        for (RouterStats.Peer p : router.stats().peers()) {
            Gauge.builder("mictlanx_peer_up", router, r -> peer(r, p.id(), x -> x.up() ? 1 : 0)).tag("peer", p.id()).register(registry);
            Gauge.builder("mictlanx_peer_latency_ms", router, r -> peer(r, p.id(), RouterStats.Peer::latencyEwmaMillis))
                    .tag("peer", p.id()).description("moving average of call latency").register(registry);
        }
        maintenance(registry, router, "mictlanx_repair_passes_total", RouterStats.Maintenance::repairPasses);
        maintenance(registry, router, "mictlanx_repair_running", s -> s.repairRunning() ? 1 : 0);
        maintenance(registry, router, "mictlanx_repair_chunks_checked_total", RouterStats.Maintenance::chunksChecked);
        maintenance(registry, router, "mictlanx_repair_replicas_restored_total", RouterStats.Maintenance::replicasRestored);
        maintenance(registry, router, "mictlanx_repair_bad_replicas_replaced_total", RouterStats.Maintenance::badReplicasReplaced);
        maintenance(registry, router, "mictlanx_repair_bytes_copied_total", RouterStats.Maintenance::bytesCopied);
        maintenance(registry, router, "mictlanx_repair_unrepairable", RouterStats.Maintenance::unrepairable);
        maintenance(registry, router, "mictlanx_repair_queued", RouterStats.Maintenance::repairQueued);
        maintenance(registry, router, "mictlanx_repair_parked", RouterStats.Maintenance::repairParked);
        maintenance(registry, router, "mictlanx_repair_dropped_total", RouterStats.Maintenance::repairDropped);
        maintenance(registry, router, "mictlanx_gc_chunks_deleted_total", RouterStats.Maintenance::gcChunksDeleted);
        maintenance(registry, router, "mictlanx_repair_wrong_size", RouterStats.Maintenance::wrongSizeFound);
        maintenance(registry, router, "mictlanx_repair_metadata_checked_total", RouterStats.Maintenance::metadataChecked);
        maintenance(registry, router, "mictlanx_repair_metadata_written_total", RouterStats.Maintenance::metadataWritten);
        maintenance(registry, router, "mictlanx_get_cut_total", RouterStats.Maintenance::getsCut);
        hints(registry, router, "mictlanx_repair_hints_pending", "live stored repair hints found by the last sweep", RepairHints.Stats::pending);
        hints(registry, router, "mictlanx_repair_hints_deferred", "hints of the last sweep left because a peer they need is down", RepairHints.Stats::deferred);
        hints(registry, router, "mictlanx_repair_hints_written", "repair hints this router stored", RepairHints.Stats::written);
        hints(registry, router, "mictlanx_repair_hints_swept", "repair hints this router settled and deleted", RepairHints.Stats::swept);
        hints(registry, router, "mictlanx_repair_hints_restored", "settled hints whose segment was repaired to N replicas", RepairHints.Stats::restored);
        hints(registry, router, "mictlanx_repair_hints_failed", "hint settle attempts that failed or left something owed (retried)", RepairHints.Stats::failed);
        Gauge.builder("mictlanx_peer_rebuild_running", router, r -> rebuild(r, s -> s.running() ? 1 : 0))
                .description("1 while an online peer rebuild runs").register(registry);
        Gauge.builder("mictlanx_peer_rebuild_segments_checked", router, r -> rebuild(r, PeerRebuild.Status::segmentsChecked))
                .description("segments the current (or last) peer rebuild has checked").register(registry);
        Gauge.builder("mictlanx_peer_rebuild_chunks_restored", router, r -> rebuild(r, PeerRebuild.Status::chunksRestored))
                .description("chunk copies the current (or last) peer rebuild wrote to the rebuilt peer").register(registry);
        Gauge.builder("mictlanx_request_buffer_bytes", router.bufferBudget(), b -> b.used())
                .description("bytes reserved by in-flight requests' buffers").register(registry);
        Gauge.builder("mictlanx_request_buffer_capacity_bytes", router.bufferBudget(), b -> b.capacity())
                .description("the request buffer budget").register(registry);
        Gauge.builder("mictlanx_request_buffer_refused_total", router.bufferBudget(), b -> b.refused())
                .description("buffer reservations refused (answered 503 SlowDown)").register(registry);
    }

    private static double peer(Router r, String id, ToDoubleFunction<RouterStats.Peer> f) {
        return r.stats().peers().stream().filter(p -> p.id().equals(id)).findFirst().map(f::applyAsDouble).orElse(Double.NaN);
    }

    private static void hints(MeterRegistry registry, Router router, String name, String description,
                              ToDoubleFunction<RepairHints.Stats> f) {
        Gauge.builder(name, router, r -> f.applyAsDouble(r.stats().hints())).description(description).register(registry);
    }

    /** {@code f} of the current (or last) peer rebuild; 0 when none ran. */
    private static double rebuild(Router router, ToDoubleFunction<PeerRebuild.Status> f) {
        PeerRebuild.Status s = router.stats().rebuild();
        return s == null ? 0 : f.applyAsDouble(s);
    }

    private static void maintenance(MeterRegistry registry, Router router, String name, ToDoubleFunction<RouterStats.Maintenance> f) {
        Gauge.builder(name, router, r -> f.applyAsDouble(r.stats().maintenance())).register(registry);
    }
}

package org.mictlanx.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mictlanx.peer.api.PeerStats;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.meta.LayoutStore;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.maint.GcService;
import org.mictlanx.router.maint.MaintenanceStats;
import org.mictlanx.router.maint.PeerRebuild;
import org.mictlanx.router.maint.RepairHints;
import org.mictlanx.router.maint.RepairQueue;
import org.mictlanx.router.maint.RepairService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster administration of one router: the layout (bootstrapped from the stored one, changed by
 * adding, draining, replacing and removing peers, each change stored on every peer), and what the
 * router knows of its peers ({@link #stats}, {@link #peerStats}). Layout changes are serialized.
 */
final class ClusterAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterAdmin.class);

    private final PeerPool pool;
    private final LayoutStore layouts;
    private final RepairService repair;
    private final GcService gc;
    private final ExecutorService io;
    private final MaintenanceStats maintenance;
    private final RepairQueue repairQueue;
    private final RepairHints hints;
    private final PeerRebuild rebuild;

    ClusterAdmin(PeerPool pool, LayoutStore layouts, RepairService repair, GcService gc, ExecutorService io,
                 MaintenanceStats maintenance, RepairQueue repairQueue, RepairHints hints, PeerRebuild rebuild) {
        this.pool = pool;
        this.layouts = layouts;
        this.repair = repair;
        this.gc = gc;
        this.io = io;
        this.maintenance = maintenance;
        this.repairQueue = repairQueue;
        this.hints = hints;
        this.rebuild = rebuild;
    }

    /** See {@link Router#rebuildPeer}. */
    PeerRebuild.Status rebuildPeer(String id) {
        return rebuild.start(id, "requested by an operator");
    }

    /** The layout this router currently uses. */
    ClusterLayout layout() {
        return pool.view().layout();
    }

    /** See {@link Router#addPeer}. */
    synchronized ClusterLayout addPeer(PeerDescriptor peer) {
        ClusterLayout next = storeAndApply(layout().withPeer(peer));
        io.execute(() -> RouterTimers.background(this::moveThenCollect));
        return next;
    }

    /** A repair pass to the current placement, then a GC pass that drops the misplaced replicas it made redundant. */
    private void moveThenCollect() {
        repair.fullPass(false);
        gc.pass();
    }

    /** See {@link Router#drainPeer}. */
    synchronized ClusterLayout drainPeer(String id) {
        storeAndApply(layout().withDraining(id));
        repair.fullPass(false);
        return storeAndApply(layout().without(id));
    }

    /** See {@link Router#replacePeer}. */
    synchronized ClusterLayout replacePeer(PeerDescriptor peer) {
        ClusterLayout next = storeAndApply(layout().withReplaced(peer));
        io.execute(() -> RouterTimers.background(this::moveThenCollect));
        return next;
    }

    /** See {@link Router#removePeer}. */
    synchronized ClusterLayout removePeer(String id) {
        ClusterLayout next = storeAndApply(layout().without(id));
        io.execute(() -> RouterTimers.background(() -> repair.fullPass(false)));
        return next;
    }

    private ClusterLayout storeAndApply(ClusterLayout next) {
        pool.apply(next);
        layouts.store(next, List.copyOf(pool.view().nodes().values()));
        return next;
    }

    /**
     * Applies the stored layout when it is at least as new as {@code configured}; otherwise applies
     * {@code configured} (version 1 when nothing was stored and it has none) and stores it.
     */
    void bootstrap(ClusterLayout configured) {
        Optional<ClusterLayout> stored;
        try {
            stored = layouts.load();
        } catch (RuntimeException e) {
            LOG.warn("could not read the stored layout: {}", e.toString());
            stored = Optional.empty();
        }
        if (stored.isPresent() && stored.get().version() >= configured.version()) {
            pool.apply(stored.get());
        } else {
            ClusterLayout toStore = stored.isPresent() || configured.version() > 0 ? configured
                    : new ClusterLayout(1, configured.peers(), configured.draining());
            pool.apply(toStore);
            try {
                layouts.store(pool.view().layout(), List.copyOf(pool.view().nodes().values()));
            } catch (RuntimeException e) {
                LOG.warn("could not store the layout yet (will use it locally): {}", e.getMessage());
            }
        }
    }

    /** See {@link Router#peerStats}. */
    Map<String, PeerStats> peerStats(Duration timeout) {
        Map<String, CompletableFuture<PeerStats>> asked = new LinkedHashMap<>();
        for (PeerNode n : pool.view().nodes().values()) {
            asked.put(n.id(), CompletableFuture.supplyAsync(() -> n.api().stats(), io));
        }
        Map<String, PeerStats> out = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var e : asked.entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException | TimeoutException ex) {
                e.getValue().cancel(true);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return out;
    }

    /** See {@link Router#stats}. */
    RouterStats stats() {
        List<RouterStats.Peer> peers = new ArrayList<>();
        PeerPool.View v = pool.view();
        for (PeerNode n : v.nodes().values()) {
            peers.add(new RouterStats.Peer(n.id(), n.descriptor().url(), n.descriptor().zone(), n.up(),
                    v.layout().draining().contains(n.id()), n.latencyEwmaMicros() / 1000.0));
        }
        return new RouterStats(v.layout().version(), peers, maintenance.snapshot(repairQueue), hints.stats(),
                rebuild.status());
    }
}

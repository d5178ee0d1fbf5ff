package org.mictlanx.router;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mictlanx.router.meta.LayoutStore;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.maint.GcService;
import org.mictlanx.router.maint.PeerWatch;
import org.mictlanx.router.maint.RepairHints;
import org.mictlanx.router.maint.RepairService;
import org.mictlanx.router.usage.UsageConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's background work and its schedule: the repair workers draining the repair queue, the
 * usage flush and recount, health probes with layout refresh, periodic repair passes, the repair
 * hint sweep, GC (with the purge of deleted KMS keys), and resuming an interrupted master re-wrap.
 * With background off, only the repair workers and the usage flush run; tests trigger the rest.
 */
final class RouterTimers {

    private static final Logger LOG = LoggerFactory.getLogger(RouterTimers.class);

    /** Workers draining the repair queue: several, so a peer's return is caught up in parallel (copies stay rate-limited). */
    static final int REPAIR_WORKERS = 4;

    private final RouterConfig config;
    private final PeerPool pool;
    private final LayoutStore layouts;
    private final ExecutorService io;
    private final RepairService repair;
    private final RepairHints hints;
    private final GcService gc;
    private final KeysAndUsage keysAndUsage;
    private final PeerWatch peerWatch;
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("router-timer").factory());
    private final List<Thread> repairWorkers = new ArrayList<>();
    /** A full pass has been requested and not started yet (requests coalesce). */
    private final AtomicBoolean passRequested = new AtomicBoolean();

    RouterTimers(RouterWiring w) {
        this.config = w.config;
        this.pool = w.pool;
        this.layouts = w.layouts;
        this.io = w.io;
        this.repair = w.repair;
        this.hints = w.hints;
        this.gc = w.gc;
        this.keysAndUsage = w.keysAndUsage;
        this.peerWatch = new PeerWatch(w.repairQueue, this::requestFullPass,
                id -> background(() -> w.rebuild.start(id, "the peer reports a damaged store")));
    }

    /** Starts the repair workers and schedules the periodic work ({@code background}: all of it, else the flush only). */
    void start(boolean background, UsageConfig usage) {
        for (int i = 0; i < REPAIR_WORKERS; i++) {
            repairWorkers.add(Thread.ofVirtual().name("router-repair-" + i).start(repair::drainQueue));
        }
        long flush = usage.flushInterval().toMillis();
        timers.scheduleWithFixedDelay(() -> background(keysAndUsage.ledger()::flush), flush, flush, TimeUnit.MILLISECONDS);
        if (background && !usage.recountInterval().isZero()) {
            long recount = usage.recountInterval().toMillis();
            timers.scheduleWithFixedDelay(() -> background(keysAndUsage.usage()::recountAll), recount, recount,
                    TimeUnit.MILLISECONDS);
        }
        if (background) {
            long probe = config.probeInterval().toMillis();
            timers.scheduleWithFixedDelay(this::probeAndRefresh, probe, probe, TimeUnit.MILLISECONDS);
            timers.scheduleWithFixedDelay(() -> background(() -> repair.fullPass(false)),
                    config.repairInterval().toMillis(), config.repairInterval().toMillis(), TimeUnit.MILLISECONDS);
            timers.scheduleWithFixedDelay(this::requestHintSweep, RepairHints.SWEEP_MILLIS, RepairHints.SWEEP_MILLIS,
                    TimeUnit.MILLISECONDS);
            timers.scheduleWithFixedDelay(() -> {
                background(gc::pass);
                background(keysAndUsage::purgeDeletedKmsKeys);
            }, config.gcInterval().toMillis(), config.gcInterval().toMillis(), TimeUnit.MILLISECONDS);
            io.execute(() -> background(keysAndUsage.masterRewrap()::resumeIfRunning));
        }
    }

    /** Probes every peer ({@link PeerWatch#probe}), then picks up a newer stored layout. */
    void probeAndRefresh() {
        peerWatch.probe(List.copyOf(pool.view().nodes().values()), io, probeTimeoutMillis());
        layouts.refresh();
    }

    /** A health probe slower than this counts as failed: twice the probe interval, at least 1 s, at most the call timeout. */
    private long probeTimeoutMillis() {
        long t = Math.max(1000, 2 * config.probeInterval().toMillis());
        return Math.min(t, config.callTimeout().toMillis());
    }

    /**
     * Settles the stored repair hints in the background ({@link RepairHints#sweep}) while some peer is
     * up; each hint is settled as soon as the peers it needs are up (others are deferred).
     */
    private void requestHintSweep() {
        if (pool.view().nodes().values().stream().noneMatch(PeerNode::up)) return;
        try {
            io.execute(() -> background(this::sweepHintsNow));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** See {@link Router#repairNow}. */
    void repairNow(boolean scrub) {
        repair.fullPass(scrub);
    }

    /** See {@link Router#gcNow}. */
    void gcNow() {
        gc.pass();
    }

    /** See {@link Router#sweepHintsNow}. */
    int sweepHintsNow() {
        int n = hints.sweep(repair);
        if (n > 0) LOG.info("settled {} stored repair hints", n);
        return n;
    }

    /** Runs a full repair pass in the background soon; requests made before it starts coalesce. */
    private void requestFullPass() {
        if (!passRequested.compareAndSet(false, true)) return;
        try {
            io.execute(() -> {
                passRequested.set(false);
                background(() -> repair.fullPass(false));
            });
        } catch (RejectedExecutionException e) {
            passRequested.set(false); // closing
        }
    }

    /**
     * Stops the router's threads in order: the master re-wrap and the schedule, then a final usage
     * flush, then the repair workers and every peer call in flight (waiting up to 5 s each), then the
     * peer clients the router opened.
     */
    void close() {
        keysAndUsage.masterRewrap().stop();
        timers.shutdownNow();
        keysAndUsage.finalFlush();
        repairWorkers.forEach(Thread::interrupt);
        io.shutdownNow();
        try {
            io.awaitTermination(5, TimeUnit.SECONDS);
            timers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }

    /** Runs {@code r}, logging (not throwing) its failure: one failed background job does not stop the schedule. */
    static void background(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("background task failed: {}", e.toString());
        }
    }
}

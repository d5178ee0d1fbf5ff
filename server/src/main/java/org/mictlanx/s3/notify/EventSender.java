package org.mictlanx.s3.notify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.mictlanx.s3.lifecycle.LifecycleWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the {@link EventOutbox}: one sender per router, but only the holder of the cluster lease
 * {@value #LEASE} sends; when that router dies its lease expires and another router's sender
 * continues from the queue (an entry is removed only after its target accepted it, so delivery is at
 * least once).
 *
 * <p>Each target has its own delivery lane: at most one task at a time per target, which reads up to
 * {@code laneBatch} of that target's events (oldest first, its own key range of the outbox) and
 * delivers them in order, stopping at the first failure. So a slow or dead target holds only its own
 * lane (one blocked thread, at most {@code laneBatch} events in memory) while the other targets go
 * on. A failed delivery puts the lane in backoff (1 s doubling to {@code maxBackoff}). Each tick also
 * sweeps up to {@code sweepPerTick} queued events of every target, dropping (and counting) those older
 * than {@code maxAge}: the bound on a target that stays down or was removed; a completed sweep
 * publishes the queue depth. Pending intents older than {@code pendingAfter} (a router died between a
 * write and its events) are resolved by the {@link PendingResolver}. S3 requests never wait for a
 * target: they only write the queue.
 */
public final class EventSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventSender.class);

    /** The lease's name. */
    public static final String LEASE = "notify";
    static final int PAGE = 100;

    /** Resolves a pending intent its router left behind (queues its events or not), then removes it. */
    public interface PendingResolver {
        void resolve(EventOutbox.Pending pending);
    }

    /**
     * @param interval     pause between ticks
     * @param maxAge       an undelivered event older than this is dropped
     * @param maxBackoff   longest pause of a failing target
     * @param sweepPerTick most queued events the sweep examines per tick (bounds one tick's work)
     * @param pendingAfter a pending intent older than this is resolved (longer than any write takes)
     * @param laneBatch    most events one lane task reads and delivers (its memory bound)
     */
    public record Settings(Duration interval, Duration maxAge, Duration maxBackoff, int sweepPerTick, Duration pendingAfter,
                           int laneBatch) {
        public Settings {
            if (interval.toMillis() < 1 || maxAge.toMillis() < 1 || maxBackoff.toMillis() < 1 || sweepPerTick < 1
                    || pendingAfter.toMillis() < 1 || laneBatch < 1) {
                throw new IllegalArgumentException("invalid notification sender settings");
            }
        }
    }

    /**
     * Progress: {@code queued} is the queue depth counted by the last completed sweep; {@code lanesBusy}
     * the targets being delivered to right now; {@code pendingResolved} intents resolved after a crash.
     */
    public record Stats(boolean leaseHeld, long queued, long delivered, long failed, long dropped, long lanesBusy,
                        long pendingResolved) {
    }

    /** One target's lane: one task at a time, with its backoff. */
    private final class Lane {
        final String arn;
        final AtomicBoolean running = new AtomicBoolean();
        volatile long backoffMillis;
        volatile long until;

        Lane(String arn) {
            this.arn = arn;
        }

        void kick(EventTarget target) {
            if (until > nowMillis.getAsLong() || !running.compareAndSet(false, true)) return;
            try {
                lanes.execute(() -> {
                    try {
                        drain(target);
                    } catch (RuntimeException e) {
                        LOG.warn("notification lane {} failed: {}", arn, e.toString());
                    } finally {
                        running.set(false);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                running.set(false);
            }
        }

        private void drain(EventTarget target) {
            for (EventOutbox.Entry e : outbox.page(arn, "", settings.laneBatch())) {
                if (closed || lease.heldFor() <= 0) return;
                try {
                    target.deliver(e.json());
                } catch (java.io.IOException | RuntimeException ex) {
                    failed.incrementAndGet();
                    backoffMillis = Math.min(settings.maxBackoff().toMillis(), Math.max(1000, backoffMillis * 2));
                    until = nowMillis.getAsLong() + backoffMillis;
                    LOG.info("notification to {} failed (retry in {} ms): {}", arn, backoffMillis, ex.toString());
                    return;
                }
                outbox.remove(e);
                delivered.incrementAndGet();
                backoffMillis = 0;
            }
        }
    }

    private final EventOutbox outbox;
    private final TargetRegistry targets;
    private final LifecycleWorker.Lease lease;
    private final Settings settings;
    private final LongSupplier nowMillis;
    private final PendingResolver resolver;
    private final ScheduledExecutorService timer;
    private final ExecutorService lanes;
    private final Map<String, Lane> byArn = new ConcurrentHashMap<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong resolved = new AtomicLong();
    private String sweepAfter = "";
    private long sweepCount;
    private volatile boolean leaseHeld;
    private volatile boolean closed;

    public EventSender(EventOutbox outbox, TargetRegistry targets, LifecycleWorker.Lease lease, Settings settings,
                       LongSupplier nowMillis, PendingResolver resolver) {
        this.outbox = outbox;
        this.targets = targets;
        this.lease = lease;
        this.settings = settings;
        this.nowMillis = nowMillis;
        this.resolver = resolver;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("notify-sender").factory());
        this.lanes = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("notify-lane-", 0).factory());
    }

    /** Starts ticking; returns this. */
    public EventSender start() {
        timer.scheduleWithFixedDelay(this::tick, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public Stats stats() {
        long busy = byArn.values().stream().filter(l -> l.running.get()).count();
        return new Stats(leaseHeld, queued.get(), delivered.get(), failed.get(), dropped.get(), busy, resolved.get());
    }

    /**
     * One pass: kick every target's lane, sweep, resolve old intents (also called by tests). Passes never
     * overlap (a test's pass waits for the timer's): the sweep's cursor and count belong to one pass.
     */
    synchronized void tick() {
        if (closed) return;
        try {
            leaseHeld = lease.acquire();
            if (!leaseHeld) return;
            for (EventTarget t : targets.all()) {
                byArn.computeIfAbsent(t.arn(), Lane::new).kick(t);
            }
            sweep();
            resolvePending();
        } catch (RuntimeException e) {
            LOG.warn("notification sender tick failed: {}", e.toString());
        }
    }

    /** Whether every lane is idle (tests). */
    boolean idle() {
        return byArn.values().stream().noneMatch(l -> l.running.get());
    }

    private void sweep() {
        long oldest = nowMillis.getAsLong() - settings.maxAge().toMillis();
        int seen = 0;
        while (seen < settings.sweepPerTick() && !closed) {
            List<EventOutbox.Entry> page = outbox.pageAll(sweepAfter, PAGE);
            for (EventOutbox.Entry e : page) {
                seen++;
                sweepAfter = e.sortKey();
                if (e.queuedAt() < oldest) {
                    outbox.remove(e);
                    dropped.incrementAndGet();
                    LOG.warn("notification for {} dropped: undelivered for longer than {}", e.arn(), settings.maxAge());
                } else {
                    sweepCount++;
                }
            }
            if (page.size() < PAGE) {
                queued.set(sweepCount);
                sweepCount = 0;
                sweepAfter = "";
                return;
            }
        }
    }

    private void resolvePending() {
        long before = nowMillis.getAsLong() - settings.pendingAfter().toMillis();
        for (EventOutbox.Pending p : outbox.pending("", PAGE)) {
            if (p.writtenAt() >= before || closed) return;
            try {
                resolver.resolve(p);
                resolved.incrementAndGet();
            } catch (RuntimeException e) {
                LOG.info("pending notification intent {} not resolved yet: {}", p.sortKey().substring(2), e.toString());
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        lanes.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
            lanes.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (leaseHeld) lease.release();
    }
}

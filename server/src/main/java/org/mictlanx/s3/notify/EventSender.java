package org.mictlanx.s3.notify;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.mictlanx.s3.lifecycle.LifecycleWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the {@link EventOutbox}: one sender per router, but only the holder of the cluster lease
 * {@value #LEASE} sends, so events leave in queue order; when that router dies its lease expires
 * and another router's sender continues from the queue (nothing is lost: an entry is removed only
 * after its target accepted it, so delivery is at least once).
 *
 * <p>Each tick walks the queue oldest first, {@value #PAGE} entries a page, up to {@code maxPerTick}
 * entries. A failed delivery puts its target in backoff (1 s doubling to {@code maxBackoff}); the
 * target's later entries are skipped until then, so its order is kept, and other targets go on. An
 * entry older than {@code maxAge} is dropped and counted ({@code dropped}): that is the bound on a
 * target that stays down. S3 requests never wait for a target: they only write the queue.
 */
public final class EventSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventSender.class);

    /** The lease's name. */
    public static final String LEASE = "notify";
    static final int PAGE = 100;

    /**
     * @param interval    pause between ticks
     * @param maxAge      an undelivered event older than this is dropped
     * @param maxBackoff  longest pause of a failing target
     * @param maxPerTick  most entries examined per tick (bounds one tick's work and memory)
     */
    public record Settings(Duration interval, Duration maxAge, Duration maxBackoff, int maxPerTick) {
        public Settings {
            if (interval.toMillis() < 1 || maxAge.toMillis() < 1 || maxBackoff.toMillis() < 1 || maxPerTick < 1) {
                throw new IllegalArgumentException("invalid notification sender settings");
            }
        }
    }

    /** Progress: {@code queued} is the queue depth last seen (capped at {@code maxPerTick}). */
    public record Stats(boolean leaseHeld, long queued, long delivered, long failed, long dropped) {
    }

    private final EventOutbox outbox;
    private final NotificationTargets targets;
    private final LifecycleWorker.Lease lease;
    private final Settings settings;
    private final LongSupplier nowMillis;
    private final ScheduledExecutorService timer;
    private final Map<String, Long> backoffUntil = new HashMap<>();
    private final Map<String, Long> backoff = new HashMap<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean leaseHeld;
    private volatile boolean closed;

    public EventSender(EventOutbox outbox, NotificationTargets targets, LifecycleWorker.Lease lease, Settings settings,
                       LongSupplier nowMillis) {
        this.outbox = outbox;
        this.targets = targets;
        this.lease = lease;
        this.settings = settings;
        this.nowMillis = nowMillis;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("notify-sender").factory());
    }

    /** Starts ticking; returns this. */
    public EventSender start() {
        timer.scheduleWithFixedDelay(this::tick, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public Stats stats() {
        return new Stats(leaseHeld, queued.get(), delivered.get(), failed.get(), dropped.get());
    }

    /** One pass over the queue (also called by tests). */
    void tick() {
        if (closed) return;
        try {
            leaseHeld = lease.acquire();
            if (!leaseHeld) return;
            long seen = 0;
            String after = "";
            Set<String> blocked = new HashSet<>();
            while (seen < settings.maxPerTick() && !closed && lease.heldFor() > 0) {
                List<EventOutbox.Entry> page = outbox.page(after, PAGE);
                for (EventOutbox.Entry e : page) {
                    seen++;
                    after = e.sortKey();
                    send(e, blocked);
                }
                if (page.size() < PAGE) break;
            }
            queued.set(seen - deliveredThisTick);
            deliveredThisTick = 0;
        } catch (RuntimeException e) {
            LOG.warn("notification sender tick failed: {}", e.toString());
        }
    }

    private long deliveredThisTick;

    private void send(EventOutbox.Entry e, Set<String> blocked) {
        long now = nowMillis.getAsLong();
        if ((e.sequence() >>> 16) < now - settings.maxAge().toMillis()) {
            outbox.remove(e);
            dropped.incrementAndGet();
            deliveredThisTick++;
            LOG.warn("notification for {} dropped: undelivered for longer than {}", e.arn(), settings.maxAge());
            return;
        }
        var target = targets.target(e.arn());
        if (target.isEmpty() || blocked.contains(e.arn())) {
            return; // a target no longer defined keeps its events until they age out (it may come back)
        }
        if (backoffUntil.getOrDefault(e.arn(), 0L) > now) {
            blocked.add(e.arn());
            return;
        }
        try {
            target.get().deliver(e.json());
            outbox.remove(e);
            delivered.incrementAndGet();
            deliveredThisTick++;
            backoff.remove(e.arn());
            backoffUntil.remove(e.arn());
        } catch (java.io.IOException | RuntimeException ex) {
            failed.incrementAndGet();
            long pause = Math.min(settings.maxBackoff().toMillis(), backoff.getOrDefault(e.arn(), 500L) * 2);
            backoff.put(e.arn(), pause);
            backoffUntil.put(e.arn(), now + pause);
            blocked.add(e.arn());
            LOG.info("notification to {} failed (retry in {} ms): {}", e.arn(), pause, ex.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (leaseHeld) lease.release();
    }
}

package org.mictlanx.server;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory publisher behind {@code admin trace}: finished requests go to every subscriber whose
 * {@link TraceFilter} they pass. Publishing never blocks and never waits for a subscriber: each has a
 * bounded queue, and an event that does not fit is dropped and counted for that subscriber (who is told).
 * With no subscriber, {@link #active()} is false and the request path builds no event at all.
 *
 * <p>At most {@link #MAX_SUBSCRIBERS} subscribe at once; {@link #close()} ends every subscription (so a
 * graceful shutdown does not wait for trace streams).
 */
public final class TracePublisher implements AutoCloseable {

    /** Subscribers at once, per router. */
    public static final int MAX_SUBSCRIBERS = 32;
    /** Queue capacity per subscriber when none is asked for, and the largest allowed. */
    public static final int DEFAULT_QUEUE = 1_000;
    public static final int MAX_QUEUE = 10_000;

    private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Whether anyone listens: the request path checks this before building an event. */
    public boolean active() {
        return !subscribers.isEmpty();
    }

    /** Offers the event to every matching subscriber without blocking; a full queue counts a drop. */
    public void publish(TraceEvent event) {
        for (Subscription s : subscribers) {
            if (s.filter.matches(event) && !s.queue.offer(event)) {
                s.dropped.incrementAndGet();
            }
        }
    }

    /**
     * A new subscription; close it when done.
     *
     * @param queueCapacity 1 .. {@link #MAX_QUEUE} events held for a subscriber that has not taken them yet
     * @throws IllegalStateException when {@link #MAX_SUBSCRIBERS} are already subscribed, or after {@link #close()}
     */
    public Subscription subscribe(TraceFilter filter, int queueCapacity) {
        if (queueCapacity < 1 || queueCapacity > MAX_QUEUE) {
            throw new IllegalArgumentException("queue must be 1.." + MAX_QUEUE + ", got " + queueCapacity);
        }
        synchronized (subscribers) {
            if (closed) throw new IllegalStateException("the server is stopping");
            if (subscribers.size() >= MAX_SUBSCRIBERS) {
                throw new IllegalStateException(MAX_SUBSCRIBERS + " trace subscribers already; try again later");
            }
            Subscription s = new Subscription(filter, queueCapacity);
            subscribers.add(s);
            return s;
        }
    }

    /** Subscribers now. */
    public int subscribers() {
        return subscribers.size();
    }

    /** Ends every subscription; later subscriptions are refused. */
    @Override
    public void close() {
        synchronized (subscribers) {
            closed = true;
            for (Subscription s : subscribers) s.ended = true;
            subscribers.clear();
        }
    }

    /** One subscriber's bounded queue and its drop count. */
    public final class Subscription implements AutoCloseable {
        private final TraceFilter filter;
        private final ArrayBlockingQueue<TraceEvent> queue;
        private final AtomicLong dropped = new AtomicLong();
        private volatile boolean ended;

        private Subscription(TraceFilter filter, int capacity) {
            this.filter = filter;
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        /** The next event, waiting at most {@code wait}; null when none came (or the subscription ended). */
        public TraceEvent poll(Duration wait) throws InterruptedException {
            return ended ? queue.poll() : queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** Events dropped since the last call (the queue was full), and resets the count. */
        public long takeDropped() {
            return dropped.getAndSet(0);
        }

        /** True once the subscription or the publisher was closed. */
        public boolean ended() {
            return ended;
        }

        @Override
        public void close() {
            ended = true;
            subscribers.remove(this);
        }
    }
}

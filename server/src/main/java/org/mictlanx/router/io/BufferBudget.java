package org.mictlanx.router.io;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One bound on the bytes that in-flight requests hold in buffers: chunk buffers filled from request
 * bodies, sealed chunks awaiting their replicas, aws-chunked decoding buffers, XML request bodies.
 * Whatever the number of connections and however slowly they send, the sum of what is reserved never
 * exceeds {@link #capacity()}.
 *
 * <p>Contract: every allocation point reserves through a {@link Lease} <em>before</em> allocating and
 * the lease is closed on every path (try/finally), which returns all it still holds. When the budget is
 * spent, {@link Lease#reserve} waits up to {@link #maxWait()} for other requests to return bytes and
 * then throws {@link Exhausted} (the S3 front door answers 503 SlowDown). A single reservation larger
 * than the whole capacity fails at once. Leases are safe to use from several threads (a put's sealed
 * chunks are returned by the threads that finish their replica writes).
 */
public final class BufferBudget {

    /** Thrown when a reservation could not be granted within the wait bound. */
    public static final class Exhausted extends RuntimeException {
        Exhausted(String message) {
            super(message, null, false, false);
        }
    }

    /** How long a reservation waits for room by default. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(2);

    private final long capacity;
    private final long maxWaitNanos;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition freed = lock.newCondition();
    private long used;
    private long refused;

    /**
     * @param capacity the most bytes reserved at once (positive)
     * @param maxWait  how long a reservation waits for room before failing (zero: never waits)
     */
    public BufferBudget(long capacity, Duration maxWait) {
        if (capacity <= 0) throw new IllegalArgumentException("buffer budget must be positive");
        if (maxWait.isNegative()) throw new IllegalArgumentException("negative wait");
        this.capacity = capacity;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** A budget that never refuses (tools and tests that do not exercise it). */
    public static BufferBudget unlimited() {
        return new BufferBudget(Long.MAX_VALUE, Duration.ZERO);
    }

    /** The default capacity: a quarter of the maximum heap. */
    public static long defaultCapacity() {
        return Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    public long capacity() {
        return capacity;
    }

    public Duration maxWait() {
        return Duration.ofNanos(maxWaitNanos);
    }

    /** Bytes reserved right now. */
    public long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    /** Reservations refused since start. */
    public long refused() {
        lock.lock();
        try {
            return refused;
        } finally {
            lock.unlock();
        }
    }

    /** A new, empty lease; close it on every path. */
    public Lease open() {
        return new Lease();
    }

    private void take(long bytes) {
        if (bytes > capacity) {
            countRefusal();
            throw new Exhausted("a buffer of " + bytes + " bytes exceeds the request buffer budget of " + capacity);
        }
        lock.lock();
        try {
            long remaining = maxWaitNanos;
            while (capacity - used < bytes) {
                if (remaining <= 0) {
                    refused++;
                    throw new Exhausted("the request buffer budget of " + capacity + " bytes is spent");
                }
                try {
                    remaining = freed.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    refused++;
                    throw new Exhausted("interrupted while waiting for request buffer budget");
                }
            }
            used += bytes;
        } finally {
            lock.unlock();
        }
    }

    private void countRefusal() {
        lock.lock();
        try {
            refused++;
        } finally {
            lock.unlock();
        }
    }

    private void give(long bytes) {
        if (bytes <= 0) return;
        lock.lock();
        try {
            used -= bytes;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The bytes one request (or one put) holds. {@link #reserve} adds to it, {@link #release} returns
     * part of it, {@link #close} returns the rest; releasing more than is held returns only what is held.
     */
    public final class Lease implements AutoCloseable {

        private long held;
        private boolean closed;

        private Lease() {
        }

        /**
         * Reserves {@code bytes} more, waiting up to the budget's wait bound.
         *
         * @throws Exhausted when the budget has no room in time, or the lease is closed
         */
        public void reserve(long bytes) {
            if (bytes <= 0) return;
            synchronized (this) {
                if (closed) throw new Exhausted("the request's buffer lease is closed");
            }
            take(bytes);
            boolean giveBack;
            synchronized (this) {
                giveBack = closed;
                if (!closed) held += bytes;
            }
            if (giveBack) {
                give(bytes);
                throw new Exhausted("the request's buffer lease is closed");
            }
        }

        /** Returns up to {@code bytes} of what this lease holds. */
        public void release(long bytes) {
            long back;
            synchronized (this) {
                back = Math.min(Math.max(bytes, 0), held);
                held -= back;
            }
            give(back);
        }

        /** Bytes this lease holds. */
        public synchronized long held() {
            return held;
        }

        /** Returns everything held; later reservations fail. Idempotent. */
        @Override
        public void close() {
            long back;
            synchronized (this) {
                closed = true;
                back = held;
                held = 0;
            }
            give(back);
        }
    }
}

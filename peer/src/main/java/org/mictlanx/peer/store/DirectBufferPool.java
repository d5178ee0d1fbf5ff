package org.mictlanx.peer.store;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code maxBuffers} direct buffers of {@code capacity} bytes each, created on first need
 * and reused for the life of the pool (never freed early, so memory stays bounded by
 * {@code maxBuffers * capacity} and reused pages stay resident). {@link #acquire()} never blocks and
 * {@link #acquire(long)} blocks at most as long as asked: when every buffer is lent out they answer null
 * and the caller takes its heap path. Thread-safe.
 */
public final class DirectBufferPool {
    private final int capacity;
    private final int maxBuffers;
    private final ArrayBlockingQueue<ByteBuffer> free;
    private final AtomicInteger created = new AtomicInteger();

    public DirectBufferPool(int maxBuffers, int capacity) {
        if (maxBuffers < 0 || capacity <= 0) throw new IllegalArgumentException("bad pool size");
        this.capacity = capacity;
        this.maxBuffers = maxBuffers;
        this.free = new ArrayBlockingQueue<>(Math.max(1, maxBuffers));
    }

    public int capacity() {
        return capacity;
    }

    /** A cleared buffer (position 0, limit = capacity), or null when all are in use. */
    public ByteBuffer acquire() {
        ByteBuffer b = free.poll();
        if (b != null) return b.clear();
        if (created.incrementAndGet() <= maxBuffers) return ByteBuffer.allocateDirect(capacity);
        created.decrementAndGet();
        return null;
    }

    /**
     * Like {@link #acquire()}, but when all buffers are lent out waits up to {@code waitMillis} for one
     * to come back; null if none did (or the thread was interrupted, whose flag is then kept).
     */
    public ByteBuffer acquire(long waitMillis) {
        ByteBuffer b = acquire();
        if (b != null || waitMillis <= 0) return b;
        try {
            b = free.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return b == null ? null : b.clear();
    }

    /** Gives back a buffer obtained from {@link #acquire()}; the caller must not touch it afterwards. */
    public void release(ByteBuffer b) {
        if (b.capacity() != capacity || !b.isDirect()) throw new IllegalArgumentException("not a buffer of this pool");
        if (!free.offer(b)) throw new IllegalStateException("more buffers released than acquired");
    }
}

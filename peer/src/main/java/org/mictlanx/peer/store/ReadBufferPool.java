package org.mictlanx.peer.store;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.mictlanx.peer.api.ChunkBuffer;

/**
 * Direct buffers that chunk reads are read into ({@link RocksChunkStore#readBuffer}), lent through
 * {@link ChunkBuffer}s. Capacities are rounded up to {@link #GRAIN} so that the few chunk sizes a store
 * holds share a few size classes. Bounded twice: at most {@code maxLentBytes} lent out at once (beyond it
 * {@link #acquire} answers null and the read takes its heap path) and at most {@code maxFreeBytes} kept
 * for reuse (a buffer given back beyond it is left to the garbage collector, as is a discarded one).
 * Each buffer carries a small direct key buffer (RocksDB's buffer API reads keys from direct memory).
 * A buffer never given back only lowers the lending bound until the pool is dropped; it is never lent
 * twice. Thread-safe.
 */
public final class ReadBufferPool {

    /** Capacity classes are multiples of this. */
    static final int GRAIN = 64 << 10;
    /** Room for the longest chunk id ({@code ChunkIds}: 200 ASCII bytes). */
    static final int KEY_BYTES = 256;

    /** A lent value buffer and its key buffer (the key buffer's capacity is {@link #KEY_BYTES}). */
    public record Lease(ByteBuffer value, ByteBuffer key) {
    }

    private final long maxLentBytes;
    private final long maxFreeBytes;
    private final AtomicLong lent = new AtomicLong();
    private final AtomicLong free = new AtomicLong();
    private final ConcurrentHashMap<Integer, ConcurrentLinkedQueue<Lease>> classes = new ConcurrentHashMap<>();

    public ReadBufferPool(long maxLentBytes, long maxFreeBytes) {
        this.maxLentBytes = maxLentBytes;
        this.maxFreeBytes = maxFreeBytes;
    }

    static int capacityFor(long size) {
        return (int) ((size + GRAIN - 1) / GRAIN * GRAIN);
    }

    /**
     * A lease whose value buffer holds at least {@code size} bytes (position 0, limit {@code size}) and
     * whose key buffer is cleared; null when {@code size} is above {@code maxLentBytes}, the lending bound
     * is reached, or direct memory is short.
     */
    public Lease acquire(long size) {
        if (size <= 0 || size > maxLentBytes) return null;
        int cap = capacityFor(size);
        if (lent.addAndGet(cap) > maxLentBytes) {
            lent.addAndGet(-cap);
            return null;
        }
        ConcurrentLinkedQueue<Lease> q = classes.get(cap);
        Lease l = q == null ? null : q.poll();
        if (l != null) {
            free.addAndGet(-cap);
        } else {
            try {
                l = new Lease(ByteBuffer.allocateDirect(cap), ByteBuffer.allocateDirect(KEY_BYTES));
            } catch (OutOfMemoryError e) { // direct memory exhausted: the heap path still works
                lent.addAndGet(-cap);
                return null;
            }
        }
        l.value().clear().limit((int) size);
        l.key().clear();
        return l;
    }

    /**
     * Lends the lease's value buffer (from its position to its limit) as a {@link ChunkBuffer} that gives
     * the lease back to this pool.
     */
    public ChunkBuffer lend(Lease lease) {
        return ChunkBuffer.lent(lease.value(), (b, reuse) -> giveBack(lease, reuse));
    }

    /**
     * Gives back a lease obtained from {@link #acquire} and not lent through {@link #lend} (whose
     * {@link ChunkBuffer} gives it back); at most once per acquire.
     */
    public void giveBack(Lease l, boolean reuse) {
        int cap = l.value().capacity();
        lent.addAndGet(-cap);
        if (!reuse) return;
        if (free.addAndGet(cap) > maxFreeBytes) {
            free.addAndGet(-cap);
            return;
        }
        classes.computeIfAbsent(cap, c -> new ConcurrentLinkedQueue<>()).add(l);
    }

    /** Bytes lent out now (for tests and stats). */
    public long lentBytes() {
        return lent.get();
    }
}

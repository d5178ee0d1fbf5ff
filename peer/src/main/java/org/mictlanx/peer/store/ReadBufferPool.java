package org.mictlanx.peer.store;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.mictlanx.peer.api.ChunkBuffer;

/**
 * Heap buffers that chunk reads are read into ({@link RocksChunkStore#readBuffer}), lent through
 * {@link ChunkBuffer}s. Heap, not direct: the router authenticates and decrypts each chunk in place with
 * AES-GCM, whose JDK intrinsic works on arrays (on a direct buffer the JDK bounces every few hundred bytes
 * through a heap array: 69% of a GET 64 MiB's Java samples), and the socket write's one copy into a direct
 * buffer costs less than that (docs/performance.md, session 8). Capacities are rounded up to {@link #GRAIN}
 * so that the few chunk sizes a store holds share a few size classes. Bounded twice: at most
 * {@code maxLentBytes} lent out at once (beyond it {@link #acquire} answers null and the read takes its
 * array path) and at most {@code maxFreeBytes} kept
 * for reuse (a buffer given back beyond it is left to the garbage collector, as is a discarded one).
 * A buffer never given back only lowers the lending bound until the pool is dropped; it is never lent
 * twice. Thread-safe.
 */
public final class ReadBufferPool {

    /** Capacity classes are multiples of this. */
    static final int GRAIN = 64 << 10;
    /** A lent value buffer: a heap buffer whose array starts at offset 0 ({@code value.array()}). */
    public record Lease(ByteBuffer value) {
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
     * A lease whose value buffer holds at least {@code size} bytes (position 0, limit {@code size});
     * null when {@code size} is above {@code maxLentBytes}, the lending bound is reached, or the heap is
     * short.
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
                l = new Lease(ByteBuffer.allocate(cap));
            } catch (OutOfMemoryError e) { // no room now: the array path allocates only what it reads
                lent.addAndGet(-cap);
                return null;
            }
        }
        l.value().clear().limit((int) size);
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

package org.mictlanx.peer.api;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A whole chunk's verified bytes in a buffer lent to the receiver: {@link #buffer()} from its position
 * to its limit. The receiver owns the bytes and the buffer's position and limit until it gives the
 * buffer back (it may decrypt in place), and gives it back exactly once: {@link #close()} when neither it
 * nor anything it handed the buffer to reads it any more (a pooled buffer is then lent to the next read),
 * or {@link #discard()} when it cannot be sure of that (a socket write that failed), so the buffer is
 * never reused. Later calls of either do nothing. Buffers not from a pool (heap arrays) need no giving
 * back, but closing them is harmless. Thread-safe giving back; the bytes themselves are not guarded.
 */
public final class ChunkBuffer implements AutoCloseable {

    /** Where a lent buffer goes back to: {@code reuse} false means it must not be lent again. */
    @FunctionalInterface
    public interface Owner {
        void giveBack(ByteBuffer buffer, boolean reuse);
    }

    private final ByteBuffer buffer;
    private final Owner owner;
    private final AtomicBoolean returned = new AtomicBoolean();

    private ChunkBuffer(ByteBuffer buffer, Owner owner) {
        this.buffer = buffer;
        this.owner = owner;
    }

    /** A chunk held in an array of its own ({@link ChunkBytes}' contract): nothing to give back. */
    public static ChunkBuffer of(ChunkBytes bytes) {
        return new ChunkBuffer(ByteBuffer.wrap(bytes.array(), bytes.offset(), bytes.length()), null);
    }

    /** A buffer lent by {@code owner}, which gets it back on {@link #close()} or {@link #discard()}. */
    public static ChunkBuffer lent(ByteBuffer buffer, Owner owner) {
        return new ChunkBuffer(buffer, owner);
    }

    /** The chunk: position to limit. Not to be touched once given back. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Bytes from the position to the limit. */
    public int length() {
        return buffer.remaining();
    }

    /** Gives the buffer back for reuse. */
    @Override
    public void close() {
        if (returned.compareAndSet(false, true) && owner != null) owner.giveBack(buffer, true);
    }

    /** Gives the buffer up without letting it be lent again (left to the garbage collector). */
    public void discard() {
        if (returned.compareAndSet(false, true) && owner != null) owner.giveBack(buffer, false);
    }
}

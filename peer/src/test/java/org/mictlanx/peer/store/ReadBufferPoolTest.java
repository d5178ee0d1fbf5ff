package org.mictlanx.peer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.mictlanx.peer.api.ChunkBuffer;
import org.junit.jupiter.api.Test;

/** The read buffer pool: size classes, both bounds, giving back once, discarded buffers never lent again. */
class ReadBufferPoolTest {

    private static final int G = ReadBufferPool.GRAIN;

    @Test
    void lendsHeapBuffersOfTheAskedSizeAndReusesThemOnceGivenBack() {
        ReadBufferPool pool = new ReadBufferPool(4L * G, 4L * G);
        ReadBufferPool.Lease a = pool.acquire(G + 5);
        assertTrue(a.value().hasArray() && a.value().arrayOffset() == 0);
        assertEquals(2 * G, a.value().capacity());
        assertEquals(0, a.value().position());
        assertEquals(G + 5, a.value().limit());
        assertEquals(2L * G, pool.lentBytes());
        ChunkBuffer lent = pool.lend(a);
        lent.close();
        lent.close(); // a second give-back does nothing
        assertEquals(0, pool.lentBytes());
        ReadBufferPool.Lease b = pool.acquire(2 * G); // same class: the same buffer, cleared to the new size
        assertSame(a.value(), b.value());
        assertEquals(2 * G, b.value().limit());
        pool.giveBack(b, true);
    }

    @Test
    void beyondTheLendingBoundAcquireAnswersNull() {
        ReadBufferPool pool = new ReadBufferPool(3L * G, 3L * G);
        ReadBufferPool.Lease a = pool.acquire(2 * G);
        assertNull(pool.acquire(2 * G), "4 grains would be lent");
        assertNull(pool.acquire(4L * G), "larger than the bound");
        ReadBufferPool.Lease small = pool.acquire(G);
        assertEquals(3L * G, pool.lentBytes());
        pool.giveBack(a, true);
        pool.giveBack(small, true);
        assertEquals(0, pool.lentBytes());
    }

    @Test
    void aDiscardedBufferIsNeverLentAgain() {
        ReadBufferPool pool = new ReadBufferPool(4L * G, 4L * G);
        ReadBufferPool.Lease a = pool.acquire(G);
        ByteBuffer first = a.value();
        ChunkBuffer lent = pool.lend(a);
        lent.discard();
        lent.close(); // already given up: nothing
        assertEquals(0, pool.lentBytes());
        ReadBufferPool.Lease b = pool.acquire(G);
        assertNotSame(first, b.value());
        pool.giveBack(b, true);
    }

    @Test
    void keepsAtMostTheFreeBoundForReuse() {
        ReadBufferPool pool = new ReadBufferPool(4L * G, G);
        ReadBufferPool.Lease a = pool.acquire(G), b = pool.acquire(G);
        pool.giveBack(a, true);
        pool.giveBack(b, true); // over the free bound: dropped
        ReadBufferPool.Lease c = pool.acquire(G), d = pool.acquire(G);
        assertSame(a.value(), c.value());
        assertNotSame(b.value(), d.value());
        pool.giveBack(c, true);
        pool.giveBack(d, true);
    }
}

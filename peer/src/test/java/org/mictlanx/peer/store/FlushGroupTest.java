package org.mictlanx.peer.store;

import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.PeerException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class FlushGroupTest {

    /** Waits (with a deadline) until {@code n} threads are queued on the group's flush lock. */
    private static void awaitQueued(FlushGroup g, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (g.queuedForFlush() < n) {
            assertTrue(System.nanoTime() < deadline, "writers did not queue");
            Thread.sleep(1);
        }
    }

    @Test
    void writersQueuedBehindALeaderShareOneFlush() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger flushes = new AtomicInteger();
        FlushGroup g = new FlushGroup(() -> {
            if (flushes.incrementAndGet() == 1) {
                try {
                    assertTrue(release.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        long first = g.ticket();
        Thread leader = Thread.ofPlatform().start(() -> g.awaitDurable(first));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (flushes.get() == 0) {
            assertTrue(System.nanoTime() < deadline);
            Thread.sleep(1);
        }
        List<Thread> followers = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long t = g.ticket();
            followers.add(Thread.ofPlatform().start(() -> g.awaitDurable(t)));
        }
        awaitQueued(g, 7);
        release.countDown();
        leader.join(10_000);
        for (Thread t : followers) t.join(10_000);
        // the first flush started before tickets 2..8 existed; one more flush covers all seven
        assertEquals(2, flushes.get());
        g.awaitDurable(8);
        assertEquals(2, flushes.get(), "an already covered ticket needs no flush");
    }

    @Test
    void withTwoPermitsASecondFlushStartsWhileTheFirstRunsAndCoverageOnlyGrows() throws Exception {
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        AtomicInteger flushes = new AtomicInteger();
        FlushGroup g = new FlushGroup(() -> {
            int n = flushes.incrementAndGet();
            try {
                if (n == 1) assertTrue(firstMayEnd.await(10, TimeUnit.SECONDS), "first flush was not released");
                if (n == 2) secondStarted.countDown();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, 2);
        long first = g.ticket();
        Thread slow = Thread.ofPlatform().start(() -> g.awaitDurable(first));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (flushes.get() == 0) {
            assertTrue(System.nanoTime() < deadline);
            Thread.sleep(1);
        }
        long second = g.ticket();
        g.awaitDurable(second); // does not wait for the first flush: it runs its own
        assertTrue(secondStarted.await(10, TimeUnit.SECONDS));
        assertEquals(2, flushes.get());
        firstMayEnd.countDown();
        slow.join(10_000);
        assertFalse(slow.isAlive());
        g.awaitDurable(second);
        assertEquals(2, flushes.get(), "the first flush ending later did not lower the coverage of the second");
    }

    @Test
    void aFailedFlushCoversNothing() {
        AtomicInteger calls = new AtomicInteger();
        FlushGroup g = new FlushGroup(() -> {
            if (calls.incrementAndGet() == 1) throw new PeerException(PeerException.Kind.DISK_FULL, "full");
        });
        long t = g.ticket();
        assertEquals(PeerException.Kind.DISK_FULL, assertThrows(PeerException.class, () -> g.awaitDurable(t)).kind());
        g.awaitDurable(t);
        assertEquals(2, calls.get(), "the ticket was flushed again after the failure");
    }
}

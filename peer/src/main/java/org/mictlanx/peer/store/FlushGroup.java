package org.mictlanx.peer.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for memtable flushes. A writer that has put unlogged data into the memtables takes a
 * ticket and calls {@link #awaitDurable(long)}; whoever holds the flush lock first (the leader) reads
 * the highest ticket issued so far, runs one flush, and thereby makes every write with a ticket up to
 * that one durable. Writers queued behind the leader find their ticket covered and return without a
 * flush of their own, so N concurrent large writers cost about one flush instead of N.
 *
 * <p>Invariant: {@code flushed} only grows, and a ticket {@code t <= flushed} means a flush that
 * started after the write holding {@code t} reached the memtable has completed successfully. A failed
 * flush advances nothing: its error goes to the leader, and each follower then leads its own attempt
 * (and gets its own error).
 */
final class FlushGroup {
    /** One synced flush of every column family that may hold unlogged writes. */
    interface Flusher {
        void flush();
    }

    private final Flusher flusher;
    private final ReentrantLock flushLock = new ReentrantLock();
    private final Object ticketLock = new Object();
    private long issued;
    private volatile long flushed;

    FlushGroup(Flusher flusher) {
        this.flusher = flusher;
    }

    /** Issues a ticket; call only after the write it covers is in the memtable. */
    long ticket() {
        synchronized (ticketLock) {
            return ++issued;
        }
    }

    /** Threads waiting for the flush lock (for tests). */
    int queuedForFlush() {
        return flushLock.getQueueLength();
    }

    /** Returns once a successful flush that started after ticket {@code t} was issued has completed. */
    void awaitDurable(long t) {
        if (flushed >= t) return;
        flushLock.lock();
        try {
            if (flushed >= t) return;
            long upTo;
            synchronized (ticketLock) {
                upTo = issued;
            }
            flusher.flush();
            flushed = upTo;
        } finally {
            flushLock.unlock();
        }
    }
}

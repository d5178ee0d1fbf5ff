package org.mictlanx.peer.store;

import java.util.concurrent.Semaphore;

/**
 * Group commit for memtable flushes. A writer that has put unlogged data into the memtables takes a
 * ticket and calls {@link #awaitDurable(long)}; whoever gets a flush permit first (the leader) reads
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
    private final Semaphore flushers;
    private final Object ticketLock = new Object();
    private long issued;
    private volatile long flushed;

    /** One flush at a time. */
    FlushGroup(Flusher flusher) {
        this(flusher, 1);
    }

    /**
     * At most {@code concurrentFlushes} flushes at a time: with 2, a writer that arrives while a flush
     * runs starts the next one at once (RocksDB runs it on a second flush thread) instead of waiting for
     * the first to end; RocksDB commits flush results in memtable order, so a flush that returns has
     * made every earlier memtable durable too.
     */
    FlushGroup(Flusher flusher, int concurrentFlushes) {
        if (concurrentFlushes < 1) throw new IllegalArgumentException("concurrentFlushes must be >= 1");
        this.flusher = flusher;
        this.flushers = new Semaphore(concurrentFlushes, true);
    }

    /** Issues a ticket; call only after the write it covers is in the memtable. */
    long ticket() {
        synchronized (ticketLock) {
            return ++issued;
        }
    }

    /** Threads waiting to start a flush (for tests). */
    int queuedForFlush() {
        return flushers.getQueueLength();
    }

    /** Returns once a successful flush that started after ticket {@code t} was issued has completed. */
    void awaitDurable(long t) {
        if (flushed >= t) return;
        flushers.acquireUninterruptibly();
        try {
            if (flushed >= t) return;
            long upTo;
            synchronized (ticketLock) {
                upTo = issued;
            }
            flusher.flush();
            synchronized (ticketLock) {
                // concurrent flushes may return out of order: flushed only grows
                if (upTo > flushed) flushed = upTo;
            }
        } finally {
            flushers.release();
        }
    }
}

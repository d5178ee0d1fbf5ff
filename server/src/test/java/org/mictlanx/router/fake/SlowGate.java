package org.mictlanx.router.fake;

import java.util.concurrent.TimeUnit;
import org.mictlanx.peer.api.PeerException;

/**
 * Where {@link FaultyPeer}'s SLOW calls wait: each waits until the test {@link #release releases}
 * the calls waiting at that moment (a late answer staged by a condition the test chooses, never by
 * a clock), at most {@link #MAX_WAIT_MINUTES} (then it fails, so a forgotten release cannot hang a
 * build). An interrupted wait (the router's call timeout cancelling the call) fails UNAVAILABLE.
 */
final class SlowGate {

    static final long MAX_WAIT_MINUTES = 1;

    private long generation;
    private int waiting;
    private long passed;

    /** Waits for the next {@link #release}; {@code peer} names the peer in failures. */
    synchronized void pass(String peer) {
        long mine = generation;
        waiting++;
        notifyAll(); // wakes awaitWaiting
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MAX_WAIT_MINUTES);
            while (generation == mine) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new PeerException(PeerException.Kind.UNAVAILABLE, peer + ": slow call never released");
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            passed++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException(PeerException.Kind.UNAVAILABLE, peer + ": interrupted");
        } finally {
            waiting--;
        }
    }

    /** Lets every call waiting now go on. */
    synchronized void release() {
        generation++;
        notifyAll();
    }

    synchronized int waiting() {
        return waiting;
    }

    /** SLOW calls that were released and went on. */
    synchronized long passed() {
        return passed;
    }

    /** Waits until some call waits here (no deadline: the caller's thread is interrupted to stop). */
    synchronized void awaitWaiting() throws InterruptedException {
        while (waiting == 0) wait();
    }
}

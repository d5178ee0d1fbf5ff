package org.mictlanx.peer;

import org.mictlanx.peer.api.ScrubProgress;
import org.mictlanx.peer.store.ChunkStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The peer's continuous background scrub: walks every stored chunk in id order, one at a time,
 * reading and verifying it, and sleeps after each so that reads stay at {@code bytesPerSecond} on
 * average; at the end of the chunk ids it starts the next pass. A chunk that fails verification is
 * deleted, so the router's repair (its full pass, started as soon as a router sees
 * {@link org.mictlanx.peer.api.PeerHealth#scrubDamaged()} grow) re-creates it from an authentic
 * replica; a chunk that cannot be read for another reason is counted and left. A step that fails as
 * a whole (the chunk index cannot be read: the store itself is damaged and the peer reports
 * not-ready) is counted and retried after {@link #ERROR_BACKOFF_MILLIS}.
 */
final class Scrubber {
    private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);
    static final long ERROR_BACKOFF_MILLIS = 10_000;
    /** Pause when the store holds no chunk. */
    static final long IDLE_MILLIS = 1_000;
    private static final int RECENT = 100;

    /** Runs one store call under the peer's lifecycle lock (throws once the peer is closed). */
    interface Guard {
        <T> T op(String name, Supplier<T> body);
    }

    private final String peerId;
    private final ChunkStore chunks;
    private final long bytesPerSecond;
    private final Guard guard;
    private final Clock clock;
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong checked = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong damaged = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private volatile String cursor;
    private volatile long passStarted;
    private volatile long lastPass;
    private Thread thread;

    Scrubber(String peerId, ChunkStore chunks, long bytesPerSecond, Guard guard, Clock clock) {
        this.peerId = peerId;
        this.chunks = chunks;
        this.bytesPerSecond = bytesPerSecond;
        this.guard = guard;
        this.clock = clock;
    }

    /** Starts the background thread (not when the rate is 0). */
    synchronized void start() {
        if (bytesPerSecond <= 0 || thread != null) return;
        thread = Thread.ofPlatform().daemon().name("peer-" + peerId + "-scrub").start(this::loop);
    }

    /** Stops the background thread and waits for it (briefly). */
    void stop() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) return;
        t.interrupt();
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        passStarted = clock.millis();
        while (!Thread.currentThread().isInterrupted()) {
            long pauseNanos;
            try {
                pauseNanos = step();
            } catch (RuntimeException e) {
                errors.incrementAndGet();
                LOG.error("peer {} scrub could not read the chunk index after {}: {}", peerId, cursor, e.toString());
                pauseNanos = TimeUnit.MILLISECONDS.toNanos(ERROR_BACKOFF_MILLIS);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(pauseNanos);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Verifies the next chunk; returns how long to pause so reads stay at the configured rate. */
    long step() {
        String after = cursor;
        ChunkStore.ScrubStep s = guard.op("scrub", () -> chunks.scrubStep(after, 1));
        checked.addAndGet(s.checked());
        bytes.addAndGet(s.bytes());
        for (String id : s.damaged()) {
            damaged.incrementAndGet();
            remember(id);
            try {
                guard.op("scrubDelete", () -> chunks.delete(id));
                LOG.warn("peer {} scrub: chunk {} failed verification; deleted so that repair re-creates it", peerId, id);
            } catch (RuntimeException e) {
                LOG.error("peer {} scrub: chunk {} failed verification and could not be deleted: {}", peerId, id, e.toString());
            }
        }
        for (String id : s.unreadable()) {
            unreadable.incrementAndGet();
            remember(id);
            LOG.error("peer {} scrub: chunk {} could not be read", peerId, id);
        }
        if (s.next() == null) {
            if (s.checked() > 0 || after != null) {
                passes.incrementAndGet();
                lastPass = clock.millis();
            }
            cursor = null;
            passStarted = clock.millis();
            if (s.checked() == 0) return TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
        } else {
            cursor = s.next();
        }
        return Math.max(1, s.bytes()) * 1_000_000_000L / bytesPerSecond;
    }

    private synchronized void remember(String id) {
        if (recent.size() == RECENT) recent.removeFirst();
        recent.addLast(id);
    }

    long damagedFound() {
        return damaged.get();
    }

    synchronized ScrubProgress progress() {
        List<String> r = new ArrayList<>(recent);
        return new ScrubProgress(bytesPerSecond, passes.get(), checked.get(), bytes.get(), damaged.get(), unreadable.get(),
                errors.get(), cursor, passStarted, lastPass, r);
    }
}

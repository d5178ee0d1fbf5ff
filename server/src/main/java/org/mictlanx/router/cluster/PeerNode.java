package org.mictlanx.router.cluster;

import java.util.function.Function;
import java.util.function.LongSupplier;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.peer.api.PeerException;

/**
 * A peer as the router uses it: its descriptor, its client, and what the router has observed of
 * it (up or down, and an exponentially weighted moving average of call latency). Down means
 * "skip unless needed": a failed transport call or a failed health probe marks it down, the next
 * successful call or probe marks it up again.
 */
public final class PeerNode {

    private static final double ALPHA = 0.2;

    private final PeerDescriptor descriptor;
    private final PeerApi api;
    /** The time source of call durations and failure times, in nanoseconds ({@code System::nanoTime}). */
    private final LongSupplier nanoTime;
    private volatile boolean up = true;
    private volatile double latencyEwmaMicros = 1000;
    private volatile long lastFailureNanos;
    /** Durations of the latest successful chunk reads (a ring), for the hedge delay. */
    private final long[] reads = new long[32];
    private int readCount;

    public PeerNode(PeerDescriptor descriptor, PeerApi api) {
        this(descriptor, api, System::nanoTime);
    }

    /** A node whose calls are timed with {@code nanoTime} (tests feed explicit durations). */
    public PeerNode(PeerDescriptor descriptor, PeerApi api, LongSupplier nanoTime) {
        this.descriptor = descriptor;
        this.api = api;
        this.nanoTime = nanoTime;
    }

    public String id() {
        return descriptor.id();
    }

    public PeerDescriptor descriptor() {
        return descriptor;
    }

    public PeerApi api() {
        return api;
    }

    public boolean up() {
        return up;
    }

    public double latencyEwmaMicros() {
        return latencyEwmaMicros;
    }

    /**
     * Runs {@code op} against the peer, timing it. Failures that say nothing about the peer's
     * health (NOT_FOUND, BAD_REQUEST, ...) leave it up; UNAVAILABLE, DISK_FULL and unexpected
     * exceptions mark it down.
     */
    public <T> T call(Function<PeerApi, T> op) {
        long start = nanoTime.getAsLong();
        try {
            T v = op.apply(api);
            observe(nanoTime.getAsLong() - start, true);
            return v;
        } catch (PeerException e) {
            boolean healthy = switch (e.kind()) {
                case UNAVAILABLE, DISK_FULL -> false;
                default -> true;
            };
            observe(nanoTime.getAsLong() - start, healthy);
            throw e;
        } catch (RuntimeException | Error e) {
            observe(nanoTime.getAsLong() - start, false);
            throw e;
        }
    }

    /** Records a probe or call outcome. */
    public void observe(long nanos, boolean healthy) {
        double micros = nanos / 1000.0;
        latencyEwmaMicros = ALPHA * micros + (1 - ALPHA) * latencyEwmaMicros;
        if (!healthy) lastFailureNanos = nanoTime.getAsLong();
        up = healthy;
    }

    /**
     * Counts a call that has not answered within {@code nanos} (a hedged read moved on) in the latency
     * average without changing up/down, so later reads rank this peer after faster ones.
     */
    public void penalize(long nanos) {
        latencyEwmaMicros = ALPHA * (nanos / 1000.0) + (1 - ALPHA) * latencyEwmaMicros;
    }

    /** Records the duration of a successful chunk read. */
    public synchronized void recordRead(long nanos) {
        reads[readCount++ % reads.length] = nanos;
    }

    /**
     * The 95th percentile of this peer's recent chunk reads clamped to [{@code min}, {@code max}];
     * {@code max} until a few reads are known.
     */
    public long readP95Nanos(long min, long max) {
        long[] copy;
        synchronized (this) {
            if (readCount < 4) return max;
            copy = java.util.Arrays.copyOf(reads, Math.min(readCount, reads.length));
        }
        java.util.Arrays.sort(copy);
        long p95 = copy[Math.min(copy.length - 1, (int) Math.ceil(copy.length * 0.95) - 1)];
        return Math.max(min, Math.min(max, p95));
    }

    public void markDown() {
        up = false;
        lastFailureNanos = nanoTime.getAsLong();
    }

    public long lastFailureNanos() {
        return lastFailureNanos;
    }

    /** Lower is better: up peers first, then by latency. */
    public double score() {
        return (up ? 0 : 1e12) + latencyEwmaMicros;
    }

    @Override
    public String toString() {
        return descriptor.id();
    }

    /**
     * The down-peer guard of quorum calls: runs {@code call}, unless {@code node} is marked down and
     * enough of {@code targets} are up to reach {@code required} without it, in which case it fails
     * at once with UNAVAILABLE (a probe or a later successful call brings the node back).
     */
    public static <T> T guarded(PeerNode node, java.util.List<PeerNode> targets, int required,
                                java.util.function.Supplier<T> call) {
        if (!node.up()) {
            long up = targets.stream().filter(PeerNode::up).count();
            if (up >= required) throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + node + " is marked down");
        }
        return call.get();
    }
}

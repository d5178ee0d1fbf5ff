package org.mictlanx.router.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.PeerException;

/**
 * What a router learns of a peer from its calls: the latency EWMA (alpha 0.2, starting at 1 ms),
 * up/down, the ranking of replicas, and the read p95 of hedged reads. Durations are fed explicitly
 * through the node's time source: nothing here sleeps or depends on the machine's speed.
 */
class PeerNodeTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private PeerNode node(String id) {
        return new PeerNode(PeerDescriptor.local(id), null, now::get);
    }

    /** A call to {@code n} that takes {@code micros} by the node's clock. */
    private void call(PeerNode n, long micros) {
        n.call(api -> now.addAndGet(micros * 1000));
    }

    @Test
    void callsAreTimedByTheNodesClockIntoTheAverage() {
        PeerNode n = node("p0");
        assertEquals(1000.0, n.latencyEwmaMicros(), 1e-9, "a new peer is assumed at 1 ms");
        call(n, 11_000);
        assertEquals(0.2 * 11_000 + 0.8 * 1000, n.latencyEwmaMicros(), 1e-9);
        call(n, 0);
        assertEquals(0.8 * 3000, n.latencyEwmaMicros(), 1e-9);
        n.penalize(2_000_000_000L);
        assertEquals(0.2 * 2_000_000 + 0.8 * 2400, n.latencyEwmaMicros(), 1e-6);
        assertTrue(n.up(), "a hedged-away call does not mark the peer down");
    }

    @Test
    void transportFailuresMarkThePeerDownAndASuccessBringsItBack() {
        PeerNode n = node("p0");
        assertThrows(PeerException.class, () -> n.call(api -> {
            throw new PeerException(PeerException.Kind.NOT_FOUND, "no chunk");
        }));
        assertTrue(n.up(), "NOT_FOUND says nothing about the peer's health");
        now.addAndGet(5_000);
        assertThrows(PeerException.class, () -> n.call(api -> {
            now.addAndGet(7_000);
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "connection refused");
        }));
        assertFalse(n.up());
        assertEquals(now.get(), n.lastFailureNanos());
        assertThrows(IllegalStateException.class, () -> n.call(api -> {
            throw new IllegalStateException("bug");
        }));
        assertFalse(n.up());
        call(n, 10);
        assertTrue(n.up());
    }

    @Test
    void replicasRankUpPeersFirstThenByAverageLatency() {
        PeerNode fast = node("fast");
        PeerNode slow = node("slow");
        PeerNode down = node("down");
        for (int i = 0; i < 3; i++) {
            call(fast, 200);
            call(slow, 100_000);
            call(down, 10);
        }
        down.markDown();
        assertEquals(List.of("fast", "slow", "down"), rank(fast, slow, down));
        for (int i = 0; i < 30; i++) call(slow, 50); // it recovers: its average falls below the other's
        assertEquals(List.of("slow", "fast", "down"), rank(fast, slow, down));
    }

    private static List<String> rank(PeerNode... nodes) {
        return java.util.Arrays.stream(nodes).sorted(java.util.Comparator.comparingDouble(PeerNode::score))
                .map(PeerNode::id).toList();
    }

    @Test
    void theReadP95IsTheMaximumUntilFourReadsAreKnownThenClamped() {
        PeerNode n = node("p0");
        for (int i = 1; i <= 3; i++) n.recordRead(i * 1_000_000L);
        assertEquals(50_000_000L, n.readP95Nanos(1_000_000L, 50_000_000L));
        for (int i = 4; i <= 20; i++) n.recordRead(i * 1_000_000L);
        assertEquals(19_000_000L, n.readP95Nanos(1_000_000L, 50_000_000L), "the 19th of 20 sorted reads");
        assertEquals(10_000_000L, n.readP95Nanos(1_000_000L, 10_000_000L), "clamped to the maximum");
        assertEquals(30_000_000L, n.readP95Nanos(30_000_000L, 50_000_000L), "clamped to the minimum");
    }
}

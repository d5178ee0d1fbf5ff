package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.get;
import static org.mictlanx.router.fake.TestCluster.put;
import static org.mictlanx.router.fake.TestCluster.random;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.FaultyPeer.Fault;
import org.mictlanx.router.fake.FaultyPeer.Op;
import org.mictlanx.router.fake.TestCluster;

/**
 * A put whose ball record reached one replica but not a write quorum is answered QUORUM_FAILED (503)
 * and never becomes visible later: the one replica that took it gets the previous state back.
 */
class RefusedWriteTest {

    private TestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) cluster.close();
    }

    private Router router() {
        // inline balls: the ball record is the put's only metadata write, so the fault hits exactly it
        return cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)).withInlineMax(4096));
    }

    /** Waits until background writes (quorum stragglers, read repair) settled, so injected faults hit the put. */
    private void settled(String... keys) {
        TestCluster.await("replicas settled", () -> cluster.peers.stream().allMatch(p ->
                p.getRecord("_mx.buckets", "b").isPresent()
                        && java.util.Arrays.stream(keys).allMatch(k -> p.getRecord("b", k).isPresent())));
    }

    @Test
    void refusedNewKeyNeverAppears() {
        cluster = new TestCluster(3);
        Router router = router();
        router.createBucket("b", "o", "r");
        FaultyPeer took = cluster.peers.get(0);
        settled();
        cluster.peers.get(1).inject(Op.PUT_RECORD, Fault.ERROR, 1);
        cluster.peers.get(2).inject(Op.PUT_RECORD, Fault.ERROR, 1);
        RouterException e = assertThrows(RouterException.class, () -> put(router, "b", "k", random(100, 1)));
        assertEquals(RouterException.Kind.QUORUM_FAILED, e.kind());
        Optional<MetaRecord> left = took.getRecord("b", "k");
        assertTrue(left.isEmpty() || left.get().tombstone(), "the replica that took the refused write was reverted: " + left);
        router.probeNow();
        for (int i = 0; i < 5; i++) assertTrue(router.headBall("b", "k").isEmpty(), "refused put stays invisible");
    }

    @Test
    void refusedOverwriteLeavesThePreviousVersion() {
        cluster = new TestCluster(3);
        Router router = router();
        router.createBucket("b", "o", "r");
        put(router, "b", "k", random(100, 2));
        settled("k");
        cluster.peers.get(1).inject(Op.PUT_RECORD, Fault.ERROR, 1);
        cluster.peers.get(2).inject(Op.PUT_RECORD, Fault.ERROR, 1);
        assertThrows(RouterException.class, () -> put(router, "b", "k", random(200, 3)));
        router.probeNow();
        for (int i = 0; i < 5; i++) assertArrayEquals(random(100, 2), get(router, "b", "k"));
    }
}

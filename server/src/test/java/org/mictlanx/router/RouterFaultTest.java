package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.CHUNK;
import static org.mictlanx.router.fake.TestCluster.await;
import static org.mictlanx.router.fake.TestCluster.get;
import static org.mictlanx.router.fake.TestCluster.put;
import static org.mictlanx.router.fake.TestCluster.random;
import static org.mictlanx.router.fake.TestCluster.readAll;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.FaultyPeer.Fault;
import org.mictlanx.router.fake.FaultyPeer.Op;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.BallRecord;

class RouterFaultTest {

    private TestCluster cluster;
    private Router router;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3);
        router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)));
        router.createBucket("b", "alice", "mx-1");
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private BallRecord record(String key) {
        return (BallRecord) router.headBall("b", key).orElseThrow().layout();
    }

    @Test
    void peerDownDuringWriteSucceedsWithWAndRepairFillsTheReplica() {
        FaultyPeer p0 = cluster.peers.get(0);
        p0.down(true);
        byte[] data = random(4 * CHUNK, 1);
        put(router, "b", "k", data);
        BallRecord ball = record("k");
        for (long i = 0; i < ball.chunkCount(); i++) assertEquals(2, cluster.replicas(ball.chunkId(i)));
        assertArrayEquals(data, get(router, "b", "k"));
        p0.down(false);
        router.probeNow();
        router.repairNow(false);
        for (long i = 0; i < ball.chunkCount(); i++) assertEquals(3, cluster.replicas(ball.chunkId(i)));
        assertTrue(router.stats().maintenance().replicasRestored() >= ball.chunkCount());
    }

    @Test
    void hintedHandoffQueuesMissedReplicasForTheRepairWorker() {
        cluster.peers.get(1).inject(Op.PUT_CHUNK, Fault.ERROR, 1);
        put(router, "b", "k", random(CHUNK, 2));
        BallRecord ball = record("k");
        await("repair worker restores the missed replica", () -> cluster.replicas(ball.chunkId(0)) == 3);
    }

    @Test
    void twoPeersDownFailsWithQuorumFailedAndNothingVisible() {
        cluster.peers.get(0).down(true);
        cluster.peers.get(1).down(true);
        RouterException e = assertThrows(RouterException.class, () -> put(router, "b", "k", random(CHUNK, 3)));
        assertEquals(RouterException.Kind.QUORUM_FAILED, e.kind());
        cluster.peers.get(0).down(false);
        cluster.peers.get(1).down(false);
        router.probeNow();
        assertTrue(router.headBall("b", "k").isEmpty());
        await("aborted chunks released", () -> cluster.totalChunks() == 0);
    }

    @Test
    void chunkQuorumFailureMidBallAborts() {
        for (FaultyPeer p : cluster.peers.subList(0, 2)) p.inject(Op.PUT_CHUNK, Fault.ERROR, 100);
        RouterException e = assertThrows(RouterException.class, () -> put(router, "b", "k", random(5 * CHUNK, 4)));
        assertEquals(RouterException.Kind.QUORUM_FAILED, e.kind());
        assertTrue(router.headBall("b", "k").isEmpty());
    }

    @Test
    void hungPeerTimesOutOnWriteAndReadFailsOver() {
        byte[] data = random(2 * CHUNK, 5);
        cluster.peers.get(2).inject(Op.PUT_CHUNK, Fault.TIMEOUT, 1);
        put(router, "b", "k", data); // W=2 reached without the hung peer
        BallRecord ball = record("k");
        cluster.peers.forEach(p -> p.down(false));
        router.probeNow();
        await("hinted handoff refills the hung peer's replica", () -> cluster.replicas(ball.chunkId(0)) == 3
                && cluster.replicas(ball.chunkId(1)) == 3 && router.stats().maintenance().repairQueued() == 0);
        // every replica hangs once: the read gives up after the timeouts instead of hanging
        for (FaultyPeer p : cluster.peers) p.inject(Op.GET_CHUNK, Fault.TIMEOUT, 1);
        BallInfo info = router.headBall("b", "k").orElseThrow();
        RouterException e = assertThrows(RouterException.class, () -> readAll(router, info, 0, CHUNK));
        assertEquals(RouterException.Kind.CHUNK_UNAVAILABLE, e.kind());
        router.probeNow();
        // two replicas hang: the read fails over to the third
        for (FaultyPeer p : cluster.peers.subList(0, 2)) p.inject(Op.GET_CHUNK, Fault.TIMEOUT, 2);
        assertArrayEquals(data, readAll(router, info, 0, -1));
    }

    /**
     * The replica asked first does not answer within its hedge delay: the read is served by the next
     * one while the first still holds its answer, and later reads do not ask the slow one again.
     * Answers are held and let go by conditions (who is waiting), not clocks, under a call timeout far
     * above the hedge delay: the slow answer is late, not failed.
     */
    @Test
    void slowPeerIsAvoidedForReads() {
        Router r = cluster.router(TestCluster.config(Duration.ofSeconds(30), Duration.ofHours(1)));
        byte[] data = random(CHUNK, 6);
        put(r, "b", "k", data);
        for (FaultyPeer p : cluster.peers) p.inject(Op.GET_CHUNK, Fault.SLOW, 1);
        java.util.concurrent.CompletableFuture<byte[]> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> get(r, "b", "k"));
        await("the first replica asked", () -> waiting().size() == 1);
        FaultyPeer slow = waiting().get(0);
        await("a hedge to a second replica", () -> waiting().size() == 2);
        FaultyPeer second = waiting().stream().filter(p -> p != slow).findFirst().orElseThrow();
        second.releaseSlow();
        assertArrayEquals(data, read.join());
        assertEquals(1, slow.slowWaiting(), "served by the hedge while the slow replica still held its answer");
        slow.releaseSlow();
        cluster.peers.forEach(p -> p.clearFaults(Op.GET_CHUNK));
        long before = slow.calls(Op.GET_CHUNK);
        for (int i = 0; i < 5; i++) assertArrayEquals(data, get(r, "b", "k"));
        assertEquals(before, slow.calls(Op.GET_CHUNK), "the slow peer was not asked");
    }

    /** The peers with a call waiting on a SLOW fault. */
    private java.util.List<FaultyPeer> waiting() {
        return cluster.peers.stream().filter(p -> p.slowWaiting() > 0).toList();
    }

    @Test
    void silentlyCorruptReplicaIsNeverServedAndGetsReplaced() {
        router = cluster.router(); // 2 s call timeout: no straggling replica, so no repair read consumes a fault
        byte[] data = random(CHUNK, 7);
        put(router, "b", "k", data);
        BallRecord ball = record("k");
        await("three replicas and an idle repair queue",
                () -> cluster.replicas(ball.chunkId(0)) == 3 && router.stats().maintenance().repairQueued() == 0);
        // two replicas return flipped bytes without noticing: only the authentic third is ever served
        for (FaultyPeer p : cluster.peers.subList(0, 2)) p.inject(Op.GET_CHUNK, Fault.CORRUPT_SILENT, 1000);
        // Reads try the best-scored replica first (lowest latency EWMA; a silently corrupt answer is a
        // fast successful call). Without this, the authentic peer may stay best for every read, no
        // damaged copy is ever met and nothing gets repaired: the authentic peer holds its first answer
        // until the read has met a damaged copy (hedged past it, or asked the others first).
        FaultyPeer authentic = cluster.peers.get(2);
        authentic.inject(Op.GET_CHUNK, Fault.SLOW, 1);
        long damagedAsked = damagedReads();
        Router r = router;
        java.util.concurrent.CompletableFuture<byte[]> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> get(r, "b", "k"));
        await("a damaged copy met while the authentic answer waits",
                () -> damagedReads() > damagedAsked && authentic.slowWaiting() == 1);
        authentic.releaseSlow();
        assertArrayEquals(data, first.join());
        for (int i = 0; i < 4; i++) assertArrayEquals(data, get(router, "b", "k"));
        await("suspect copies rewritten from the authentic one", () -> router.stats().maintenance().badReplicasReplaced() >= 1);
        // all three damaged: the read fails rather than serve bad bytes
        cluster.peers.get(2).inject(Op.GET_CHUNK, Fault.CORRUPT_SILENT, 1000);
        assertEquals(RouterException.Kind.CHUNK_UNAVAILABLE,
                assertThrows(RouterException.class, () -> get(router, "b", "k")).kind());
    }

    private long damagedReads() {
        return cluster.peers.get(0).calls(Op.GET_CHUNK) + cluster.peers.get(1).calls(Op.GET_CHUNK);
    }

    @Test
    void peerReportedCorruptionFailsOverAndRepairReplacesTheCopy() {
        byte[] data = random(2 * CHUNK, 8);
        put(router, "b", "k", data);
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: every copy lands before all are damaged
        BallRecord ball = record("k");
        for (FaultyPeer p : cluster.peers) p.corruptStored(ball.chunkId(1));
        // every copy corrupt: the read fails rather than serve bad bytes
        assertEquals(RouterException.Kind.CHUNK_UNAVAILABLE,
                assertThrows(RouterException.class, () -> get(router, "b", "k")).kind());
        cluster.close();
        cluster = new TestCluster(3);
        router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)));
        router.createBucket("b", "alice", "mx-1");
        put(router, "b", "k", data);
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: let the third copy land before counting copies
        BallRecord fresh = record("k");
        FaultyPeer victim = cluster.peers.stream().filter(p -> p.hasChunk(fresh.chunkId(0))).findFirst().orElseThrow();
        victim.corruptStored(fresh.chunkId(0));
        for (int i = 0; i < 3; i++) assertArrayEquals(data, get(router, "b", "k"));
        router.repairNow(true);
        assertArrayEquals(readAll(router, router.headBall("b", "k").orElseThrow(), 0, -1), data);
        assertEquals(0, victim.scrub().corruptIds().size());
        assertEquals(3, cluster.replicas(fresh.chunkId(0)));
    }

    @Test
    void acknowledgedThenLostChunkIsReadFromAnotherReplicaAndRestored() {
        FaultyPeer liar = cluster.peers.get(0);
        liar.inject(Op.PUT_CHUNK, Fault.LOSE, 1);
        byte[] data = random(CHUNK, 9);
        put(router, "b", "k", data);
        BallRecord ball = record("k");
        // the put returned at W = 2 acknowledgements, one of which may be the liar's: the third
        // (honest) write can still be in flight, so wait for it before counting replicas
        await("both honest peers hold the chunk", () -> cluster.peers.get(1).hasChunk(ball.chunkId(0))
                && cluster.peers.get(2).hasChunk(ball.chunkId(0)));
        assertEquals(2, cluster.replicas(ball.chunkId(0)));
        assertFalse(liar.hasChunk(ball.chunkId(0)), "the liar acknowledged a write it did not keep");
        for (int i = 0; i < 3; i++) assertArrayEquals(data, get(router, "b", "k"));
        router.repairNow(false);
        assertEquals(3, cluster.replicas(ball.chunkId(0)));
        assertTrue(liar.hasChunk(ball.chunkId(0)));
    }

    @Test
    void metadataReadRepairRestoresAMissingRecord() {
        put(router, "b", "k", random(10, 10));
        FaultyPeer holder = cluster.peers.stream().filter(p -> p.storedRecord("b", "k").isPresent()).findFirst().orElseThrow();
        holder.removeRecord("b", "k");
        assertTrue(router.headBall("b", "k").isPresent());
        await("read repair wrote the record back", () -> holder.storedRecord("b", "k").isPresent());
        MetaRecord r = holder.storedRecord("b", "k").orElseThrow();
        assertTrue(!r.tombstone());
    }

    @Test
    void metadataWritesSurviveOneDownPeerAndReadsStayConsistent() {
        cluster.peers.get(2).down(true);
        put(router, "b", "k", random(100, 11));
        cluster.peers.get(2).down(false);
        cluster.peers.get(0).down(true);
        router.probeNow();
        assertTrue(router.headBall("b", "k").isPresent());
        assertEquals(1, router.listBalls("b", null, null, 10).balls().size());
    }
}

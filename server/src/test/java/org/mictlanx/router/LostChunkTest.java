package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mictlanx.router.fake.TestCluster.CHUNK;
import static org.mictlanx.router.fake.TestCluster.put;
import static org.mictlanx.router.fake.TestCluster.random;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.BallRecord;

/** A chunk lost on every replica: the read fails before its first byte, and it counts once as unrepairable. */
class LostChunkTest {

    private TestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) cluster.close();
    }

    @Test
    void chunkLostEverywhereFailsBeforeTheFirstByteAndCountsOnce() {
        cluster = new TestCluster(3);
        Router router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)));
        router.createBucket("b", "o", "r");
        put(router, "b", "k", random(3 * CHUNK, 7));
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: every copy lands before copies are taken away
        BallInfo info = router.headBall("b", "k").orElseThrow();
        String lost = ((BallRecord) info.layout()).chunkId(2);
        for (FaultyPeer p : cluster.peers) p.deleteChunk(lost);
        RouterException e = assertThrows(RouterException.class, () -> router.openBall(info, 0, -1).close(),
                "the stream is refused before a byte is sent");
        assertEquals(RouterException.Kind.CHUNK_UNAVAILABLE, e.kind());
        for (int i = 0; i < 3; i++) router.repairNow(false);
        TestCluster.await("queued repairs settle", () -> router.stats().maintenance().repairQueued() == 0);
        assertEquals(1, router.stats().maintenance().unrepairable(), "one chunk, however many attempts");
    }

    /**
     * Beyond the prefetch window (3 chunks here): a chunk lost on every replica is found by the chunk
     * listings before the first byte, for a whole read and for a range that covers it; a range that
     * does not cover it is served; a chunk lost on only some replicas is no reason to refuse.
     */
    @Test
    void chunkLostEverywhereBeyondThePrefetchWindowFailsBeforeTheFirstByte() {
        cluster = new TestCluster(3);
        Router router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)));
        router.createBucket("b", "o", "r");
        byte[] data = random(12 * CHUNK + 5, 9);
        put(router, "b", "k", data);
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: every copy lands before copies are taken away
        BallInfo info = router.headBall("b", "k").orElseThrow();
        BallRecord ball = (BallRecord) info.layout();
        // chunk 5 loses two of its three replicas: still served
        String thinned = ball.chunkId(5);
        cluster.peers.stream().filter(p -> p.hasChunk(thinned)).limit(2).forEach(p -> p.deleteChunk(thinned));
        assertArrayEquals(data, TestCluster.readAll(router, info, 0, -1));
        String lost = ball.chunkId(9);
        for (FaultyPeer p : cluster.peers) p.deleteChunk(lost);
        RouterException e = assertThrows(RouterException.class, () -> router.openBall(info, 0, -1).close());
        assertEquals(RouterException.Kind.CHUNK_UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains(lost), e.getMessage());
        long from = 8L * CHUNK + 100;
        e = assertThrows(RouterException.class, () -> router.openBall(info, from, 3L * CHUNK).close());
        assertEquals(RouterException.Kind.CHUNK_UNAVAILABLE, e.kind());
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 9 * CHUNK), TestCluster.readAll(router, info, 0, 9L * CHUNK));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 10 * CHUNK, data.length),
                TestCluster.readAll(router, info, 10L * CHUNK, -1));
    }
    /**
     * Every copy of a later chunk (beyond the prefetch window) present with the right size but
     * damaged: the peers' verification before the status line finds it, so the GET fails before its
     * first byte, and the damaged copies are queued for repair, which finds no authentic replica and
     * marks the chunk unrepairable (counted and logged once); reads keep failing up front.
     */
    @Test
    void chunkCorruptEverywhereBeyondTheWindowFailsBeforeTheFirstByte() throws Exception {
        cluster = new TestCluster(3);
        Router router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)).toBuilder()
                .verifyAheadBytes(64L << 20).build());
        router.createBucket("b", "o", "r");
        byte[] data = random(8 * CHUNK, 11);
        put(router, "b", "k", data);
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: every copy lands before copies are taken away
        BallInfo info = router.headBall("b", "k").orElseThrow();
        String bad = ((BallRecord) info.layout()).chunkId(6);
        for (FaultyPeer p : cluster.peers) p.corruptStored(bad);
        RouterException first = assertThrows(RouterException.class, () -> router.openBall(info, 0, -1).close(),
                "found by the peers' verification before a byte is sent");
        assertEquals(RouterException.Kind.CHUNK_UNAVAILABLE, first.kind());
        assertTrue(first.getMessage().contains(bad), first.getMessage());
        TestCluster.await("repair marks it unrepairable", () -> router.stats().maintenance().unrepairable() == 1);
        for (int i = 0; i < 3; i++) {
            RouterException e = assertThrows(RouterException.class, () -> router.openBall(info, 0, -1).close(),
                    "refused before a byte is sent");
            assertEquals(RouterException.Kind.CHUNK_UNAVAILABLE, e.kind());
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        router.repairNow(false);
        assertEquals(1, router.stats().maintenance().unrepairable(), "one chunk, however many reads and passes");
        assertEquals(0, router.stats().maintenance().getsCut(), "no response was cut");
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 6 * CHUNK), TestCluster.readAll(router, info, 0, 6L * CHUNK),
                "a range without it is served");
    }

    /**
     * With {@code verify-ahead} at its default (0: off), the same damage beyond the window is met by the
     * read: the status line has gone, so the stream is cut, counted and the chunk queued for repair.
     */
    @Test
    void withoutVerifyAheadTheSameDamageCutsTheStreamAndIsCounted() throws Exception {
        cluster = new TestCluster(3);
        Router router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)));
        assertEquals(0, org.mictlanx.router.RouterConfig.defaults().verifyAheadBytes());
        router.createBucket("b", "o", "r");
        put(router, "b", "k", random(8 * CHUNK, 13));
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: every copy lands before copies are taken away
        BallInfo info = router.headBall("b", "k").orElseThrow();
        String bad = ((BallRecord) info.layout()).chunkId(6);
        for (FaultyPeer p : cluster.peers) p.corruptStored(bad);
        try (java.io.InputStream in = router.openBall(info, 0, -1)) {
            RouterException cut = assertThrows(RouterException.class, in::readAllBytes, "cut at chunk 6");
            assertTrue(cut.getMessage().contains(bad), cut.getMessage());
        }
        assertEquals(1, router.stats().maintenance().getsCut());
        TestCluster.await("repair marks it unrepairable", () -> router.stats().maintenance().unrepairable() == 1);
    }

    /**
     * The case left: every copy of a later chunk goes bad after the status line was sent (after the
     * verification). The stream is cut; the cut is counted ({@code getsCut}) and the bad copies are
     * queued for repair, which marks the chunk unrepairable, so the next GET fails before its first byte.
     */
    @Test
    void aChunkDamagedAfterTheStatusLineCutsTheStreamCountedAndRepaired() throws Exception {
        cluster = new TestCluster(3);
        Router router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)));
        router.createBucket("b", "o", "r");
        put(router, "b", "k", random(8 * CHUNK, 12));
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: every copy lands before copies are taken away
        BallInfo info = router.headBall("b", "k").orElseThrow();
        String bad = ((BallRecord) info.layout()).chunkId(6);
        try (java.io.InputStream in = router.openBall(info, 0, -1)) { // primed: a server sends the status line now
            for (FaultyPeer p : cluster.peers) p.corruptStored(bad);
            assertThrows(RouterException.class, in::readAllBytes, "cut at chunk 6");
        }
        assertEquals(1, router.stats().maintenance().getsCut());
        TestCluster.await("repair marks it unrepairable", () -> router.stats().maintenance().unrepairable() == 1);
        RouterException e = assertThrows(RouterException.class, () -> router.openBall(info, 0, -1).close());
        assertEquals(RouterException.Kind.CHUNK_UNAVAILABLE, e.kind());
        assertEquals(1, router.stats().maintenance().getsCut(), "the next GET is refused before its status line, not cut");
    }
}

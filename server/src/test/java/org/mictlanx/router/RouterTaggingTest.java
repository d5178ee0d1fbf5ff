package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.CHUNK;
import static org.mictlanx.router.fake.TestCluster.await;
import static org.mictlanx.router.fake.TestCluster.get;
import static org.mictlanx.router.fake.TestCluster.put;
import static org.mictlanx.router.fake.TestCluster.random;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.BallRecord;

/** Object tags in the ball record: stored with puts, copies and completions; replaced in place; never undo a write. */
class RouterTaggingTest {

    private TestCluster cluster;
    private Router router;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3);
        router = cluster.router(TestCluster.config(Duration.ofMillis(500), Duration.ofHours(1)));
        router.createBucket("b", "alice", "mx-1");
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static Map<String, String> tags(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private BallInfo putTagged(String key, byte[] data, Map<String, String> tags) {
        return router.putBall(put("b", key, data.length).withTags(tags), new ByteArrayInputStream(data));
    }

    /** A put returns at W = 2 of 3: waits until every replica holds {@code key}'s record (before one is taken down or read). */
    private void awaitOnEveryReplica(String key) {
        await("every replica holds " + key, () -> cluster.peers.stream().allMatch(p -> p.storedRecord("b", key).isPresent()));
    }

    @Test
    void putCopyAndCompleteStoreTagsAndReplaceKeepsVersionEtagAndData() {
        byte[] data = random(3 * CHUNK + 5, 1);
        BallInfo put = putTagged("k", data, tags("z", "1", "a", "2"));
        BallInfo head = router.headBall("b", "k").orElseThrow();
        assertEquals(List.of("z", "a"), List.copyOf(head.tags().keySet()), "stored order is kept");

        BallInfo copied = router.copyBall(head, "b", "kept", head.headers(), head.userMetadata(), WriteCondition.NONE);
        assertEquals(head.tags(), copied.tags(), "the six-argument copy keeps the source's tags");
        BallInfo replaced = router.copyBall(head, "b", "new", head.headers(), head.userMetadata(), tags("x", "y"),
                WriteCondition.NONE);
        assertEquals(Map.of("x", "y"), router.headBall("b", "new").orElseThrow().tags());
        assertEquals(Map.of(), router.copyBall(head, "b", "none", Map.of(), Map.of(), Map.of(), null).tags());
        assertEquals(put.etag(), replaced.etag());

        BallInfo retagged = router.replaceTags("b", "k", tags("only", "one")).orElseThrow();
        assertEquals(Map.of("only", "one"), retagged.tags());
        BallInfo after = router.headBall("b", "k").orElseThrow();
        assertEquals(Map.of("only", "one"), after.tags());
        assertEquals(head.version(), after.version(), "a tag change is not a new version");
        assertEquals(head.etag(), after.etag());
        assertEquals(head.lastModified(), after.lastModified());
        assertEquals(((BallRecord) head.layout()).ballId(), ((BallRecord) after.layout()).ballId());
        assertArrayEquals(data, get(router, "b", "k"));
        assertArrayEquals(data, TestCluster.readAll(router, head, 0, -1), "a reader holding the old info still reads");
        assertEquals(Map.of("z", "1", "a", "2"), router.headBall("b", "kept").orElseThrow().tags(),
                "the copy's tags are its own");

        assertEquals(Map.of(), router.replaceTags("b", "k", Map.of()).orElseThrow().tags());
        assertEquals(Map.of(), router.headBall("b", "k").orElseThrow().tags());
        assertTrue(router.replaceTags("b", "absent", tags("a", "b")).isEmpty());
        router.deleteBall("b", "k");
        assertTrue(router.replaceTags("b", "k", tags("a", "b")).isEmpty(), "a deleted ball is not resurrected");
        assertTrue(router.headBall("b", "k").isEmpty());

        String id = router.createUpload("b", "mp", Map.of(), Map.of(), tags("team", "core"), Set.of(), null);
        PartInfo p1 = router.putPart("b", "mp", id, 1, new ByteArrayInputStream(data), data.length, Set.of(), null);
        BallInfo done = router.completeUpload("b", "mp", id, List.of(new CompletedPart(1, p1.etag(), Map.of())), null);
        assertEquals(Map.of("team", "core"), done.tags());
        assertEquals(Map.of("team", "core"), router.headBall("b", "mp").orElseThrow().tags());
    }

    @Test
    void aReplacementMissedByADownPeerIsReadRepairedOntoIt() {
        putTagged("k", random(100, 2), tags("v", "1"));
        awaitOnEveryReplica("k");
        FaultyPeer p0 = cluster.peers.get(0);
        p0.down(true);
        router.replaceTags("b", "k", tags("v", "2"));
        assertEquals(Map.of("v", "1"), BallRecord.decode(p0.storedRecord("b", "k").orElseThrow().value()).tags());
        p0.down(false);
        router.probeNow();
        assertEquals(Map.of("v", "2"), router.headBall("b", "k").orElseThrow().tags());
        await("read repair carries the new tags to the peer that missed them",
                () -> BallRecord.decode(p0.storedRecord("b", "k").orElseThrow().value()).tags().equals(Map.of("v", "2")));
        for (FaultyPeer p : cluster.peers) {
            assertEquals(cluster.peers.get(1).storedRecord("b", "k"), p.storedRecord("b", "k"), "replicas converged");
        }
    }

    /**
     * The race a tag replacement must survive: it read ball A, a put of B committed, then the
     * replacement (derived from A) reaches the replicas, some before and some after B. B must stay.
     */
    @Test
    void aLateReplacementDerivedFromTheOldBallNeverUndoesAConcurrentOverwrite() {
        putTagged("k", random(2 * CHUNK, 3), tags("gen", "a"));
        awaitOnEveryReplica("k");
        MetaRecord a = cluster.peers.get(0).storedRecord("b", "k").orElseThrow();
        MetaRecord aRetagged = new MetaRecord("b", "k", a.version(), false,
                BallRecord.decode(a.value()).withTags(tags("late", "yes")).encode());
        // the replacement lands on one replica before B does there (that replica then misses B's write)
        FaultyPeer early = cluster.peers.get(0);
        early.putRecord(aRetagged);
        early.down(true);
        byte[] bData = random(3 * CHUNK, 4);
        BallInfo b = putTagged("k", bData, tags("gen", "b"));
        early.down(false);
        router.probeNow();
        // and lands on the others after B
        for (FaultyPeer p : cluster.peers) p.putRecord(aRetagged);
        for (int i = 0; i < 3; i++) {
            BallInfo now = router.headBall("b", "k").orElseThrow();
            assertEquals(b.etag(), now.etag());
            assertEquals(Map.of("gen", "b"), now.tags());
        }
        assertArrayEquals(bData, get(router, "b", "k"));
        await("read repair replaces the stale replacement with B",
                () -> BallRecord.decode(early.storedRecord("b", "k").orElseThrow().value()).tags().equals(Map.of("gen", "b")));
    }

    /**
     * The race staged on the real code path: a tag replacement on one router has read ball A (its
     * read answers are held), a put of B on another router commits, then the replacement goes on
     * and writes. Its router's clock runs an hour ahead, so any version it issued would beat B's:
     * only writing at A's own version keeps B.
     */
    @Test
    void aReplacementThatReadTheOldBallBeforeAnOverwriteCommittedLeavesTheOverwrite() throws Exception {
        putTagged("k", random(CHUNK, 6), tags("gen", "a"));
        org.mictlanx.router.fake.TestClock ahead = new org.mictlanx.router.fake.TestClock();
        ahead.advance(Duration.ofHours(1));
        Router tagger = cluster.router(TestCluster.config(Duration.ofSeconds(60), Duration.ofHours(1)), ahead);
        CountDownLatch arrived = new CountDownLatch(cluster.peers.size());
        CountDownLatch release = new CountDownLatch(1);
        for (FaultyPeer p : cluster.peers) p.holdNextRead("b", "k", arrived, release);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<java.util.Optional<BallInfo>> replacing = pool.submit(() -> tagger.replaceTags("b", "k", tags("late", "yes")));
            assertTrue(arrived.await(30, TimeUnit.SECONDS), "the replacement read ball A");
            byte[] bData = random(2 * CHUNK, 7);
            BallInfo b = putTagged("k", bData, tags("gen", "b"));
            release.countDown();
            assertEquals(Map.of("late", "yes"), replacing.get(30, TimeUnit.SECONDS).orElseThrow().tags(),
                    "the replacement applied to A, which B then replaced");
            for (Router r : List.of(router, tagger)) {
                BallInfo now = r.headBall("b", "k").orElseThrow();
                assertEquals(b.etag(), now.etag());
                assertEquals(Map.of("gen", "b"), now.tags());
            }
            assertArrayEquals(bData, get(router, "b", "k"));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentTagReplacementsNeverResurrectAnOverwrittenBall() throws Exception {
        putTagged("k", random(CHUNK, 5), tags("n", "0"));
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> taggers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int id = t;
                taggers.add(pool.submit(() -> {
                    int n = 0;
                    do {
                        router.replaceTags("b", "k", tags("tagger", Integer.toString(id), "n", Integer.toString(n++)));
                        started.countDown();
                    } while (writing.get());
                    return n;
                }));
            }
            assertTrue(started.await(30, TimeUnit.SECONDS), "both taggers replaced tags before the overwrites");
            BallInfo last = null;
            byte[] lastData = null;
            for (int i = 1; i <= 40; i++) {
                lastData = random(CHUNK / 2 + i, 100 + i);
                last = putTagged("k", lastData, tags("gen", Integer.toString(i)));
            }
            writing.set(false);
            for (Future<Integer> f : taggers) f.get();
            BallInfo now = router.headBall("b", "k").orElseThrow();
            assertEquals(last.etag(), now.etag(), "the last acknowledged put is the ball");
            assertEquals(((BallRecord) last.layout()).ballId(), ((BallRecord) now.layout()).ballId());
            assertArrayEquals(lastData, get(router, "b", "k"));
            assertFalse(now.tags().isEmpty());
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
    }
}

package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.CHUNK;
import static org.mictlanx.router.fake.TestCluster.await;
import static org.mictlanx.router.fake.TestCluster.get;
import static org.mictlanx.router.fake.TestCluster.put;
import static org.mictlanx.router.fake.TestCluster.random;
import static org.mictlanx.router.fake.TestCluster.readAll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.fake.TestClock;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.router.meta.Segment;

/**
 * Versioned buckets across two routers over the same peers: concurrent writers of one key all
 * become versions (none lost, the newest id is the latest), and GC keeps a noncurrent version's
 * chunks until that very version is deleted, with the usual grace period.
 */
class RouterVersioningTest {

    private static final Duration GRACE = Duration.ofHours(1);

    private final TestClock clock = new TestClock();
    private TestCluster cluster;
    private Router a;
    private Router b;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3);
        a = cluster.router(TestCluster.config(Duration.ofSeconds(2), GRACE), clock);
        b = cluster.router(TestCluster.config(Duration.ofSeconds(2), GRACE), clock);
        a.createBucket("v", "o", "r");
        a.setBucketVersioning("v", VersioningState.ENABLED);
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private List<BallStore.VersionEntry> versions(Router r, String prefix) {
        return r.listBallVersions("v", prefix, null, 1000).entries();
    }

    @Test
    void concurrentWritersThroughTwoRoutersAllBecomeVersions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Set<String> acknowledged = new HashSet<>();
        try {
            for (int round = 0; round < 5; round++) {
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<BallInfo>> results = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    Router r = w % 2 == 0 ? a : b;
                    byte[] body = random(100 + w, round * 10L + w);
                    results.add(pool.submit(() -> {
                        start.await();
                        return put(r, "v", "k", body);
                    }));
                }
                for (Future<BallInfo> f : results) acknowledged.add(f.get().versionId());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(20, acknowledged.size(), "every acknowledged write has its own version id");
        List<BallStore.VersionEntry> listed = versions(b, "k");
        assertEquals(acknowledged, new HashSet<>(listed.stream().map(e -> e.ball().versionId()).toList()),
                "no acknowledged version is lost");
        String newest = acknowledged.stream().max(String::compareTo).orElseThrow();
        assertEquals(newest, listed.get(0).ball().versionId(), "newest first");
        assertTrue(listed.get(0).latest());
        assertEquals(1, listed.stream().filter(BallStore.VersionEntry::latest).count());
        assertEquals(newest, a.headBall("v", "k").orElseThrow().versionId(), "the newest version is the latest");
        assertEquals(newest, b.headBall("v", "k").orElseThrow().versionId());
    }

    /**
     * A bucket tag change and a versioning change racing through two routers: both survive (the
     * tag change and the configuration change both rewrite the bucket record, under one guard).
     */
    @Test
    void bucketTagChangeAndVersioningChangeRacingThroughTwoRoutersAreBothKept() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                Map<String, String> tags = Map.of("round", Integer.toString(round));
                VersioningState state = round % 2 == 0 ? VersioningState.SUSPENDED : VersioningState.ENABLED;
                Future<?> t = pool.submit(() -> {
                    start.await();
                    return a.replaceBucketTags("v", tags);
                });
                Future<?> v = pool.submit(() -> {
                    start.await();
                    return b.setBucketVersioning("v", state);
                });
                t.get();
                v.get();
                BucketInfo seen = b.listBuckets().stream().filter(x -> x.name().equals("v")).findFirst().orElseThrow(); // a quorum read
                assertEquals(tags, seen.tags(), "round " + round + ": the tag change is kept");
                assertEquals(state, seen.versioning(), "round " + round + ": the versioning change is kept");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Tags set by version id land on exactly that version, current or noncurrent, while another
     * router keeps writing new versions of the key: no version written meanwhile gets them.
     */
    @Test
    void tagChangeByVersionIdTargetsThatVersionOnlyWhileWritersRace() throws Exception {
        BallInfo first = put(a, "v", "k", random(50, 1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Set<String> written = new HashSet<>();
        try {
            for (int round = 0; round < 5; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                BallInfo target = a.headBall("v", "k").orElseThrow();
                Map<String, String> tags = Map.of("round", Integer.toString(round));
                byte[] body = random(60 + round, 100 + round);
                Future<BallInfo> w = pool.submit(() -> {
                    start.await();
                    return put(b, "v", "k", body);
                });
                Future<Optional<BallInfo>> t = pool.submit(() -> {
                    start.await();
                    return a.replaceVersionTags("v", "k", target.versionId(), tags);
                });
                written.add(w.get().versionId());
                assertEquals(tags, t.get().orElseThrow().tags());
                assertEquals(tags, b.headBallVersion("v", "k", target.versionId()).orElseThrow().tags(),
                        "the version named got the tags");
                BallInfo latest = b.headBall("v", "k").orElseThrow();
                assertEquals(w.get().versionId(), latest.versionId());
                assertEquals(Map.of(), latest.tags(), "the version written meanwhile did not get them");
            }
        } finally {
            pool.shutdownNow();
        }
        // a noncurrent version's tags change without touching the latest
        assertTrue(a.replaceVersionTags("v", "k", first.versionId(), Map.of("old", "yes")).isPresent());
        assertEquals(Map.of("old", "yes"), b.headBallVersion("v", "k", first.versionId()).orElseThrow().tags());
        assertEquals(Map.of(), b.headBall("v", "k").orElseThrow().tags());
        assertEquals(5, written.size());
    }

    /**
     * Suspended writes find the key's null version through the null-version index: each replaces the
     * previous null version (one null version at any time, through either router), the versions
     * written while Enabled stay, a deleted null version is gone for good, and an index entry naming
     * a version that was never written (a crash between the index and the history write) still
     * finds the real null version by the fallback scan. Finding the null version reads no history
     * page (point reads only), however many versions the key has.
     */
    @Test
    void suspendedWritesReplaceTheOneNullVersionThroughTheIndex() {
        List<String> enabled = new ArrayList<>();
        for (int i = 0; i < 3; i++) enabled.add(put(a, "v", "n", random(10, i)).versionId());
        a.setBucketVersioning("v", VersioningState.SUSPENDED);
        for (int i = 0; i < 4; i++) {
            long scans = cluster.peers.stream().mapToLong(p -> p.scans("_mx.ver.")).sum(); // history scans (quota checks scan _mx.usage)
            BallInfo w = put(i % 2 == 0 ? a : b, "v", "n", random(20 + i, 50 + i));
            assertEquals(scans, cluster.peers.stream().mapToLong(p -> p.scans("_mx.ver.")).sum(),
                    "a suspended write finds the null version by point reads, not a history scan");
            assertEquals("null", w.versionId());
            List<BallStore.VersionEntry> listed = versions(b, "n");
            assertEquals(1, listed.stream().filter(e -> e.ball().versionId().equals("null")).count(), "round " + i);
            assertEquals(20 + i, b.headBallVersion("v", "n", "null").orElseThrow().size());
            assertEquals(4, listed.size());
        }
        assertTrue(a.deleteBallVersion("v", "n", "null").isPresent());
        assertTrue(b.headBallVersion("v", "n", "null").isEmpty());
        assertEquals(enabled.getLast(), b.headBall("v", "n").orElseThrow().versionId());
        put(b, "v", "n", random(7, 99));
        assertEquals(7, a.headBallVersion("v", "n", "null").orElseThrow().size());

        // a stale index entry (names a history record that does not exist): the scan still finds the null version
        MetaRecord stale = new MetaRecord(org.mictlanx.router.meta.VersionIds.nullPartition("v"), "n", Long.MAX_VALUE / 2,
                false, org.mictlanx.router.meta.VersionIds.sortKey("n", "null", 12345).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        cluster.peers.forEach(p -> p.putRecords(List.of(stale)));
        assertEquals(7, a.headBallVersion("v", "n", "null").orElseThrow().size());
        put(a, "v", "n", random(8, 100));
        assertEquals(1, versions(b, "n").stream().filter(e -> e.ball().versionId().equals("null")).count());
        assertEquals(8, b.headBallVersion("v", "n", "null").orElseThrow().size());
    }

    @Test
    void gcKeepsANoncurrentVersionUntilThatVersionIsDeleted() {
        byte[] one = random(3 * CHUNK, 1);
        byte[] two = random(2 * CHUNK, 2);
        BallInfo v1 = put(a, "v", "k", one);
        BallInfo v2 = put(b, "v", "k", two);
        cluster.awaitChunkWrites(); // the puts returned at W = 2 of 3: let the third replicas land before counting
        BallRecord r1 = (BallRecord) v1.layout();
        clock.advance(GRACE.multipliedBy(3));
        a.gcNow();
        b.gcNow();
        assertEquals(9, replicas(r1), "a noncurrent version keeps its chunks");
        assertArrayEquals(one, readAll(a, a.headBallVersion("v", "k", v1.versionId()).orElseThrow(), 0, -1));

        // a delete marker hides the key but frees nothing
        assertTrue(a.deleteBallVersion("v", "k", null).orElseThrow().deleteMarker());
        assertTrue(a.headBall("v", "k").isEmpty());
        clock.advance(GRACE.multipliedBy(3));
        a.gcNow();
        assertEquals(9, replicas(r1));
        assertEquals(6, replicas((BallRecord) v2.layout()));

        // a copy of v1 shares its segment: deleting v1 must not free it
        BallInfo copy = a.copyBall(a.headBallVersion("v", "k", v1.versionId()).orElseThrow(), "v", "copy",
                v1.headers(), v1.userMetadata(), null);
        assertEquals(v1.versionId(), a.deleteBallVersion("v", "k", v1.versionId()).orElseThrow().versionId());
        awaitVersionRelease(r1);
        clock.advance(GRACE.plusMinutes(1));
        a.gcNow();
        assertEquals(9, replicas(r1), "the copy still refers to the segment");
        assertArrayEquals(one, get(b, "v", "copy"));

        // deleting v2 for good (it is noncurrent: the marker is newer) frees its chunks after the grace
        b.deleteBallVersion("v", "k", v2.versionId());
        awaitVersionRelease((BallRecord) v2.layout());
        a.gcNow();
        assertEquals(6, replicas((BallRecord) v2.layout()), "inside the grace period nothing is freed");
        clock.advance(GRACE.plusMinutes(1));
        a.gcNow();
        assertEquals(0, replicas((BallRecord) v2.layout()));
        assertTrue(copy.versionId().length() == 24);
    }

    @Test
    void deletingTheLatestVersionPromotesTheOneBefore() {
        BallInfo v1 = put(a, "v", "k", random(10, 1));
        BallInfo v2 = put(a, "v", "k", random(20, 2));
        b.deleteBallVersion("v", "k", v2.versionId());
        assertEquals(v1.versionId(), a.headBall("v", "k").orElseThrow().versionId());
        assertEquals(10, a.headBall("v", "k").orElseThrow().size());
        assertEquals(v1.lastModified(), a.headBall("v", "k").orElseThrow().lastModified(), "LastModified is the version's own");
        b.deleteBallVersion("v", "k", v1.versionId());
        assertTrue(a.headBall("v", "k").isEmpty());
        assertTrue(versions(a, "k").isEmpty());
    }

    @Test
    void aLegalHoldAndADeleteRacingThroughTwoRoutersNeverBothSucceed() throws Exception {
        a.setBucketObjectLock("v", new ObjectLockConfig(true, null, 0, 0));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String key = "race-" + round;
                BallInfo v = put(a, "v", key, random(100, round));
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Boolean> held = pool.submit(() -> {
                    start.await();
                    return a.changeBallLock("v", key, v.versionId(),
                            h -> org.mictlanx.router.lock.LockState.withLegalHold(h, true)).isPresent();
                });
                Future<String> deleted = pool.submit(() -> {
                    start.await();
                    try {
                        return b.deleteBallVersion("v", key, v.versionId(), true).isPresent() ? "deleted" : "absent";
                    } catch (RouterException e) {
                        return e.kind().name();
                    }
                });
                boolean hold = held.get();
                String del = deleted.get();
                if (hold) {
                    assertEquals("LOCKED", del, "a delete after an acknowledged hold is refused");
                    assertTrue(b.headBallVersion("v", key, v.versionId()).isPresent(), "the held version survives");
                } else {
                    assertEquals("deleted", del, "the hold found no version because the delete came first");
                    assertTrue(a.headBallVersion("v", key, v.versionId()).isEmpty());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void awaitVersionRelease(BallRecord ball) {
        Segment seg = ball.segments().get(0);
        String partition = Partitions.ref(seg.id());
        String sortKey = seg.id() + "/v/" + ball.ballId();
        await("release of version " + ball.ballId(), () -> cluster.peers.stream()
                .filter(p -> p.storedRecord(partition, sortKey).map(MetaRecord::tombstone).orElse(false)).count() >= 2);
    }

    private int replicas(BallRecord ball) {
        int n = 0;
        for (Segment s : ball.segments()) {
            for (long i = 0; i < s.chunkCount(); i++) n += cluster.replicas(s.chunkId(i));
        }
        return n;
    }

}

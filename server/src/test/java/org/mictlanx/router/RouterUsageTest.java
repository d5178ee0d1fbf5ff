package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.router.meta.UsageRecords;
import org.mictlanx.router.usage.UsageConfig;

/**
 * Per-bucket usage and quotas through two routers over the same three RocksDB peers: every write
 * path changes the figures both routers read, a restarted router carries on, a recount corrects
 * injected drift, and a quota set through one router refuses writes through the other before any
 * data is stored.
 */
class RouterUsageTest {

    private static final int MIN_PART = 64 << 10;

    @TempDir
    Path dir;

    private final List<LocalPeer> peers = new ArrayList<>();
    private final List<Router> routers = new ArrayList<>();
    private final MasterKeys keys = MasterKeys.random("k1");

    @BeforeEach
    void setUp() {
        for (int i = 0; i < 3; i++) {
            peers.add(LocalPeer.open(PeerConfig.builder("p" + i).dataDir(dir.resolve("p" + i)).diskReserveBytes(0)
                    .scrubBytesPerSecond(0).build()));
        }
        routers.add(router());
        routers.add(router());
    }

    /** Flushes only when told (the test decides when the other router sees a change); quota figures never cached. */
    private Router router() {
        UsageConfig usage = UsageConfig.defaults().withIntervals(Duration.ofHours(1), Duration.ZERO, Duration.ZERO);
        RouterConfig cfg = RouterConfig.defaults().withMultipart(Duration.ofDays(7), MIN_PART);
        return Router.builder().peers(peers).masterKeys(keys).config(cfg).chunkSize(32 << 10).usage(usage).background(false).build();
    }

    @AfterEach
    void tearDown() {
        routers.forEach(Router::close);
        peers.forEach(LocalPeer::close);
    }

    private static BallInfo put(Router r, String bucket, String key, int size) {
        return r.putBall(new PutBall(bucket, key, size, Map.of(), Map.of(), Set.of(), null), new ByteArrayInputStream(new byte[size]));
    }

    private void flushAll() {
        for (Router r : routers) assertTrue(r.flushUsage());
    }

    private static void assertUsage(Router r, String bucket, long bytes, long objects, long uploadBytes) {
        BucketUsage u = r.usage().usage(bucket);
        assertEquals(List.of(bytes, objects, uploadBytes), List.of(u.bytes(), u.objects(), u.uploadBytes()), "usage of " + bucket + ": " + u);
    }

    @Test
    void everyWritePathIsCountedAndBothRoutersAgree() {
        Router a = routers.get(0);
        Router b = routers.get(1);
        a.createBucket("u", "alice", "us-east-1");
        put(a, "u", "k1", 1000);
        put(b, "u", "k2", 100_000); // chunked, not inline
        assertUsage(a, "u", 1000, 1, 0); // b's change is not flushed yet; a sees its own at once
        flushAll();
        assertUsage(a, "u", 101_000, 2, 0);
        assertUsage(b, "u", 101_000, 2, 0);

        put(b, "u", "k1", 300); // overwrite: 1000 -> 300
        assertTrue(a.deleteBall("u", "k2"));
        assertTrue(!b.deleteBall("u", "nope"));
        BallInfo src = a.headBall("u", "k1").orElseThrow();
        b.copyBall(src, "u", "k3", Map.of(), Map.of(), null);
        flushAll();
        assertUsage(a, "u", 600, 2, 0);

        String id = a.createUpload("u", "mp", Map.of(), Map.of(), Set.of(), null);
        a.putPart("u", "mp", id, 1, new ByteArrayInputStream(new byte[MIN_PART]), MIN_PART, Set.of(), null);
        b.putPart("u", "mp", id, 2, new ByteArrayInputStream(new byte[5000]), 5000, Set.of(), null);
        b.putPart("u", "mp", id, 3, new ByteArrayInputStream(new byte[7000]), 7000, Set.of(), null);
        a.putPart("u", "mp", id, 2, new ByteArrayInputStream(new byte[MIN_PART]), MIN_PART, Set.of(), null); // replaces part 2
        flushAll();
        assertUsage(b, "u", 600, 2, 2L * MIN_PART + 7000);
        b.completeUpload("u", "mp", id, List.of(CompletedPart.of(1), CompletedPart.of(2)), null); // part 3 unused
        awaitUsage(b, "u", 600 + 2L * MIN_PART, 3, 0);

        String aborted = a.createUpload("u", "ab", Map.of(), Map.of(), Set.of(), null);
        a.putPart("u", "ab", aborted, 1, new ByteArrayInputStream(new byte[4000]), 4000, Set.of(), null);
        a.abortUpload("u", "ab", aborted);
        flushAll();
        assertUsage(a, "u", 600 + 2L * MIN_PART, 3, 0);
        BucketUsages.Recount r = a.usage().recount("u");
        assertEquals(r.before(), r.after(), "nothing to correct after exact accounting");
    }

    @Test
    void aRestartedRouterCarriesOnAndARecountFixesDrift() {
        Router a = routers.get(0);
        a.createBucket("d", "alice", "us-east-1");
        for (int i = 0; i < 5; i++) put(a, "d", "k" + i, 2000);
        a.close(); // a clean stop flushes
        routers.remove(a);
        Router c = router();
        routers.add(c);
        assertUsage(c, "d", 10_000, 5, 0);
        assertTrue(c.deleteBall("d", "k0"));
        assertUsage(c, "d", 8000, 4, 0);

        // drift: a counter a crashed writer left behind that no longer matches the balls (fault injection)
        MetaRecord bogus = new MetaRecord(UsageRecords.PARTITION, UsageRecords.writerKey("d", "crashedwriter0001"),
                System.currentTimeMillis() << 20, false,
                new UsageRecords.Writer(new UsageRecords.Counts(777_777, 9, 123), System.currentTimeMillis()).encode());
        peers.forEach(p -> p.putRecord(bogus));
        assertUsage(c, "d", 785_777, 13, 123);
        flushAll();
        BucketUsages.Recount r = routers.get(0).usage().recount("d");
        assertEquals(785_777, r.before().bytes());
        assertUsage(c, "d", 8000, 4, 0);
        assertUsage(routers.get(0), "d", 8000, 4, 0);
        // the counters keep working on top of the new base
        put(c, "d", "k9", 500);
        put(routers.get(0), "d", "k8", 500);
        flushAll();
        assertUsage(c, "d", 9000, 6, 0);
        assertUsage(routers.get(0), "d", 9000, 6, 0);
    }

    @Test
    void aQuotaRefusesWritesThroughEveryRouterBeforeStoringAnything() throws Exception {
        Router a = routers.get(0);
        Router b = routers.get(1);
        a.createBucket("q", "alice", "us-east-1");
        a.usage().setQuota("q", 100_000);
        assertEquals(100_000, b.usage().usage("q").quotaBytes());
        put(b, "q", "fits", 90_000);
        flushAll();
        RouterException e = assertThrows(RouterException.class, () -> put(a, "q", "over", 20_000));
        assertEquals(RouterException.Kind.QUOTA_EXCEEDED, e.kind());
        assertEquals("100000", e.detail());
        assertTrue(a.headBall("q", "over").isEmpty());

        // unknown length: refused once the running total passes the quota, and rolled back
        InputStream endless = new ByteArrayInputStream(new byte[200_000]);
        e = assertThrows(RouterException.class,
                () -> b.putBall(new PutBall("q", "stream", -1, Map.of(), Map.of(), Set.of(), null), endless));
        assertEquals(RouterException.Kind.QUOTA_EXCEEDED, e.kind());
        assertTrue(endless.available() > 0, "refused before reading the whole body");
        assertTrue(b.headBall("q", "stream").isEmpty());

        BallInfo src = a.headBall("q", "fits").orElseThrow();
        assertEquals(RouterException.Kind.QUOTA_EXCEEDED,
                assertThrows(RouterException.class, () -> b.copyBall(src, "q", "copy", Map.of(), Map.of(), null)).kind());
        String id = a.createUpload("q", "mp", Map.of(), Map.of(), Set.of(), null);
        assertEquals(RouterException.Kind.QUOTA_EXCEEDED, assertThrows(RouterException.class,
                () -> a.putPart("q", "mp", id, 1, new ByteArrayInputStream(new byte[MIN_PART]), MIN_PART, Set.of(), null)).kind());
        put(a, "q", "small", 10_000); // exactly up to the quota
        flushAll();
        assertUsage(b, "q", 100_000, 2, 0);
        assertEquals(RouterException.Kind.QUOTA_EXCEEDED, assertThrows(RouterException.class, () -> put(b, "q", "one", 1)).kind());

        b.usage().clearQuota("q");
        put(a, "q", "after", 20_000);
        flushAll();
        assertUsage(a, "q", 120_000, 3, 0);
        assertEquals(-1, a.usage().usage("q").quotaBytes());
    }

    @Test
    void aVersionedBucketCountsEveryStoredVersionAndARecountAgrees() {
        Router a = routers.get(0);
        Router b = routers.get(1);
        a.createBucket("v", "alice", "us-east-1");
        put(a, "v", "k", 1000); // written unversioned: becomes the null version
        put(a, "v", "other", 50);
        a.setBucketVersioning("v", VersioningState.ENABLED);
        BallInfo second = put(b, "v", "k", 300); // overwrite keeps both sizes
        put(a, "v", "k", 500);
        flushAll();
        assertUsage(a, "v", 1850, 4, 0);
        assertUsage(b, "v", 1850, 4, 0);
        assertEquals(a.usage().recount("v").before(), b.usage().usage("v"), "recount agrees with the incremental figures");

        BallStore.DeletedVersion marker = a.deleteBallVersion("v", "k", null).orElseThrow();
        assertTrue(marker.deleteMarker());
        assertUsage(a, "v", 1850, 4, 0); // a delete marker adds nothing and removes nothing
        assertTrue(b.deleteBallVersion("v", "k", second.versionId()).isPresent()); // permanent delete subtracts
        flushAll();
        assertUsage(a, "v", 1550, 3, 0);
        assertTrue(a.deleteBallVersion("v", "k", marker.versionId()).orElseThrow().deleteMarker());
        assertUsage(a, "v", 1550, 3, 0); // removing the marker frees nothing
        BucketUsages.Recount r = b.usage().recount("v");
        assertEquals(r.before(), r.after(), "nothing to correct: " + r);

        // suspended: a new null version replaces the old one (1000) for good, and so does a delete marker
        a.setBucketVersioning("v", VersioningState.SUSPENDED);
        put(a, "v", "k", 200);
        assertUsage(a, "v", 750, 3, 0);
        assertTrue(a.deleteBallVersion("v", "k", null).orElseThrow().deleteMarker(), "a versioned delete adds a marker");
        assertUsage(a, "v", 550, 2, 0);
        assertTrue(a.deleteBallVersion("v", "other", "null").isPresent()); // the unversioned ball, as version null
        flushAll();
        assertUsage(b, "v", 500, 1, 0);
        r = a.usage().recount("v");
        assertEquals(r.before(), r.after(), "nothing to correct: " + r);
        assertUsage(a, "v", 500, 1, 0);
    }

    @Test
    void aDeletedAndRecreatedBucketStartsFromZero() {
        Router a = routers.get(0);
        Router b = routers.get(1);
        a.createBucket("z", "alice", "us-east-1");
        put(b, "z", "k", 3000);
        a.usage().setQuota("z", 5000);
        flushAll();
        assertTrue(a.deleteBall("z", "k"));
        a.deleteBucket("z");
        assertThrows(RouterException.class, () -> a.usage().usage("z"));
        b.createBucket("z", "bob", "us-east-1");
        flushAll();
        assertUsage(a, "z", 0, 0, 0);
        assertEquals(-1, a.usage().usage("z").quotaBytes());
        assertEquals(List.of("z"), a.usage().all().stream().map(BucketUsage::bucket).toList());
    }

    @Test
    void countersOfRotatedWritersAreFoldedByARecountWithoutChangingTheFigures() {
        org.mictlanx.router.fake.TestClock clock = new org.mictlanx.router.fake.TestClock();
        UsageConfig rotating = new UsageConfig(Duration.ofHours(1), Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1));
        Router w = Router.builder().peers(peers).masterKeys(keys).usage(rotating).clock(clock).background(false).build();
        routers.add(w);
        w.createBucket("f", "alice", "us-east-1");
        put(w, "f", "a", 1000);
        assertTrue(w.flushUsage());
        clock.advance(Duration.ofMinutes(2));
        assertTrue(w.flushUsage()); // rotates: a new writer id takes the next changes
        put(w, "f", "b", 2000);
        assertTrue(w.flushUsage());
        awaitWriters("f", 2);
        clock.advance(Duration.ofMinutes(4));
        assertTrue(w.flushUsage()); // rotates again; both earlier counters are final and older than three rotations
        BucketUsages.Recount r = w.usage().recount("f");
        assertEquals(r.before(), r.after());
        awaitWriters("f", 0);
        assertUsage(w, "f", 3000, 2, 0);
        assertUsage(routers.get(0), "f", 3000, 2, 0);
        put(w, "f", "c", 500);
        assertTrue(w.flushUsage());
        assertUsage(routers.get(1), "f", 3500, 3, 0);
    }

    /** Waits until every peer holds exactly {@code n} live writer counters of the bucket. */
    private void awaitWriters(String bucket, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<Long> counts = peers.stream().map(p -> p.scanRecords(UsageRecords.PARTITION, UsageRecords.prefix(bucket), null, 100).stream()
                    .filter(rec -> !rec.tombstone() && UsageRecords.writerOf(rec.sortKey()) != null).count()).toList();
            if (counts.stream().allMatch(c -> c == n)) return;
            if (System.nanoTime() > deadline) assertEquals(List.of((long) n, (long) n, (long) n), counts);
            Thread.onSpinWait();
        }
    }

    private static void awaitUsage(Router r, String bucket, long bytes, long objects, long uploadBytes) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            r.flushUsage();
            BucketUsage u = r.usage().usage(bucket);
            if (u.bytes() == bytes && u.objects() == objects && u.uploadBytes() == uploadBytes) return;
            if (System.nanoTime() > deadline) assertUsage(r, bucket, bytes, objects, uploadBytes);
            Thread.onSpinWait();
        }
    }
}

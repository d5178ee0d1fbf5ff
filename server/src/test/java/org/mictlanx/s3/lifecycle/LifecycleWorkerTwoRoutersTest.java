package org.mictlanx.s3.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.Router;
import org.mictlanx.router.lock.LockState;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.ClusterLease;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.xml.S3Xml;

/**
 * The lifecycle worker over the real router and two routers sharing three in-process peers: the
 * cluster lease admits one worker at a time and passes to the other router once the holder stops;
 * a worker stopped mid-scan leaves its cursor in the replicated metadata and a restarted worker
 * continues there, so every due ball is expired exactly once (none skipped, none twice). The
 * workers' clock runs 400 days ahead, so the rules' days have passed without waiting.
 */
class LifecycleWorkerTwoRoutersTest {

    private static final String RULE = "<LifecycleConfiguration><Rule><ID>old-logs</ID><Filter><Prefix>logs/</Prefix></Filter>"
            + "<Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>";
    private static final Clock LATER = Clock.offset(Clock.systemUTC(), Duration.ofDays(400));

    private final TestCluster cluster = new TestCluster(3);
    private final Router a = cluster.router();
    private final Router b = cluster.router();
    private final S3Xml xml = new S3Xml();
    private final List<LifecycleWorker> workers = new ArrayList<>();

    @AfterEach
    void stop() {
        workers.forEach(LifecycleWorker::close);
        cluster.close();
    }

    private LifecycleConfigs configs(BallStore store) {
        return new LifecycleConfigs(new BucketConfigurations(store.metaTable(), System::nanoTime), xml);
    }

    private LifecycleWorker worker(Router r, LifecycleWorker.Lease lease) {
        LifecycleWorker w = new LifecycleWorker(r, configs(r), lease,
                new LifecycleWorker.Settings(Duration.ofHours(1), LifecycleWorker.DAY_MILLIS, 100_000, Duration.ofSeconds(5)), LATER);
        workers.add(w);
        return w;
    }

    static LifecycleWorker.Lease of(ClusterLease l) {
        return new LifecycleWorker.Lease() {
            public boolean acquire() {
                return l.acquire();
            }

            public long heldFor() {
                return l.heldFor();
            }

            public void release() {
                l.release();
            }
        };
    }

    private BucketInfo bucketWithRule(String name, int logs, int others) {
        BucketInfo bucket = a.createBucket(name, "owner", "us-east-1");
        configs(a).put(bucket, xml.read(RULE.getBytes(StandardCharsets.UTF_8), LifecycleConfiguration.class));
        for (int i = 0; i < logs; i++) TestCluster.put(a, name, String.format("logs/%04d", i), new byte[] {(byte) i});
        for (int i = 0; i < others; i++) TestCluster.put(a, name, String.format("keep/%04d", i), new byte[] {(byte) i});
        return bucket;
    }

    private int count(String bucket, String prefix) {
        return a.listBalls(bucket, prefix, null, 10_000).balls().size();
    }

    @Test
    void oneWorkerAtATimeAndTheOtherRouterTakesOverWhenTheHolderStops() {
        bucketWithRule("leased", 5, 3);
        ClusterLease leaseA = a.clusterLease(LifecycleWorker.LEASE, "router-a", Duration.ofSeconds(5));
        ClusterLease leaseB = b.clusterLease(LifecycleWorker.LEASE, "router-b", Duration.ofSeconds(5));
        LifecycleWorker wa = worker(a, of(leaseA));
        LifecycleWorker wb = worker(b, of(leaseB));
        assertTrue(wa.runOnce(), "the first worker takes the lease and completes a pass");
        assertEquals(0, count("leased", "logs/"));
        assertEquals(3, count("leased", "keep/"), "balls outside the rule's prefix stay");
        assertEquals(5, wa.stats().expired());
        assertFalse(wb.runOnce(), "the other router's worker does not run while the lease is held");
        assertEquals(Optional.of("router-a"), leaseB.holderSeen());
        assertTrue(wa.runOnce(), "the holder renews its own lease");
        // router A stops (no release: as if its process died); B takes over once the lease expires
        TestCluster.put(a, "leased", "logs/late", new byte[] {1});
        TestCluster.await("router B taking the lease over", wb::runOnce);
        assertEquals(Optional.of("router-b"), leaseA.holderSeen());
        assertEquals(0, count("leased", "logs/"), "router B expired the ball written after A stopped");
        assertEquals(1, wb.stats().expired());
        assertFalse(leaseA.acquire(), "A cannot take it back while B holds it");
    }

    @Test
    void aWorkerStoppedMidScanResumesFromItsCursorWithoutSkippingOrExpiringTwice() {
        bucketWithRule("alpha-big", 250, 20);
        bucketWithRule("zulu-after", 7, 0);
        // a lease that is lost after a number of checks: the worker stops in the middle of "big"
        AtomicInteger checks = new AtomicInteger(150);
        LifecycleWorker.Lease flaky = new LifecycleWorker.Lease() {
            public boolean acquire() {
                return checks.get() > 0;
            }

            public long heldFor() {
                return checks.getAndDecrement() > 0 ? 1_000_000 : 0;
            }

            public void release() {
            }
        };
        LifecycleWorker first = worker(a, flaky);
        assertFalse(first.runOnce(), "the pass stops when the lease is lost");
        long expiredFirst = first.stats().expired();
        assertTrue(expiredFirst > 0 && expiredFirst < 250, "stopped mid-bucket: " + expiredFirst);
        assertTrue(first.stats().position().startsWith("alpha-big/current/logs/"), first.stats().position());
        assertEquals(250 - expiredFirst, count("alpha-big", "logs/"));
        first.close();

        // a restarted worker on the other router continues at the stored cursor
        LifecycleWorker second = worker(b, of(b.clusterLease(LifecycleWorker.LEASE, "router-b", Duration.ofSeconds(30))));
        assertTrue(second.runOnce());
        assertEquals(0, count("alpha-big", "logs/"), "nothing skipped");
        assertEquals(0, count("zulu-after", "logs/"));
        assertEquals(20, count("alpha-big", "keep/"));
        assertEquals(250 + 7, expiredFirst + second.stats().expired(), "every ball expired exactly once");
        assertTrue(second.stats().ballsScanned() < 270 + 7,
                "the second worker did not rescan what the first had done: " + second.stats().ballsScanned());
        assertEquals("", second.stats().position(), "the pass completed: the cursor is back at the start");
        assertEquals(1, second.stats().passes());
    }

    @Test
    void versionedBucketGetsDeleteMarkersAndLockedVersionsStay() {
        BucketInfo bucket = a.createBucket("vers", "owner", "us-east-1", true); // object lock: versioned
        String doc = "<LifecycleConfiguration><Rule><ID>all</ID><Filter/><Status>Enabled</Status>"
                + "<Expiration><Days>1</Days></Expiration>"
                + "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>1</NewerNoncurrentVersions>"
                + "</NoncurrentVersionExpiration></Rule></LifecycleConfiguration>";
        configs(a).put(bucket, xml.read(doc.getBytes(StandardCharsets.UTF_8), LifecycleConfiguration.class));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) ids.add(TestCluster.put(a, "vers", "k", new byte[] {(byte) i}).versionId());
        // v1: legal hold; v2: COMPLIANCE for 30 more days (over in the worker's clock, not in the router's)
        a.changeBallLock("vers", "k", ids.get(0), h -> with(h, LockState.HOLD, "ON"));
        a.changeBallLock("vers", "k", ids.get(1), h -> with(with(h, LockState.MODE, LockState.COMPLIANCE),
                LockState.UNTIL, java.time.Instant.now().plus(Duration.ofDays(30)).toString()));
        LifecycleWorker w = worker(a, of(a.clusterLease(LifecycleWorker.LEASE, "router-a", Duration.ofSeconds(30))));
        assertTrue(w.runOnce());
        assertTrue(a.headBall("vers", "k").isEmpty(), "the current version is hidden by a delete marker");
        List<BallStore.VersionEntry> left = a.listBallVersions("vers", null, null, 100).entries();
        assertTrue(left.get(0).ball().deleteMarker(), left.toString());
        // v4 is kept as the one newer noncurrent version, v3 expired, v2 and v1 kept by their locks
        assertEquals(List.of(ids.get(3), ids.get(1), ids.get(0)),
                left.stream().skip(1).map(e -> e.ball().versionId()).toList());
        assertEquals(1, w.stats().deleteMarkersAdded());
        assertEquals(1, w.stats().noncurrentExpired());
        assertEquals(2, w.stats().lockedKept());
        assertTrue(w.runOnce(), "a second pass changes nothing");
        assertEquals(4, a.listBallVersions("vers", null, null, 100).entries().size());
        assertEquals(1, w.stats().deleteMarkersAdded(), "no marker on top of a marker");
    }

    @Test
    void aDaysRuleAlsoRemovesExpiredObjectDeleteMarkersOnceTheyAreOldEnough() {
        BucketInfo bucket = a.createBucket("markers", "owner", "us-east-1");
        a.setBucketVersioning("markers", org.mictlanx.router.VersioningState.ENABLED);
        String doc = "<LifecycleConfiguration><Rule><ID>month</ID><Filter/><Status>Enabled</Status>"
                + "<Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>";
        configs(a).put(bucket, xml.read(doc.getBytes(StandardCharsets.UTF_8), LifecycleConfiguration.class));
        String solo = TestCluster.put(a, "markers", "solo", new byte[] {1}).versionId();
        a.deleteBallVersion("markers", "solo", null); // a delete marker ...
        a.deleteBallVersion("markers", "solo", solo); // ... left alone once the version is removed: expired
        TestCluster.put(a, "markers", "hidden", new byte[] {2});
        a.deleteBallVersion("markers", "hidden", null); // a marker with a noncurrent version: not expired
        ClusterLease lease = a.clusterLease(LifecycleWorker.LEASE, "router-a", Duration.ofSeconds(30));
        LifecycleWorker today = new LifecycleWorker(a, configs(a), of(lease),
                new LifecycleWorker.Settings(Duration.ofHours(1), LifecycleWorker.DAY_MILLIS, 100_000, Duration.ofSeconds(30)),
                Clock.systemUTC());
        workers.add(today);
        assertTrue(today.runOnce());
        assertEquals(0, today.stats().deleteMarkersRemoved(), "a marker younger than Days stays");
        assertEquals(3, a.listBallVersions("markers", null, null, 100).entries().size());
        LifecycleWorker later = worker(a, of(lease));
        assertTrue(later.runOnce());
        assertEquals(1, later.stats().deleteMarkersRemoved());
        List<BallStore.VersionEntry> left = a.listBallVersions("markers", null, null, 100).entries();
        assertEquals(List.of("hidden", "hidden"), left.stream().map(e -> e.ball().key()).toList(), left.toString());
        assertTrue(left.get(0).ball().deleteMarker() && left.get(0).latest(), "the marker hiding a version stays");
    }

    private static java.util.Map<String, String> with(java.util.Map<String, String> h, String name, String value) {
        java.util.Map<String, String> out = new java.util.HashMap<>(h);
        out.put(name, value);
        return out;
    }
}

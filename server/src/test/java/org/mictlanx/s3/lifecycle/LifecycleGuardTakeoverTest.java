package org.mictlanx.s3.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.Router;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.ClusterLease;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.xml.S3Xml;

/**
 * A lifecycle lease holder that stops in the middle of an expiry (its read of the due key's record
 * never answers, as if its process were frozen or killed there) still holds that key's guard, whose
 * lease is ten minutes here. The router that takes the lifecycle lease over breaks the guards the
 * holder's expiries left and expires the key within seconds; a conditional writer of another router
 * holding its own guard on a due key (a live writer) is not broken: that key waits for it.
 */
class LifecycleGuardTakeoverTest {

    private static final String RULE = "<LifecycleConfiguration><Rule><ID>old-logs</ID><Filter><Prefix>logs/</Prefix></Filter>"
            + "<Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>";
    private static final Clock LATER = Clock.offset(Clock.systemUTC(), Duration.ofDays(400));
    /** Long peer calls, so a held read keeps its caller inside the guard: the guard lease is 10 x this. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final TestCluster cluster = new TestCluster(3);
    private final Router a = cluster.router(TestCluster.config(CALL_TIMEOUT, Duration.ofHours(1)));
    private final Router b = cluster.router(TestCluster.config(CALL_TIMEOUT, Duration.ofHours(1)));
    private final Router writer = cluster.router(TestCluster.config(CALL_TIMEOUT, Duration.ofHours(1)));
    private final CountDownLatch release = new CountDownLatch(1);
    private final S3Xml xml = new S3Xml();
    /** Threads of their own: the common pool may have one thread on a small machine, and both tasks block. */
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        release.countDown();
        threads.shutdownNow();
        cluster.close();
    }

    private LifecycleWorker worker(Router r, ClusterLease lease) {
        return new LifecycleWorker(r, new LifecycleConfigs(new BucketConfigurations(r.metaTable(), System::nanoTime), xml),
                LifecycleWorkerTwoRoutersTest.of(lease),
                new LifecycleWorker.Settings(Duration.ofHours(1), LifecycleWorker.DAY_MILLIS, 100_000, Duration.ofSeconds(5)),
                LATER);
    }

    /** Holds the next read of (bucket, key) on every peer; returns the latch counted down as each arrives. */
    private CountDownLatch holdReads(String bucket, String key) {
        CountDownLatch arrived = new CountDownLatch(cluster.peers.size());
        for (FaultyPeer p : cluster.peers) p.holdNextRead(bucket, key, arrived, release);
        return arrived;
    }

    @Test
    void theNewHolderExpiresTheKeyADeadHoldersExpiryLeftGuardedAndNeverBreaksALiveWritersGuard() throws Exception {
        BucketInfo bucket = a.createBucket("takeover", "owner", "us-east-1");
        new LifecycleConfigs(new BucketConfigurations(a.metaTable(), System::nanoTime), xml)
                .put(bucket, xml.read(RULE.getBytes(StandardCharsets.UTF_8), LifecycleConfiguration.class));
        for (String k : List.of("logs/busy", "logs/due", "keep/x")) TestCluster.put(a, "takeover", k, new byte[] {1});

        // a live conditional writer (another router) holds the guard of logs/busy: inside its delete, its read waits
        CountDownLatch writerInside = holdReads("takeover", "logs/busy");
        CompletableFuture<Optional<BallStore.DeletedVersion>> live = CompletableFuture.supplyAsync(
                () -> writer.deleteBallVersion("takeover", "logs/busy", "null"), threads);
        assertTrue(writerInside.await(30, TimeUnit.SECONDS), "the writer holds its guard");

        // router A's worker: logs/busy is guarded (skipped), and A stops inside the expiry of logs/due, its guard taken
        CountDownLatch aInside = holdReads("takeover", "logs/due");
        LifecycleWorker wa = worker(a, a.lifecycleLease(LifecycleWorker.LEASE, "router-a", Duration.ofSeconds(5)));
        CompletableFuture<Boolean> stuck = CompletableFuture.supplyAsync(wa::runOnce, threads);
        assertTrue(aInside.await(60, TimeUnit.SECONDS), "A's expiry of logs/due waits on its read, holding the key's guard");
        long stopped = System.nanoTime();

        // router B takes the lease over once A's runs out (A renews no more) and expires logs/due at once
        LifecycleWorker wb = worker(b, b.lifecycleLease(LifecycleWorker.LEASE, "router-b", Duration.ofSeconds(5)));
        TestCluster.await("router B taking the lease over and completing a pass", wb::runOnce);
        double seconds = (System.nanoTime() - stopped) / 1e9;
        assertTrue(a.headBall("takeover", "logs/due").isEmpty(), "the due key A was expiring is expired");
        assertTrue(seconds < 30, "within seconds of the takeover, not after A's 10-minute guard lease: " + seconds);
        assertEquals(1, wb.stats().expired());
        assertTrue(a.headBall("takeover", "logs/busy").isPresent(), "the live writer's guard was not broken: B skipped its key");
        assertTrue(a.headBall("takeover", "keep/x").isPresent());
        assertFalse(live.isDone(), "the writer is still inside its guard");

        // the writer finishes its own delete; A, unfrozen, finds its lease gone and stops
        release.countDown();
        assertTrue(live.get(60, TimeUnit.SECONDS).isPresent(), "the writer's delete went through under its guard");
        assertFalse(stuck.get(60, TimeUnit.SECONDS), "A's pass ends: its lease was taken over");
        assertTrue(a.headBall("takeover", "logs/due").isEmpty());
        assertTrue(wb.runOnce(), "B keeps the lease");
        assertEquals(1, wb.stats().expired(), "nothing left to expire: logs/busy was deleted by its writer");
    }

    /**
     * What an expiry killed between its two writes in a versioned bucket leaves (the marker's history
     * record written, the latest record not), once its guard is broken: the next expiry completes that
     * marker instead of adding a second one, so the key is expired exactly once.
     */
    @Test
    void anExpiryCompletesTheDeleteMarkerAnInterruptedExpiryLeftInsteadOfAddingASecond() {
        BucketInfo bucket = a.createBucket("half", "owner", "us-east-1");
        a.setBucketVersioning("half", org.mictlanx.router.VersioningState.ENABLED);
        new LifecycleConfigs(new BucketConfigurations(a.metaTable(), System::nanoTime), xml)
                .put(bucket, xml.read(RULE.getBytes(StandardCharsets.UTF_8), LifecycleConfiguration.class));
        String v = TestCluster.put(a, "half", "logs/k", new byte[] {1}).versionId();
        // the put returned at W = 2 of 3: wait for the straggler before taking each replica's latest record
        TestCluster.await("every replica holds the version",
                () -> cluster.peers.stream().allMatch(p -> p.storedRecord("half", "logs/k").isPresent()));
        List<Optional<org.mictlanx.peer.api.MetaRecord>> latest = cluster.peers.stream()
                .map(p -> p.storedRecord("half", "logs/k")).toList();
        LifecycleWorker w = worker(a, a.lifecycleLease(LifecycleWorker.LEASE, "router-a", Duration.ofSeconds(30)));
        assertTrue(w.runOnce());
        assertTrue(a.headBall("half", "logs/k").isEmpty(), "expired: a delete marker");
        // the marker's latest record also returned at W = 2 of 3: wait for the straggler before restoring each
        // replica's version record, or its late write lands on top of the restored one (CI saw that race)
        TestCluster.await("every replica holds the marker's latest record", () -> java.util.stream.IntStream
                .range(0, cluster.peers.size()).allMatch(i -> cluster.peers.get(i).storedRecord("half", "logs/k")
                        .map(r -> r.version() > latest.get(i).orElseThrow().version()).orElse(false)));
        // the latest record goes back to the version, the marker's history record stays: an interrupted expiry
        for (int i = 0; i < cluster.peers.size(); i++) {
            FaultyPeer p = cluster.peers.get(i);
            p.removeRecord("half", "logs/k");
            p.putRecord(latest.get(i).orElseThrow());
        }
        assertEquals(v, a.headBall("half", "logs/k").orElseThrow().versionId());
        assertTrue(w.runOnce());
        assertTrue(a.headBall("half", "logs/k").isEmpty());
        List<BallStore.VersionEntry> versions = a.listBallVersions("half", null, null, 100).entries();
        assertEquals(2, versions.size(), "one marker, one version: " + versions);
        assertTrue(versions.get(0).ball().deleteMarker() && versions.get(0).latest());
        assertEquals(v, versions.get(1).ball().versionId());
    }
}

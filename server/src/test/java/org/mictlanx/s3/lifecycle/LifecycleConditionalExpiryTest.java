package org.mictlanx.s3.lifecycle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.Router;
import org.mictlanx.router.VersioningState;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.xml.S3Xml;

/**
 * Lifecycle expiry never deletes a write that lands after the worker evaluated the ball: the store's
 * conditional delete ({@link BallStore#deleteBallIfCurrent}) over the real router and three in-process
 * peers, with racing writers injected (a store wrapper that writes just before the worker's delete; peer
 * reads held inside the delete while another router writes).
 */
class LifecycleConditionalExpiryTest {

    private static final String RULE = "<LifecycleConfiguration><Rule><ID>old-logs</ID><Filter><Prefix>logs/</Prefix></Filter>"
            + "<Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>";
    private static final Clock LATER = Clock.offset(Clock.systemUTC(), Duration.ofDays(400));

    private final TestCluster cluster = new TestCluster(3);
    // a call timeout long enough for a read held while another router writes, on a loaded machine
    private final Router a = cluster.router(TestCluster.config(Duration.ofSeconds(15), Duration.ofHours(1)));
    private final Router b = cluster.router();
    private final S3Xml xml = new S3Xml();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPutLandingAfterTheWorkerListedTheBallSurvivesItsExpiry() {
        BucketInfo bucket = a.createBucket("raced", "owner", "us-east-1");
        new LifecycleConfigs(new BucketConfigurations(a.metaTable(), System::nanoTime), xml)
                .put(bucket, xml.read(bytes(RULE), LifecycleConfiguration.class));
        for (String k : List.of("logs/a", "logs/raced", "logs/z")) TestCluster.put(a, "raced", k, bytes("old " + k));
        AtomicReference<BallInfo> racing = new AtomicReference<>();
        // the fault: right before the worker's delete of logs/raced, another router overwrites it
        BallStore store = (BallStore) Proxy.newProxyInstance(BallStore.class.getClassLoader(), new Class<?>[] {BallStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("deleteBallIfCurrent") && "logs/raced".equals(args[1]) && racing.get() == null) {
                        racing.set(TestCluster.put(b, "raced", "logs/raced", bytes("new, written while the worker decided")));
                    }
                    try {
                        return method.invoke(a, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        LifecycleWorker worker = new LifecycleWorker(store, new LifecycleConfigs(new BucketConfigurations(a.metaTable(), System::nanoTime), xml),
                alwaysHeld(), new LifecycleWorker.Settings(Duration.ofHours(1), LifecycleWorker.DAY_MILLIS, 100_000, Duration.ofSeconds(30)),
                LATER);
        try {
            assertTrue(worker.runOnce());
        } finally {
            worker.close();
        }
        assertTrue(racing.get() != null, "the racing write happened");
        assertEquals(2, worker.stats().expired(), "logs/a and logs/z expired, the rewritten logs/raced not");
        for (Router r : List.of(a, b)) {
            BallInfo now = r.headBall("raced", "logs/raced").orElseThrow(() -> new AssertionError("the racing put was deleted"));
            assertEquals(racing.get().etag(), now.etag());
            assertArrayEquals(bytes("new, written while the worker decided"), TestCluster.get(r, "raced", "logs/raced"));
            assertTrue(r.headBall("raced", "logs/a").isEmpty() && r.headBall("raced", "logs/z").isEmpty());
        }
    }

    @Test
    void aPutLandingBetweenTheGuardedReadAndTheDeleteWins() throws Exception {
        a.createBucket("window", "owner", "us-east-1");
        BallInfo evaluated = TestCluster.put(a, "window", "k", bytes("evaluated"));
        // every replica answers the delete's read with the evaluated ball, then waits: the put lands meanwhile
        CountDownLatch arrived = new CountDownLatch(cluster.peers.size());
        CountDownLatch release = new CountDownLatch(1);
        for (FaultyPeer p : cluster.peers) p.holdNextRead("window", "k", arrived, release);
        CompletableFuture<Optional<BallStore.DeletedVersion>> expiry =
                CompletableFuture.supplyAsync(() -> a.deleteBallIfCurrent("window", "k", evaluated));
        assertTrue(arrived.await(60, TimeUnit.SECONDS), "the delete read the key");
        BallInfo racing = TestCluster.put(b, "window", "k", bytes("racing"));
        release.countDown();
        expiry.get(60, TimeUnit.SECONDS);
        for (Router r : List.of(a, b)) {
            assertEquals(racing.etag(), r.headBall("window", "k").orElseThrow(() -> new AssertionError("the racing put was undone"))
                    .etag());
            assertArrayEquals(bytes("racing"), TestCluster.get(r, "window", "k"));
        }
        for (FaultyPeer p : cluster.peers) {
            p.storedRecord("window", "k").ifPresent(rec -> assertFalse(rec.tombstone() && rec.version() > racing.version(),
                    "no replica holds a delete newer than the racing put"));
        }
    }

    @Test
    void anUnversionedBallIsDeletedOnlyWhileItIsTheOneEvaluated() {
        a.createBucket("plain", "owner", "us-east-1");
        BallInfo first = TestCluster.put(a, "plain", "k", bytes("1"));
        BallInfo second = TestCluster.put(b, "plain", "k", bytes("2"));
        assertTrue(a.deleteBallIfCurrent("plain", "k", first).isEmpty(), "replaced since evaluated");
        BallInfo tagged = b.replaceTags("plain", "k", Map.of("keep", "yes")).orElseThrow();
        assertTrue(a.deleteBallIfCurrent("plain", "k", second).isEmpty(), "re-tagged since evaluated (a tag filter may no longer match)");
        assertEquals(tagged.tags(), a.headBall("plain", "k").orElseThrow().tags());
        BallInfo current = a.headBall("plain", "k").orElseThrow();
        Optional<BallStore.DeletedVersion> gone = a.deleteBallIfCurrent("plain", "k", current);
        assertEquals(Optional.of(new BallStore.DeletedVersion(null, false)), gone);
        assertTrue(a.headBall("plain", "k").isEmpty() && b.headBall("plain", "k").isEmpty());
        assertTrue(a.deleteBallIfCurrent("plain", "k", current).isEmpty(), "already gone");
        // a later put of the key is a new ball: an old evaluation never deletes it
        TestCluster.put(b, "plain", "k", bytes("3"));
        assertTrue(a.deleteBallIfCurrent("plain", "k", current).isEmpty());
        assertArrayEquals(bytes("3"), TestCluster.get(a, "plain", "k"));
    }

    @Test
    void aVersionedExpiryAddsNoMarkerWhenTheLatestVersionChanged() {
        a.createBucket("vers", "owner", "us-east-1");
        a.setBucketVersioning("vers", VersioningState.ENABLED);
        BallInfo v1 = TestCluster.put(a, "vers", "k", bytes("1"));
        BallInfo v2 = TestCluster.put(b, "vers", "k", bytes("2"));
        assertTrue(a.deleteBallIfCurrent("vers", "k", v1).isEmpty());
        List<BallStore.VersionEntry> versions = a.listBallVersions("vers", null, null, 10).entries();
        assertEquals(2, versions.size());
        assertTrue(versions.stream().noneMatch(e -> e.ball().deleteMarker()), "no marker on top of the new version");
        Optional<BallStore.DeletedVersion> marked = a.deleteBallIfCurrent("vers", "k", a.headBall("vers", "k").orElseThrow());
        assertTrue(marked.isPresent() && marked.get().deleteMarker());
        assertTrue(a.headBall("vers", "k").isEmpty());
        versions = a.listBallVersions("vers", null, null, 10).entries();
        assertEquals(3, versions.size());
        assertTrue(versions.get(0).latest() && versions.get(0).ball().deleteMarker());
        assertEquals(v2.versionId(), versions.get(1).ball().versionId());
        assertTrue(a.deleteBallIfCurrent("vers", "k", v2).isEmpty(), "hidden by the marker: nothing more is added");
        assertEquals(3, a.listBallVersions("vers", null, null, 10).entries().size());
    }

    private static LifecycleWorker.Lease alwaysHeld() {
        return new LifecycleWorker.Lease() {
            public boolean acquire() {
                return true;
            }

            public long heldFor() {
                return Long.MAX_VALUE;
            }

            public void release() {
            }
        };
    }
}

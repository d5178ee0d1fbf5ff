package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.MetaTable;
import org.mictlanx.router.Router;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.notify.NotificationConfigs;
import org.mictlanx.s3.notify.NotificationConfiguration;
import org.mictlanx.s3.notify.NotificationTargets;
import org.mictlanx.s3.notify.TargetRegistry;
import org.mictlanx.s3.xml.S3Xml;

/**
 * Removing a notification target on router A while router B stores a configuration naming it, with
 * B's target cache warm (it saw the target a moment ago): B is stopped right before storing the
 * configuration, or right after, while A removes the target. Either the configuration is refused (and
 * not left stored) or the removal is (TargetInUse, the target stays): never a stored configuration
 * naming a removed target.
 */
class NotifyTargetRemovalRaceTest {

    private final TestCluster cluster = new TestCluster(3);
    private final Router a = cluster.router();
    private final Router b = cluster.router();
    private final S3Xml xml = new S3Xml();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final TargetRegistry targetsA = new TargetRegistry(a.metaTable(), NotificationTargets.none(), System::nanoTime);
    private final Pausing tableB = new Pausing(b.metaTable());
    private final TargetRegistry targetsB = new TargetRegistry(tableB, NotificationTargets.none(), System::nanoTime);
    private final NotificationConfigs configsB = new NotificationConfigs(new BucketConfigurations(tableB, System::nanoTime), xml,
            targetsB);
    private final NotifyAdmin adminA = new NotifyAdmin(a, targetsA);

    @AfterEach
    void stop() {
        tableB.release.countDown();
        threads.shutdownNow();
        cluster.close();
    }

    /** B's metadata: stops once before or after a write of a bucket configuration. */
    static final class Pausing implements MetaTable {
        final MetaTable inner;
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile String mode = "";

        Pausing(MetaTable inner) {
            this.inner = inner;
        }

        private void pause(String when, String partition) {
            if (!partition.equals(BucketConfigurations.PARTITION) || !mode.equals(when)) return;
            mode = "";
            arrived.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void put(String partition, String sortKey, byte[] value) {
            pause("before", partition);
            inner.put(partition, sortKey, value);
            pause("after", partition);
        }

        @Override
        public Optional<byte[]> get(String partition, String sortKey) {
            return inner.get(partition, sortKey);
        }

        @Override
        public boolean delete(String partition, String sortKey) {
            return inner.delete(partition, sortKey);
        }

        @Override
        public List<Entry> scan(String partition, String prefix, String startAfter, int limit) {
            return inner.scan(partition, prefix, startAfter, limit);
        }

        @Override
        public void writeOwn(String partition, Map<String, byte[]> puts, Collection<String> removes) {
            inner.writeOwn(partition, puts, removes);
        }
    }

    private NotificationConfiguration naming(String arn) {
        return xml.read(("<NotificationConfiguration><QueueConfiguration><Id>all</Id><Queue>" + arn + "</Queue>"
                + "<Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>")
                .getBytes(StandardCharsets.UTF_8), NotificationConfiguration.class);
    }

    private boolean stored(String id) {
        return targetsA.list().stream().anyMatch(d -> d.id().equals(id));
    }

    @Test
    void aRemovalBetweenTheCheckAndTheStoreRefusesTheConfigurationAndLeavesNoneStored() throws Exception {
        BucketInfo bucket = a.createBucket("race-one", "owner", "us-east-1");
        targetsA.add("hook", "http://127.0.0.1:9/events");
        String arn = NotificationTargets.webhookArn("hook");
        assertTrue(targetsB.known(arn), "B's cache holds the target");
        tableB.mode = "before";
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> configsB.put(bucket, naming(arn)), threads);
        assertTrue(tableB.arrived.await(30, TimeUnit.SECONDS), "B checked the target and is about to store");
        adminA.remove("hook"); // no configuration names it yet: removed
        assertFalse(stored("hook"));
        tableB.release.countDown();
        ExecutionException refused = assertThrows(ExecutionException.class, () -> put.get(30, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof S3Exception e && e.getMessage().contains("Unable to validate"),
                String.valueOf(refused.getCause()));
        NotificationConfigs configsA = new NotificationConfigs(new BucketConfigurations(a.metaTable(), System::nanoTime), xml,
                targetsA);
        assertTrue(configsA.document(bucket).isEmpty(), "the configuration B stored was taken back");
    }

    @Test
    void aRemovalAfterTheStoreIsRefusedAndTheTargetStays() throws Exception {
        BucketInfo bucket = a.createBucket("race-two", "owner", "us-east-1");
        targetsA.add("hook2", "http://127.0.0.1:9/events");
        String arn = NotificationTargets.webhookArn("hook2");
        assertTrue(targetsB.known(arn));
        tableB.mode = "after";
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> configsB.put(bucket, naming(arn)), threads);
        assertTrue(tableB.arrived.await(30, TimeUnit.SECONDS), "B stored the configuration and has not re-checked yet");
        TargetRegistry.Refused inUse = assertThrows(TargetRegistry.Refused.class, () -> adminA.remove("hook2"));
        assertEquals("TargetInUse", inUse.code());
        assertTrue(inUse.getMessage().contains("race-two"), inUse.getMessage());
        tableB.release.countDown();
        put.get(30, TimeUnit.SECONDS); // B's re-check sees the target usable again: stored
        assertTrue(stored("hook2"), "the refused removal put the target back");
        assertTrue(targetsA.usable(arn));
        NotificationConfigs configsA = new NotificationConfigs(new BucketConfigurations(a.metaTable(), System::nanoTime), xml,
                targetsA);
        assertEquals(java.util.Set.of(arn), configsA.arns(bucket));
    }
}

package org.mictlanx.s3.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.mictlanx.router.RouterException;
import org.mictlanx.s3.InMemoryBallStore;
import org.mictlanx.s3.S3Harness;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.lifecycle.LifecycleWorker;
import org.mictlanx.s3.xml.S3Xml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The window between a write's commit and its queued events: the queue write is made to fail after
 * the commit (what a router dying there leaves: the object, no event), and the sender, once the
 * write's pending intent is old enough, resolves it from what was committed: the event of a
 * committed write arrives, a write that never committed sends nothing. Fault injection on the
 * metadata of an in-memory store; the real front door over a loopback port.
 */
class NotifyCrashWindowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ARN = NotificationTargets.webhookArn("hook");

    /** A target that keeps what it is given. */
    static final class Collecting implements EventTarget {
        final List<JsonNode> events = new ArrayList<>();

        @Override
        public String arn() {
            return ARN;
        }

        @Override
        public synchronized void deliver(byte[] eventJson) throws java.io.IOException {
            events.add(JSON.readTree(eventJson).get("Records").get(0));
        }

        synchronized List<JsonNode> events() {
            return List.copyOf(events);
        }
    }

    static final LifecycleWorker.Lease HELD = new LifecycleWorker.Lease() {
        @Override
        public boolean acquire() {
            return true;
        }

        @Override
        public long heldFor() {
            return 60_000;
        }

        @Override
        public void release() {
        }
    };

    /**
     * Asserts the sender resolved exactly {@code n} intents. The sender's own timer may resolve an intent
     * (its events queued, the intent removed) and count it a moment later, after the test has seen the
     * events: wait for the count, then check it is exact.
     */
    static void assertResolved(EventSender sender, long n) {
        await(n + " intents counted resolved", sender, () -> sender.stats().pendingResolved() >= n);
        assertEquals(n, sender.stats().pendingResolved());
    }

    static void await(String what, EventSender sender, BooleanSupplier cond) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            sender.tick();
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }

    static void assertOk(S3Harness.Reply r) {
        assertEquals(200, r.status(), r.text());
    }

    @Test
    void anEventOfAWriteCommittedBeforeTheQueueWriteFailedStillArrives() throws Exception {
        InMemoryBallStore store = new InMemoryBallStore(Clock.systemUTC());
        Collecting hook = new Collecting();
        TargetRegistry targets = TargetRegistry.fixed(NotificationTargets.none().with(hook));
        EventOutbox outbox = new EventOutbox(store.metaTable(), System::currentTimeMillis);
        EventRecorder recorder = new EventRecorder(store, new NotificationConfigs(
                new BucketConfigurations(store.metaTable(), System::nanoTime), new S3Xml(), targets), outbox, Clock.systemUTC(),
                S3Harness.REGION);
        // the sender runs a minute ahead, so every intent written now is past its bound
        long ahead = 60_000;
        try (S3Harness s3 = new S3Harness(store, targets);
             EventSender sender = new EventSender(outbox, targets, HELD, new EventSender.Settings(Duration.ofSeconds(1),
                     Duration.ofHours(1), Duration.ofSeconds(1), 1000, Duration.ofSeconds(30), 100),
                     () -> System.currentTimeMillis() + ahead, recorder::resolve)) {
            var root = s3.as(S3Harness.ROOT);
            assertEquals(200, root.put("/bkt", new byte[0]).status());
            assertOk(root.put("/bkt?notification", """
                    <NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                      <QueueConfiguration><Id>all</Id><Queue>%s</Queue>
                        <Event>s3:ObjectCreated:*</Event><Event>s3:ObjectRemoved:*</Event></QueueConfiguration>
                    </NotificationConfiguration>""".formatted(ARN)));
            assertEquals(200, root.put("/bkt/gone", "bye").status()); // its event is queued normally

            // the router "dies" after each commit: the queue write of the events fails
            store.failMetaPuts(k -> k.startsWith(EventOutbox.READY));
            int put = root.put("/bkt/k", "hello").status();
            int delete = root.delete("/bkt/gone").status();
            store.failMetaPuts(null);
            assertTrue(put >= 500 && delete >= 500, "the writes' answers fail: " + put + " " + delete);
            assertEquals("hello", new String(store.openBall(store.headBall("bkt", "k").orElseThrow(), 0, -1).readAllBytes(),
                    StandardCharsets.UTF_8), "the object was committed");
            assertTrue(store.headBall("bkt", "gone").isEmpty(), "the delete was committed");
            // a write that never reached its commit leaves an intent too
            store.failNext(new RouterException(RouterException.Kind.QUORUM_FAILED, "injected"));
            assertTrue(root.put("/bkt/never", "x").status() >= 500);
            assertTrue(store.headBall("bkt", "never").isEmpty());
            assertEquals(3, outbox.pending("", 100).size(), "the three writes' intents are pending");

            await("three events", sender, () -> hook.events().size() >= 3);
            await("the queue drained", sender, () -> outbox.pending("", 100).isEmpty() && outbox.pageAll("", 100).isEmpty());
            List<String> got = hook.events().stream().map(e -> e.get("eventName").asText() + " " + e.at("/s3/object/key").asText())
                    .sorted().toList();
            assertEquals(List.of("ObjectCreated:Put gone", "ObjectCreated:Put k", "ObjectRemoved:Delete gone"), got);
            JsonNode k = hook.events().stream().filter(e -> e.at("/s3/object/key").asText().equals("k")).findFirst().orElseThrow();
            assertEquals(5, k.at("/s3/object/size").asLong());
            assertEquals("5d41402abc4b2a76b9719d911017c592", k.at("/s3/object/eTag").asText());
            assertResolved(sender, 3);
        }
    }

    @Test
    void anIntentIsLeftAloneUntilItsBoundAndASettledWriteLeavesNone() throws Exception {
        InMemoryBallStore store = new InMemoryBallStore(Clock.systemUTC());
        Collecting hook = new Collecting();
        TargetRegistry targets = TargetRegistry.fixed(NotificationTargets.none().with(hook));
        EventOutbox outbox = new EventOutbox(store.metaTable(), System::currentTimeMillis);
        EventRecorder recorder = new EventRecorder(store, new NotificationConfigs(
                new BucketConfigurations(store.metaTable(), System::nanoTime), new S3Xml(), targets), outbox, Clock.systemUTC(),
                S3Harness.REGION);
        try (S3Harness s3 = new S3Harness(store, targets);
             EventSender sender = new EventSender(outbox, targets, HELD, new EventSender.Settings(Duration.ofSeconds(1),
                     Duration.ofHours(1), Duration.ofSeconds(1), 1000, Duration.ofMinutes(10), 100),
                     System::currentTimeMillis, recorder::resolve)) {
            var root = s3.as(S3Harness.ROOT);
            assertEquals(200, root.put("/bkt", new byte[0]).status());
            assertOk(root.put("/bkt?notification", """
                    <NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                      <QueueConfiguration><Queue>%s</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>
                    </NotificationConfiguration>""".formatted(ARN)));
            assertEquals(200, root.put("/bkt/ok", "fine").status());
            assertEquals(404, root.get("/bkt/missing").status());
            assertTrue(outbox.pending("", 100).isEmpty(), "a write whose events were queued leaves no intent");
            store.failMetaPuts(k -> k.startsWith(EventOutbox.READY));
            assertTrue(root.put("/bkt/late", "x").status() >= 500);
            store.failMetaPuts(null);
            await("the queued event", sender, () -> hook.events().size() >= 1);
            sender.tick();
            assertEquals(1, outbox.pending("", 100).size(), "a young intent waits for its bound (its write may still run)");
            assertEquals(0, sender.stats().pendingResolved());
            assertEquals(List.of("ok"), hook.events().stream().map(e -> e.at("/s3/object/key").asText()).toList());
        }
    }
}

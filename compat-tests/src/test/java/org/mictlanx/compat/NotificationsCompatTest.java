package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.server.AdminClient;
import org.mictlanx.server.MictlanXServer;
import org.mictlanx.server.Settings;

import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Event notifications through the AWS SDK for Java v2 against a real all-in-one whose webhook target
 * {@code arn:mictlanx:sqs::hook:webhook} is a receiver in this test (loopback, ephemeral port).
 * Every wait is on a condition with a deadline.
 */
class NotificationsCompatTest {

    static final String ARN = "arn:mictlanx:sqs::hook:webhook";
    static WebhookReceiver receiver;
    static AllInOne store;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        receiver = new WebhookReceiver();
        store = AllInOne.start("--notify-webhooks", "hook=" + receiver.url(), "--notify-interval-ms", "100",
                "--notify-timeout-seconds", "60",
                "--lifecycle-seconds-per-day", "1", "--lifecycle-scan-interval-seconds", "1");
        s3 = store.rootClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
        if (store != null) store.close();
        if (receiver != null) receiver.close();
    }

    static void await(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
    }

    static String bucket(S3Client c, String prefix) {
        String b = prefix + "-" + System.nanoTime();
        c.createBucket(r -> r.bucket(b));
        return b;
    }

    static QueueConfiguration queue(String id, String arn, String prefix, String suffix, String... events) {
        var q = QueueConfiguration.builder().id(id).queueArn(arn).eventsWithStrings(events);
        List<FilterRule> rules = new ArrayList<>();
        if (prefix != null) rules.add(FilterRule.builder().name(FilterRuleName.PREFIX).value(prefix).build());
        if (suffix != null) rules.add(FilterRule.builder().name(FilterRuleName.SUFFIX).value(suffix).build());
        if (!rules.isEmpty()) q.filter(f -> f.key(k -> k.filterRules(rules)));
        return q.build();
    }

    static void configure(S3Client c, String b, QueueConfiguration... queues) {
        c.putBucketNotificationConfiguration(r -> r.bucket(b).notificationConfiguration(n -> n.queueConfigurations(queues)));
    }

    static String code(Runnable call) {
        return assertThrows(S3Exception.class, call::run).awsErrorDetails().errorCode();
    }

    @Test
    void configurationRoundTripAndS3sErrors() {
        String b = bucket(s3, "nt-conf");
        assertTrue(s3.getBucketNotificationConfiguration(r -> r.bucket(b)).queueConfigurations().isEmpty());
        QueueConfiguration q = queue("uploads", ARN, "in/", ".txt", "s3:ObjectCreated:*", "s3:ObjectRemoved:Delete");
        configure(s3, b, q);
        var back = s3.getBucketNotificationConfiguration(r -> r.bucket(b));
        assertEquals(List.of(q), back.queueConfigurations());

        S3Exception unknown = assertThrows(S3Exception.class,
                () -> configure(s3, b, queue("x", "arn:mictlanx:sqs::nope:webhook", null, null, "s3:ObjectCreated:*")));
        assertEquals("InvalidArgument", unknown.awsErrorDetails().errorCode());
        assertTrue(unknown.awsErrorDetails().errorMessage().startsWith("Unable to validate the following destination configurations"));
        assertEquals("InvalidArgument", code(() -> configure(s3, b, queue("x", ARN, null, null, "s3:ObjectRestore:Post"))));
        assertEquals("InvalidArgument", code(() -> configure(s3, b, queue("a", ARN, "p/", null, "s3:ObjectCreated:*"),
                queue("b", ARN, "p/q", null, "s3:ObjectCreated:Put"))));
        // a failed PUT left the configuration as it was
        assertEquals(List.of(q), s3.getBucketNotificationConfiguration(r -> r.bucket(b)).queueConfigurations());
        // an empty configuration turns notifications off
        s3.putBucketNotificationConfiguration(r -> r.bucket(b).notificationConfiguration(n -> n.queueConfigurations(List.of())));
        assertTrue(s3.getBucketNotificationConfiguration(r -> r.bucket(b)).queueConfigurations().isEmpty());
    }

    @Test
    void scriptedSequenceDeliversExactlyTheMatchingEvents() {
        String b = bucket(s3, "nt-seq");
        configure(s3, b, queue("created", ARN, "in/", ".txt", "s3:ObjectCreated:*"),
                queue("removed", ARN, "in/", null, "s3:ObjectRemoved:*"));
        String put = s3.putObject(r -> r.bucket(b).key("in/a b.txt"), RequestBody.fromString("hello")).eTag();
        s3.putObject(r -> r.bucket(b).key("in/skip.bin"), RequestBody.fromString("no"));
        s3.putObject(r -> r.bucket(b).key("out/skip.txt"), RequestBody.fromString("no"));
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("in/a b.txt").destinationBucket(b).destinationKey("in/copy.txt"));
        String upload = s3.createMultipartUpload(r -> r.bucket(b).key("in/big.txt")).uploadId();
        String part = s3.uploadPart(r -> r.bucket(b).key("in/big.txt").uploadId(upload).partNumber(1),
                RequestBody.fromString("part one")).eTag();
        s3.completeMultipartUpload(r -> r.bucket(b).key("in/big.txt").uploadId(upload)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(part).build())));
        s3.deleteObject(r -> r.bucket(b).key("in/copy.txt"));
        s3.deleteObjects(r -> r.bucket(b).delete(d -> d.objects(ObjectIdentifier.builder().key("in/big.txt").build())));
        s3.deleteObject(r -> r.bucket(b).key("out/skip.txt"));

        await("five events", () -> receiver.records(b).size() >= 5);
        List<JsonNode> events = receiver.records(b);
        assertEquals(List.of("ObjectCreated:Put in%2Fa+b.txt", "ObjectCreated:Copy in%2Fcopy.txt",
                        "ObjectCreated:CompleteMultipartUpload in%2Fbig.txt", "ObjectRemoved:Delete in%2Fcopy.txt",
                        "ObjectRemoved:Delete in%2Fbig.txt"),
                events.stream().map(e -> e.get("eventName").asText() + " " + e.at("/s3/object/key").asText()).toList());
        JsonNode first = events.get(0);
        assertEquals("2.1", first.get("eventVersion").asText());
        assertEquals("aws:s3", first.get("eventSource").asText());
        assertEquals("created", first.at("/s3/configurationId").asText());
        assertEquals(5, first.at("/s3/object/size").asLong());
        assertEquals(put.replace("\"", ""), first.at("/s3/object/eTag").asText());
        assertEquals(8, events.get(2).at("/s3/object/size").asLong());
        assertEquals("removed", events.get(3).at("/s3/configurationId").asText());
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i - 1).at("/s3/object/sequencer").asText()
                    .compareTo(events.get(i).at("/s3/object/sequencer").asText()) < 0, "sequencers increase");
        }
        // a lane counts an event delivered once the target has answered it (after the receiver recorded it): wait for the count
        await("five deliveries counted on /metrics", () -> AccessLogsCompatTest.metric(metrics(), "mictlanx_notify_delivered_total") >= 5);
        String metrics = metrics();
        assertTrue(AccessLogsCompatTest.metric(metrics, "mictlanx_notify_delivered_total") >= 5, metrics);
        assertEquals(1.0, AccessLogsCompatTest.metric(metrics, "mictlanx_notify_lease_held"), metrics);
        for (String name : List.of("mictlanx_notify_queued", "mictlanx_notify_failed_total", "mictlanx_notify_dropped_total",
                "mictlanx_notify_lanes_busy", "mictlanx_notify_pending_resolved_total")) {
            AccessLogsCompatTest.metric(metrics, name);
        }
    }

    static String metrics() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    store.endpoint().resolve("/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void versionedBucketReportsVersionIdsAndDeleteMarkers() {
        String b = bucket(s3, "nt-ver");
        s3.putBucketVersioning(r -> r.bucket(b).versioningConfiguration(v -> v.status("Enabled")));
        configure(s3, b, queue("all", ARN, null, null, "s3:ObjectCreated:Put", "s3:ObjectRemoved:*"));
        String v1 = s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("v1")).versionId();
        String marker = s3.deleteObject(r -> r.bucket(b).key("k")).versionId();
        await("two events", () -> receiver.records(b).size() >= 2);
        List<JsonNode> events = receiver.records(b);
        assertEquals("ObjectCreated:Put", events.get(0).get("eventName").asText());
        assertEquals(v1, events.get(0).at("/s3/object/versionId").asText());
        assertEquals("ObjectRemoved:DeleteMarkerCreated", events.get(1).get("eventName").asText());
        assertEquals(marker, events.get(1).at("/s3/object/versionId").asText());
    }

    @Test
    void lifecycleExpirationIsAnEvent() {
        String b = bucket(s3, "nt-lc");
        configure(s3, b, queue("expiry", ARN, null, null, "s3:LifecycleExpiration:*"));
        s3.putObject(r -> r.bucket(b).key("exp/a"), RequestBody.fromString("bye"));
        s3.putBucketLifecycleConfiguration(r -> r.bucket(b).lifecycleConfiguration(c -> c.rules(
                software.amazon.awssdk.services.s3.model.LifecycleRule.builder().id("r")
                        .status(software.amazon.awssdk.services.s3.model.ExpirationStatus.ENABLED)
                        .filter(f -> f.prefix("exp/")).expiration(e -> e.days(1)).build())));
        await("the expiration event", () -> !receiver.records(b).isEmpty());
        JsonNode e = receiver.records(b).get(0);
        assertEquals("LifecycleExpiration:Delete", e.get("eventName").asText());
        assertEquals("exp%2Fa", e.at("/s3/object/key").asText());
        assertEquals("expiry", e.at("/s3/configurationId").asText());
    }

    @Test
    void targetDownThenUpReceivesEveryQueuedEventInOrder() {
        String b = bucket(s3, "nt-down");
        configure(s3, b, queue("all", ARN, null, null, "s3:ObjectCreated:*"));
        receiver.down = true;
        int refusedBefore = receiver.refused.get();
        try {
            for (int i = 0; i < 5; i++) {
                int n = i;
                s3.putObject(r -> r.bucket(b).key("k" + n), RequestBody.fromString("x"));
            }
            await("a refused delivery", () -> receiver.refused.get() > refusedBefore);
            assertTrue(receiver.records(b).isEmpty());
        } finally {
            receiver.down = false;
        }
        await("five events", () -> receiver.records(b).size() >= 5);
        assertEquals(List.of("k0", "k1", "k2", "k3", "k4"),
                receiver.records(b).stream().map(e -> e.at("/s3/object/key").asText()).toList());
    }

    @Test
    void aStalledTargetDoesNotDelayTheOthers() throws Exception {
        AdminClient admin = new AdminClient(store.endpoint(), AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
        try (WebhookReceiver slow = new WebhookReceiver()) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            slow.stall = release;
            admin.addNotifyTarget("slow", slow.url());
            String slowArn = "arn:mictlanx:sqs::slow:webhook";
            String b = bucket(s3, "nt-stall");
            try {
                configure(s3, b, queue("slow", slowArn, "s/", null, "s3:ObjectCreated:*"),
                        queue("fast", ARN, "f/", null, "s3:ObjectCreated:*"));
                for (String k : List.of("s/1", "f/1", "s/2", "f/2", "f/3")) {
                    s3.putObject(r -> r.bucket(b).key(k), RequestBody.fromString(k));
                }
                await("the stalled target holding a delivery", () -> slow.stalled.get() >= 1);
                await("the healthy target's three events", () -> receiver.records(b).size() >= 3);
                assertEquals(List.of("f%2F1", "f%2F2", "f%2F3"),
                        receiver.records(b).stream().map(e -> e.at("/s3/object/key").asText()).toList());
                assertTrue(slow.records(b).isEmpty(), "the stalled target has not answered yet");
                assertTrue(slow.stalled.get() >= 1, "and still holds its delivery");
                AdminClient.AdminException inUse = assertThrows(AdminClient.AdminException.class,
                        () -> admin.removeNotifyTarget("slow"));
                assertEquals(409, inUse.status());
                assertEquals("TargetInUse", inUse.code());
            } finally {
                slow.stall = null;
                release.countDown();
            }
            await("the stalled target's two events", () -> slow.records(b).size() >= 2);
            assertEquals(List.of("s%2F1", "s%2F2"), slow.records(b).stream().map(e -> e.at("/s3/object/key").asText())
                    .distinct().toList(), "in order (a timed-out delivery may come twice)");
            s3.putBucketNotificationConfiguration(r -> r.bucket(b).notificationConfiguration(n -> n.queueConfigurations(List.of())));
            admin.removeNotifyTarget("slow");
            assertFalse(admin.listNotifyTargets().toString().contains(slowArn));
        }
    }

    @Test
    void restartBetweenCommitAndDeliveryStillDelivers() throws Exception {
        Path dir = Files.createTempDirectory("mictlanx-notify");
        try (WebhookReceiver own = new WebhookReceiver()) {
            own.down = true;
            String[] args = {"--port", "0", "--host", "127.0.0.1", "--data", dir.toString(), "--access-key",
                    AllInOne.ACCESS_KEY, "--secret-key", AllInOne.SECRET_KEY, "--notify-webhooks", "hook=" + own.url(),
                    "--notify-interval-ms", "100"};
            String b;
            try (MictlanXServer first = MictlanXServer.allInOne(Settings.parse(args, Map.of()));
                 S3Client c = client(first)) {
                b = bucket(c, "nt-restart");
                configure(c, b, queue("all", ARN, null, null, "s3:ObjectCreated:*"));
                c.putObject(r -> r.bucket(b).key("acked"), RequestBody.fromString("x"));
                await("a refused delivery", () -> own.refused.get() > 0);
            }
            own.down = false;
            assertTrue(own.records(b).isEmpty());
            try (MictlanXServer second = MictlanXServer.allInOne(Settings.parse(args, Map.of()))) {
                await("the event after the restart", () -> !own.records(b).isEmpty());
                assertEquals("acked", own.records(b).get(0).at("/s3/object/key").asText());
                assertFalse(own.records(b).size() > 1 && !own.records(b).get(1).at("/s3/object/key").asText().equals("acked"));
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static S3Client client(MictlanXServer server) {
        return S3Client.builder().endpointOverride(server.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY)))
                .forcePathStyle(true).build();
    }
}

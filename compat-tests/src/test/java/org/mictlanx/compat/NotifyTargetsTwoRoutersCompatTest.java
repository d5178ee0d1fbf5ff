package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.testing.HttpPeerFixture;
import org.mictlanx.server.AdminClient;
import org.mictlanx.server.MictlanXServer;
import org.mictlanx.server.Settings;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Event notification targets added with the admin API live in the replicated metadata: two routers
 * over the same peers, a webhook added through one is listed by the other, may be named by a bucket
 * configuration made through the other within the 2 s lookup bound, and receives the events whichever
 * router holds the sender lease; removal through either router is refused while a bucket uses it.
 */
class NotifyTargetsTwoRoutersCompatTest {

    static final String AK = "AKIANOTIFYTWOROUTERS";
    static final String SK = "notify/two/routers/secret/0123456789ab";

    @TempDir
    Path dir;

    private static S3Client client(MictlanXServer router) {
        return S3Client.builder().endpointOverride(router.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AK, SK))).build();
    }

    private static void await(String what, Duration within, BooleanSupplier cond) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
    }

    /** The S3 error code of a call, or "OK". */
    private static String outcome(Runnable call) {
        try {
            call.run();
            return "OK";
        } catch (S3Exception e) {
            return e.awsErrorDetails().errorCode();
        }
    }

    private static void within(String expected, Supplier<String> call) {
        long start = System.nanoTime();
        String[] last = {null};
        await(expected, Duration.ofSeconds(12), () -> expected.equals(last[0] = call.get()));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "took longer than the 2 s bound and slack");
    }

    @Test
    void aTargetAddedThroughOneRouterServesTheOther() throws Exception {
        List<HttpPeerFixture> peers = new ArrayList<>();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            StringBuilder urls = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                HttpPeerFixture p = HttpPeerFixture.start(PeerConfig.builder("np" + i).dataDir(dir.resolve("np" + i)).build());
                peers.add(p);
                urls.append(i > 1 ? "," : "").append("np").append(i).append('=').append(p.uri());
            }
            Map<String, String> env = Map.of("MICTLANX_CLUSTER_SECRET", HttpPeerFixture.SECRET,
                    "MICTLANX_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                    "MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK, "MICTLANX_PEER_URLS", urls.toString());
            Files.createDirectories(dir.resolve("ra"));
            Files.createDirectories(dir.resolve("rb"));
            try (MictlanXServer a = MictlanXServer.server(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                    "--data", dir.resolve("ra").toString(), "--notify-interval-ms", "100"}, env));
                 MictlanXServer b = MictlanXServer.server(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                         "--data", dir.resolve("rb").toString(), "--notify-interval-ms", "100"}, env));
                 S3Client viaA = client(a);
                 S3Client viaB = client(b)) {
                AdminClient adminA = new AdminClient(a.endpoint(), AK, SK);
                AdminClient adminB = new AdminClient(b.endpoint(), AK, SK);
                String arn = "arn:mictlanx:sqs::shared:webhook";
                viaB.createBucket(r -> r.bucket("watched"));
                Runnable configure = () -> viaB.putBucketNotificationConfiguration(r -> r.bucket("watched")
                        .notificationConfiguration(n -> n.queueConfigurations(q -> q.id("all").queueArn(arn)
                                .eventsWithStrings("s3:ObjectCreated:*"))));
                assertEquals("InvalidArgument", outcome(configure), "not a target yet");

                adminA.addNotifyTarget("shared", receiver.url());
                assertTrue(adminB.listNotifyTargets().toString().contains(arn), "listed by the other router at once");
                within("OK", () -> outcome(configure));
                viaB.putObject(r -> r.bucket("watched").key("through-b"), RequestBody.fromString("b"));
                viaA.putObject(r -> r.bucket("watched").key("through-a"), RequestBody.fromString("a"));
                await("both events", Duration.ofSeconds(30), () -> receiver.records("watched").size() >= 2);
                assertEquals(List.of("through-a", "through-b"), receiver.records("watched").stream()
                        .map(e -> e.at("/s3/object/key").asText()).sorted().toList());

                AdminClient.AdminException inUse = assertThrows(AdminClient.AdminException.class,
                        () -> adminB.removeNotifyTarget("shared"));
                assertEquals(409, inUse.status());
                assertEquals("TargetInUse", inUse.code());
                viaA.putBucketNotificationConfiguration(r -> r.bucket("watched")
                        .notificationConfiguration(n -> n.queueConfigurations(List.of())));
                adminB.removeNotifyTarget("shared");
                assertFalse(adminA.listNotifyTargets().toString().contains(arn));
                within("InvalidArgument", () -> outcome(() -> viaA.putBucketNotificationConfiguration(r -> r.bucket("watched")
                        .notificationConfiguration(n -> n.queueConfigurations(q -> q.id("all").queueArn(arn)
                                .eventsWithStrings("s3:ObjectCreated:*"))))));
            }
        } finally {
            peers.forEach(HttpPeerFixture::close);
        }
    }
}

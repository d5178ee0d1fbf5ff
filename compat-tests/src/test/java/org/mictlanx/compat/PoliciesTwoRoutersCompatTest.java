package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.testing.HttpPeerFixture;
import org.mictlanx.server.AdminClient;
import org.mictlanx.server.MictlanXServer;
import org.mictlanx.server.Settings;
import org.mictlanx.xolo.policy.PolicyStore;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Policies live in the replicated metadata: two routers over the same peers; a user policy attached
 * or detached, a bucket policy put or deleted through one router is enforced by the other within
 * the documented cache bound ({@link PolicyStore#DEFAULT_TTL}).
 */
class PoliciesTwoRoutersCompatTest {

    static final String AK = "AKIAPOLICYTWOROUTER1";
    static final String SK = "policy/two/routers/secret/0123456789abcdef";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static S3Client client(MictlanXServer router, String ak, String sk) {
        return S3Client.builder().endpointOverride(router.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ak, sk))).build();
    }

    private static String outcome(Runnable call) {
        try {
            call.run();
            return "OK";
        } catch (S3Exception e) {
            return e.awsErrorDetails().errorCode();
        }
    }

    private static String unsignedGet(MictlanXServer router, String path) {
        try {
            int status = HTTP.send(HttpRequest.newBuilder(router.endpoint().resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? "OK" : String.valueOf(status);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code call} yields {@code expected}; checks it did within the bound (plus slack for a loaded machine). */
    private static void withinTheBound(String expected, Supplier<String> call) {
        Duration bound = PolicyStore.DEFAULT_TTL;
        long start = System.nanoTime();
        long deadline = start + bound.plusSeconds(10).toNanos();
        String last;
        do {
            last = call.get();
            if (last.equals(expected)) break;
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        } while (System.nanoTime() < deadline);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(expected, last, "still " + last + " after " + took);
        assertTrue(took.compareTo(bound.plusSeconds(3)) <= 0, "took " + took + ", bound " + bound);
    }

    @Test
    void aPolicyChangeThroughOneRouterIsEnforcedByTheOtherWithinTheCacheBound() throws Exception {
        List<HttpPeerFixture> peers = new ArrayList<>();
        try {
            StringBuilder urls = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                HttpPeerFixture p = HttpPeerFixture.start(PeerConfig.builder("pp" + i).dataDir(dir.resolve("pp" + i)).build());
                peers.add(p);
                urls.append(i > 1 ? "," : "").append("pp").append(i).append('=').append(p.uri());
            }
            Map<String, String> env = Map.of("MICTLANX_CLUSTER_SECRET", HttpPeerFixture.SECRET,
                    "MICTLANX_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                    "MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK, "MICTLANX_PEER_URLS", urls.toString());
            Files.createDirectories(dir.resolve("ra"));
            Files.createDirectories(dir.resolve("rb"));
            try (MictlanXServer a = MictlanXServer.server(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                    "--data", dir.resolve("ra").toString()}, env));
                 MictlanXServer b = MictlanXServer.server(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                         "--data", dir.resolve("rb").toString()}, env));
                 S3Client rootA = client(a, AK, SK)) {
                AdminClient adminA = new AdminClient(a.endpoint(), AK, SK);
                AdminClient adminB = new AdminClient(b.endpoint(), AK, SK);
                rootA.createBucket(r -> r.bucket("shared"));
                rootA.putObject(r -> r.bucket("shared").key("k"), RequestBody.fromString("v"));
                AdminClient.NewUser dave = adminA.addUser("dave");
                try (S3Client daveViaB = client(b, dave.accessKey(), dave.secretKey())) {
                    Supplier<String> read = () -> outcome(() -> daveViaB.getObjectAsBytes(r -> r.bucket("shared").key("k")));
                    assertEquals("AccessDenied", read.get());
                    adminA.attachPolicy("dave", "readonly");
                    withinTheBound("OK", read);
                    assertEquals("AccessDenied", outcome(() -> daveViaB.putObject(r -> r.bucket("shared").key("k"),
                            RequestBody.fromString("overwritten"))));
                    adminB.detachPolicy("dave", "readonly");
                    assertEquals("AccessDenied", read.get(), "at once on the router that changed it");

                    // groups: membership and group policies changed through router A are enforced by router B
                    adminA.addGroup("readers");
                    adminA.attachGroupPolicy("readers", "readonly");
                    adminA.groupMember("readers", "dave", true);
                    withinTheBound("OK", read);
                    assertEquals("AccessDenied", outcome(() -> daveViaB.putObject(r -> r.bucket("shared").key("k"),
                            RequestBody.fromString("overwritten"))));
                    adminA.groupMember("readers", "dave", false);
                    withinTheBound("AccessDenied", read);
                    adminB.groupMember("readers", "dave", true);
                    withinTheBound("OK", read);
                    adminB.detachGroupPolicy("readers", "readonly");
                    withinTheBound("AccessDenied", read);
                }

                rootA.putBucketPolicy(r -> r.bucket("shared").policy("""
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
                         "Resource":"arn:aws:s3:::shared/*"}]}"""));
                assertEquals("OK", unsignedGet(a, "/shared/k"));
                withinTheBound("OK", () -> unsignedGet(b, "/shared/k"));
                try (S3Client rootB = client(b, AK, SK)) {
                    rootB.deleteBucketPolicy(r -> r.bucket("shared"));
                }
                assertEquals("403", unsignedGet(b, "/shared/k"));
                withinTheBound("403", () -> unsignedGet(a, "/shared/k"));
                assertEquals("v", rootA.getObjectAsBytes(r -> r.bucket("shared").key("k")).asUtf8String());
            }
        } finally {
            peers.forEach(HttpPeerFixture::close);
        }
    }
}

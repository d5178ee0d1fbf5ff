package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.mictlanx.xolo.identity.UserRegistry;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Users and keys live in the replicated metadata: two routers over the same peers, a change made
 * through one is obeyed by the other within the documented cache bound ({@link UserRegistry#DEFAULT_CACHE_TTL}).
 * A disabled or deleted key gets 403 InvalidAccessKeyId, as AWS answers for an inactive key.
 */
class KeyLifecycleTwoRoutersCompatTest {

    static final String AK = "AKIAKEYLIFECYCLE0001";
    static final String SK = "key/lifecycle/secret/0123456789abcdef";

    @TempDir
    Path dir;

    private static S3Client client(MictlanXServer router, String ak, String sk) {
        return S3Client.builder().endpointOverride(router.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ak, sk))).build();
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

    /**
     * Waits until {@code call} yields {@code expected}, and checks it did within the cache bound
     * (plus scheduling slack for a loaded CI machine).
     */
    private static void refusedWithinTheBound(String expected, Supplier<String> call) {
        Duration bound = UserRegistry.DEFAULT_CACHE_TTL;
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
        assertTrue(took.compareTo(bound.plusSeconds(3)) <= 0, "refused after " + took + ", bound " + bound);
    }

    @Test
    void aChangeThroughOneRouterIsObeyedByTheOtherWithinTheCacheBound() throws Exception {
        List<HttpPeerFixture> peers = new ArrayList<>();
        try {
            StringBuilder urls = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                HttpPeerFixture p = HttpPeerFixture.start(PeerConfig.builder("kp" + i).dataDir(dir.resolve("kp" + i)).build());
                peers.add(p);
                urls.append(i > 1 ? "," : "").append("kp").append(i).append('=').append(p.uri());
            }
            Map<String, String> env = Map.of("MICTLANX_CLUSTER_SECRET", HttpPeerFixture.SECRET,
                    "MICTLANX_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                    "MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK, "MICTLANX_PEER_URLS", urls.toString());
            Files.createDirectories(dir.resolve("ra"));
            Files.createDirectories(dir.resolve("rb"));
            try (MictlanXServer a = MictlanXServer.server(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                    "--data", dir.resolve("ra").toString()}, env));
                 MictlanXServer b = MictlanXServer.server(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                         "--data", dir.resolve("rb").toString()}, env))) {
                AdminClient adminA = new AdminClient(a.endpoint(), AK, SK);
                AdminClient adminB = new AdminClient(b.endpoint(), AK, SK);
                AdminClient.NewUser first = adminA.addUser("carol");
                try (S3Client viaB = client(b, first.accessKey(), first.secretKey())) {
                    // a new user works on the other router at once (unknown keys are never cached)
                    viaB.createBucket(r -> r.bucket("carols"));
                    viaB.putObject(r -> r.bucket("carols").key("k"), RequestBody.fromString("v"));

                    adminA.setUserEnabled("carol", false);
                    refusedWithinTheBound("InvalidAccessKeyId", () -> outcome(() -> viaB.listBuckets()));
                    assertEquals("Disabled", adminB.showUser("carol").path("status").asText());
                    adminA.setUserEnabled("carol", true);
                    assertEquals("OK", outcome(() -> viaB.listBuckets()), "a refused key is not cached: enabled works at once");

                    // rotation across routers: new key through b, old key deleted through a
                    AdminClient.NewUser second = adminB.addKey("carol");
                    try (S3Client newViaB = client(b, second.accessKey(), second.secretKey())) {
                        assertEquals("v", newViaB.getObjectAsBytes(r -> r.bucket("carols").key("k")).asUtf8String());
                        adminA.deleteKey("carol", first.accessKey());
                        refusedWithinTheBound("InvalidAccessKeyId", () -> outcome(() -> viaB.listBuckets()));
                        assertEquals("OK", outcome(() -> newViaB.listBuckets()));
                        assertEquals(1, adminB.listKeys("carol").path("keys").size());

                        adminB.deleteUser("carol");
                        try (S3Client newViaA = client(a, second.accessKey(), second.secretKey())) {
                            assertEquals("InvalidAccessKeyId", outcome(() -> newViaB.listBuckets()), "refused at once where deleted");
                            refusedWithinTheBound("InvalidAccessKeyId", () -> outcome(() -> newViaA.listBuckets()));
                        }
                    }
                }
                try (S3Client root = client(a, AK, SK)) {
                    assertEquals("v", root.getObjectAsBytes(r -> r.bucket("carols").key("k")).asUtf8String(), "the bucket stays for root");
                }
                // the server role's root comes from the settings: not rotated by the server
                AdminClient.AdminException refused = org.junit.jupiter.api.Assertions.assertThrows(AdminClient.AdminException.class,
                        adminA::rotateRoot);
                assertEquals(409, refused.status());
                assertEquals("ROOT_FROM_SETTINGS", refused.code());
            }
        } finally {
            peers.forEach(HttpPeerFixture::close);
        }
    }
}

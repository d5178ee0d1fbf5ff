package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.server.AdminClient;
import org.mictlanx.server.MictlanXServer;
import org.mictlanx.xolo.identity.UserRegistry;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

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

    @Test
    void aChangeThroughOneRouterIsObeyedByTheOtherWithinTheCacheBound() throws Exception {
        try (TwoRouters routers = TwoRouters.start(dir, "kp", AK, SK)) {
            MictlanXServer a = routers.a();
            MictlanXServer b = routers.b();
            AdminClient adminA = new AdminClient(a.endpoint(), AK, SK);
            AdminClient adminB = new AdminClient(b.endpoint(), AK, SK);
            AdminClient.NewUser first = adminA.addUser("carol");
            try (S3Client viaB = TwoRouters.client(b, first.accessKey(), first.secretKey())) {
                // a new user works on the other router at once (unknown keys are never cached)
                viaB.createBucket(r -> r.bucket("carols"));
                viaB.putObject(r -> r.bucket("carols").key("k"), RequestBody.fromString("v"));

                adminA.setUserEnabled("carol", false);
                TwoRouters.withinTheBound(UserRegistry.DEFAULT_CACHE_TTL, "InvalidAccessKeyId", () -> TwoRouters.outcome(() -> viaB.listBuckets()));
                assertEquals("Disabled", adminB.showUser("carol").path("status").asText());
                adminA.setUserEnabled("carol", true);
                assertEquals("OK", TwoRouters.outcome(() -> viaB.listBuckets()), "a refused key is not cached: enabled works at once");

                // rotation across routers: new key through b, old key deleted through a
                AdminClient.NewUser second = adminB.addKey("carol");
                try (S3Client newViaB = TwoRouters.client(b, second.accessKey(), second.secretKey())) {
                    assertEquals("v", newViaB.getObjectAsBytes(r -> r.bucket("carols").key("k")).asUtf8String());
                    adminA.deleteKey("carol", first.accessKey());
                    TwoRouters.withinTheBound(UserRegistry.DEFAULT_CACHE_TTL, "InvalidAccessKeyId", () -> TwoRouters.outcome(() -> viaB.listBuckets()));
                    assertEquals("OK", TwoRouters.outcome(() -> newViaB.listBuckets()));
                    assertEquals(1, adminB.listKeys("carol").path("keys").size());

                    adminB.deleteUser("carol");
                    try (S3Client newViaA = TwoRouters.client(a, second.accessKey(), second.secretKey())) {
                        assertEquals("InvalidAccessKeyId", TwoRouters.outcome(() -> newViaB.listBuckets()), "refused at once where deleted");
                        TwoRouters.withinTheBound(UserRegistry.DEFAULT_CACHE_TTL, "InvalidAccessKeyId", () -> TwoRouters.outcome(() -> newViaA.listBuckets()));
                    }
                }
            }
            try (S3Client root = TwoRouters.client(a, AK, SK)) {
                assertEquals("v", root.getObjectAsBytes(r -> r.bucket("carols").key("k")).asUtf8String(), "the bucket stays for root");
            }
            // the server role's root comes from the settings: not rotated by the server
            AdminClient.AdminException refused = org.junit.jupiter.api.Assertions.assertThrows(AdminClient.AdminException.class,
                    adminA::rotateRoot);
            assertEquals(409, refused.status());
            assertEquals("ROOT_FROM_SETTINGS", refused.code());
        }
    }
}

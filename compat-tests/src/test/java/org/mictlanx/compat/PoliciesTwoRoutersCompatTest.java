package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.server.AdminClient;
import org.mictlanx.server.MictlanXServer;
import org.mictlanx.xolo.policy.PolicyStore;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

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

    private static String unsignedGet(MictlanXServer router, String path) {
        try {
            int status = HTTP.send(HttpRequest.newBuilder(router.endpoint().resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? "OK" : String.valueOf(status);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPolicyChangeThroughOneRouterIsEnforcedByTheOtherWithinTheCacheBound() throws Exception {
        try (TwoRouters routers = TwoRouters.start(dir, "pp", AK, SK);
             S3Client rootA = TwoRouters.client(routers.a(), AK, SK)) {
            MictlanXServer a = routers.a();
            MictlanXServer b = routers.b();
            AdminClient adminA = new AdminClient(a.endpoint(), AK, SK);
            AdminClient adminB = new AdminClient(b.endpoint(), AK, SK);
            rootA.createBucket(r -> r.bucket("shared"));
            rootA.putObject(r -> r.bucket("shared").key("k"), RequestBody.fromString("v"));
            AdminClient.NewUser dave = adminA.addUser("dave");
            try (S3Client daveViaB = TwoRouters.client(b, dave.accessKey(), dave.secretKey())) {
                Supplier<String> read = () -> TwoRouters.outcome(() -> daveViaB.getObjectAsBytes(r -> r.bucket("shared").key("k")));
                assertEquals("AccessDenied", read.get());
                adminA.attachPolicy("dave", "readonly");
                TwoRouters.withinTheBound(PolicyStore.DEFAULT_TTL, "OK", read);
                assertEquals("AccessDenied", TwoRouters.outcome(() -> daveViaB.putObject(r -> r.bucket("shared").key("k"),
                        RequestBody.fromString("overwritten"))));
                adminB.detachPolicy("dave", "readonly");
                assertEquals("AccessDenied", read.get(), "at once on the router that changed it");

                // groups: membership and group policies changed through router A are enforced by router B
                adminA.addGroup("readers");
                adminA.attachGroupPolicy("readers", "readonly");
                adminA.groupMember("readers", "dave", true);
                TwoRouters.withinTheBound(PolicyStore.DEFAULT_TTL, "OK", read);
                assertEquals("AccessDenied", TwoRouters.outcome(() -> daveViaB.putObject(r -> r.bucket("shared").key("k"),
                        RequestBody.fromString("overwritten"))));
                adminA.groupMember("readers", "dave", false);
                TwoRouters.withinTheBound(PolicyStore.DEFAULT_TTL, "AccessDenied", read);
                adminB.groupMember("readers", "dave", true);
                TwoRouters.withinTheBound(PolicyStore.DEFAULT_TTL, "OK", read);
                adminB.detachGroupPolicy("readers", "readonly");
                TwoRouters.withinTheBound(PolicyStore.DEFAULT_TTL, "AccessDenied", read);
            }

            rootA.putBucketPolicy(r -> r.bucket("shared").policy("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
                     "Resource":"arn:aws:s3:::shared/*"}]}"""));
            assertEquals("OK", unsignedGet(a, "/shared/k"));
            TwoRouters.withinTheBound(PolicyStore.DEFAULT_TTL, "OK", () -> unsignedGet(b, "/shared/k"));
            try (S3Client rootB = TwoRouters.client(b, AK, SK)) {
                rootB.deleteBucketPolicy(r -> r.bucket("shared"));
            }
            assertEquals("403", unsignedGet(b, "/shared/k"));
            TwoRouters.withinTheBound(PolicyStore.DEFAULT_TTL, "403", () -> unsignedGet(a, "/shared/k"));
            assertEquals("v", rootA.getObjectAsBytes(r -> r.bucket("shared").key("k")).asUtf8String());
        }
    }
}

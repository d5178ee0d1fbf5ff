package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.server.AdminClient;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Presigned URLs used with a plain HTTP client, and a second user kept out of the first user's bucket. */
class PresignAndUsersCompatTest {

    static AllInOne store;
    static S3Client root;
    static S3Presigner presigner;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        root = store.rootClient();
        presigner = S3Presigner.builder().endpointOverride(store.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY)))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (presigner != null) presigner.close();
        if (root != null) root.close();
        if (store != null) store.close();
    }

    @Test
    void presignedPutThenGetWithPlainHttp() throws Exception {
        root.createBucket(r -> r.bucket("presigned"));
        URI put = presigner.presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(10))
                .putObjectRequest(p -> p.bucket("presigned").key("p/ü file.txt"))).url().toURI();
        HttpResponse<String> putResp = http.send(HttpRequest.newBuilder(put)
                .PUT(HttpRequest.BodyPublishers.ofString("presigned body")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, putResp.statusCode(), putResp.body());
        URI get = presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(10))
                .getObjectRequest(g -> g.bucket("presigned").key("p/ü file.txt"))).url().toURI();
        HttpResponse<String> getResp = http.send(HttpRequest.newBuilder(get).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, getResp.statusCode());
        assertEquals("presigned body", getResp.body());
        // tampering with the signed URL is refused
        URI tampered = URI.create(get.toString().replace("p/%C3%BC%20file.txt", "p/other.txt"));
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(tampered).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, bad.statusCode());
        assertTrue(bad.body().contains("<Code>SignatureDoesNotMatch</Code>"), bad.body());
    }

    @Test
    void anonymousRequestsAreDenied() throws Exception {
        root.createBucket(r -> r.bucket("anon-denied"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(store.endpoint().resolve("/anon-denied")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("<Code>AccessDenied</Code>"), r.body());
        assertTrue(r.headers().firstValue("x-amz-request-id").isPresent());
    }

    @Test
    void secondUserIsDeniedOnFirstUsersBucket() throws Exception {
        root.createBucket(r -> r.bucket("roots-bucket"));
        root.putObject(r -> r.bucket("roots-bucket").key("secret.txt"), RequestBody.fromString("mine"));
        AdminClient.NewUser bob = new AdminClient(store.endpoint(), AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY).addUser("bob");
        try (S3Client asBob = store.client(bob.accessKey(), bob.secretKey(), true)) {
            for (var call : java.util.List.<org.junit.jupiter.api.function.Executable>of(
                    () -> asBob.getObjectAsBytes(r -> r.bucket("roots-bucket").key("secret.txt")),
                    () -> asBob.listObjectsV2(r -> r.bucket("roots-bucket")),
                    () -> asBob.putObject(r -> r.bucket("roots-bucket").key("x"), RequestBody.fromString("x")),
                    () -> asBob.deleteObject(r -> r.bucket("roots-bucket").key("secret.txt")),
                    () -> asBob.deleteBucket(r -> r.bucket("roots-bucket")))) {
                assertEquals("AccessDenied", assertThrows(S3Exception.class, call).awsErrorDetails().errorCode());
            }
            asBob.createBucket(r -> r.bucket("bobs-bucket"));
            asBob.putObject(r -> r.bucket("bobs-bucket").key("b"), RequestBody.fromString("bob"));
            assertEquals(java.util.List.of("bobs-bucket"), asBob.listBuckets().buckets().stream().map(b -> b.name()).toList());
            assertEquals("BucketAlreadyExists",
                    assertThrows(S3Exception.class, () -> asBob.createBucket(r -> r.bucket("roots-bucket"))).awsErrorDetails().errorCode());
        }
        assertEquals("mine", root.getObjectAsBytes(r -> r.bucket("roots-bucket").key("secret.txt")).asUtf8String());
    }
}

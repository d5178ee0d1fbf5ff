package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Issue 12 with real AWS SDK v2 clients against the all-in-one: a client configured for another
 * region gets S3's region errors, a presigned upload URL cannot be turned into a copy of another
 * object by adding an unsigned {@code x-amz-copy-source}, SDK-presigned signed headers work, and
 * unbuilt features are refused with S3's errors.
 */
class XoloGuardCompatTest {

    static AllInOne store;
    static S3Client root;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        root = store.rootClient();
        root.createBucket(r -> r.bucket("guard"));
        root.putObject(r -> r.bucket("guard").key("secret"), RequestBody.fromString("top secret"));
        root.putObject(r -> r.bucket("guard").key("keep"), RequestBody.fromString("keep"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (root != null) root.close();
        if (store != null) store.close();
    }

    private static S3Presigner presigner(Region region) {
        return S3Presigner.builder().endpointOverride(store.endpoint()).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    @Test
    void anSdkConfiguredForAnotherRegionIsToldTheStoresRegion() throws Exception {
        try (S3Client wrong = S3Client.builder().endpointOverride(store.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY)))
                .forcePathStyle(true).build()) {
            S3Exception e = assertThrows(S3Exception.class,
                    () -> wrong.putObject(r -> r.bucket("guard").key("wrong-region"), RequestBody.fromString("x")));
            assertEquals(400, e.statusCode());
            assertEquals("AuthorizationHeaderMalformed", e.awsErrorDetails().errorCode());
            assertEquals("The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'us-east-1'",
                    e.awsErrorDetails().errorMessage());
            assertEquals("AuthorizationHeaderMalformed", assertThrows(S3Exception.class, wrong::listBuckets)
                    .awsErrorDetails().errorCode());
        }
        try (S3Presigner p = presigner(Region.EU_WEST_1)) {
            URI get = p.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("guard").key("keep"))).url().toURI();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(get).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode());
            assertTrue(r.body().contains("<Code>AuthorizationQueryParametersError</Code>"), r.body());
            assertTrue(r.body().contains("<Region>us-east-1</Region>"), r.body());
        }
        assertEquals(2, root.listObjectsV2(r -> r.bucket("guard")).keyCount());
    }

    @Test
    void aPresignedUploadUrlCannotCopyAnotherObject() throws Exception {
        try (S3Presigner p = presigner(Region.US_EAST_1)) {
            for (String key : List.of("exfiltrated", "keep")) {
                URI put = p.presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                        .putObjectRequest(o -> o.bucket("guard").key(key))).url().toURI();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(put).header("x-amz-copy-source", "guard/secret")
                        .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(403, r.statusCode(), r.body());
                assertTrue(r.body().contains("<Code>AccessDenied</Code>"), r.body());
                assertTrue(r.body().contains("<HeadersNotSigned>x-amz-copy-source</HeadersNotSigned>"), r.body());
            }
            assertEquals(404, assertThrows(S3Exception.class,
                    () -> root.headObject(r -> r.bucket("guard").key("exfiltrated"))).statusCode());
            assertEquals("keep", root.getObjectAsBytes(r -> r.bucket("guard").key("keep")).asUtf8String());

            // headers the SDK signed into the URL are sent by the caller and obeyed
            PresignedPutObjectRequest signed = p.presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(o -> o.bucket("guard").key("with-meta").metadata(Map.of("color", "blue"))));
            HttpRequest.Builder b = HttpRequest.newBuilder(signed.url().toURI())
                    .PUT(HttpRequest.BodyPublishers.ofString("meta"));
            signed.signedHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("host")) {
                    values.forEach(v -> b.header(name, v));
                }
            });
            HttpResponse<String> ok = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("blue", root.headObject(r -> r.bucket("guard").key("with-meta")).metadata().get("color"));
            root.deleteObject(r -> r.bucket("guard").key("with-meta"));
        }
    }

    @Test
    void unbuiltFeaturesAreRefusedThroughTheSdk() {
        assertEquals("InvalidStorageClass", assertThrows(S3Exception.class, () -> root.putObject(r -> r.bucket("guard")
                .key("cold").storageClass(StorageClass.GLACIER), RequestBody.fromString("x"))).awsErrorDetails().errorCode());
        assertEquals("NotImplemented", assertThrows(S3Exception.class, () -> root.putObject(r -> r.bucket("guard")
                .key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS_DSSE), RequestBody.fromString("x")))
                .awsErrorDetails().errorCode());
        // SSE-C over plain HTTP (without sse-customer-keys-over-http): refused as S3 does
        assertEquals("InvalidRequest", assertThrows(S3Exception.class, () -> root.putObject(r -> r.bucket("guard")
                .key("ssec").sseCustomerAlgorithm("AES256").sseCustomerKey("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
                .sseCustomerKeyMD5("lEDAVW/DpdzEKuTR5TlHEQ=="), RequestBody.fromString("x"))).awsErrorDetails().errorCode());
        assertEquals("InvalidRequest", assertThrows(S3Exception.class, () -> root.putObject(r -> r.bucket("guard")
                .key("locked").objectLockMode(ObjectLockMode.COMPLIANCE)
                .objectLockRetainUntilDate(java.time.Instant.now().plusSeconds(3600)), RequestBody.fromString("x")))
                .awsErrorDetails().errorCode());
        assertEquals("AccessControlListNotSupported", assertThrows(S3Exception.class, () -> root.putObject(r -> r
                .bucket("guard").key("public").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("x")))
                .awsErrorDetails().errorCode());
        root.createBucket(r -> r.bucket("locked-bucket").objectLockEnabledForBucket(true)); // object lock is built
        assertEquals("Enabled", root.getObjectLockConfiguration(r -> r.bucket("locked-bucket"))
                .objectLockConfiguration().objectLockEnabledAsString());
        root.deleteBucket(r -> r.bucket("locked-bucket"));
        root.putObject(r -> r.bucket("guard").key("aes").serverSideEncryption(ServerSideEncryption.AES256)
                .storageClass(StorageClass.STANDARD).acl(ObjectCannedACL.PRIVATE), RequestBody.fromString("aes"));
        assertEquals("aes", root.getObjectAsBytes(r -> r.bucket("guard").key("aes")).asUtf8String());
        root.deleteObject(r -> r.bucket("guard").key("aes"));
        assertEquals(2, root.listObjectsV2(r -> r.bucket("guard")).keyCount());
    }
}

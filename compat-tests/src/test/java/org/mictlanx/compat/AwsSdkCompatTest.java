package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.*;

/**
 * The AWS SDK for Java v2 with its default settings (request checksums and trailers on, chunked
 * signed payloads over plain HTTP) against a real all-in-one MictlanX.
 */
class AwsSdkCompatTest {

    static AllInOne store;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        s3 = store.rootClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    static String newBucket() {
        return CompatData.newBucket(s3, "compat");
    }

    static byte[] random(int size, long seed) {
        return CompatData.random(size, seed);
    }

    static String md5Hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    void bucketLifecycle() throws Exception {
        String b = newBucket();
        assertTrue(s3.listBuckets().buckets().stream().anyMatch(x -> x.name().equals(b)));
        s3.headBucket(r -> r.bucket(b));
        // us-east-1: S3 answers the owner's repeated create with 200 (legacy behaviour of that region).
        assertEquals(200, s3.createBucket(r -> r.bucket(b)).sdkHttpResponse().statusCode());
        GetBucketLocationResponse loc = s3.getBucketLocation(r -> r.bucket(b));
        assertTrue(loc.locationConstraintAsString() == null || loc.locationConstraintAsString().isEmpty()
                || loc.locationConstraintAsString().equals("us-east-1"));
        s3.putObject(r -> r.bucket(b).key("x"), RequestBody.fromString("x"));
        assertEquals("BucketNotEmpty",
                assertThrows(S3Exception.class, () -> s3.deleteBucket(r -> r.bucket(b))).awsErrorDetails().errorCode());
        s3.deleteObject(r -> r.bucket(b).key("x"));
        s3.deleteBucket(r -> r.bucket(b));
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.headBucket(r -> r.bucket(b))).statusCode());
        // The SDK refuses bad names itself, so they go raw.
        for (String bad : List.of("Bad_Name", "ab", "192.168.5.4", "a..b", "-lead", "x".repeat(64))) {
            var resp = RawS3.send(store, "PUT", "/" + bad, "");
            assertEquals(400, resp.statusCode(), bad);
            assertTrue(resp.body().contains("<Code>InvalidBucketName</Code>"), resp.body());
        }
        assertEquals("NoSuchBucket",
                assertThrows(S3Exception.class, () -> s3.listObjectsV2(r -> r.bucket("no-such-bucket-here"))).awsErrorDetails().errorCode());
    }

    @Test
    void putGetHeadWithMetadataAndSystemHeaders() throws Exception {
        String b = newBucket();
        byte[] body = random(3 * 1024 * 1024 + 17, 1);
        s3.putObject(r -> r.bucket(b).key("dir/ñandú ✓.bin").contentType("application/x-test")
                        .contentDisposition("attachment; filename=\"a.bin\"").contentLanguage("es-MX")
                        .cacheControl("max-age=60").contentEncoding("identity")
                        .metadata(Map.of("color", "azul", "city", "Ciudad de México")),
                RequestBody.fromBytes(body));
        HeadObjectResponse head = s3.headObject(r -> r.bucket(b).key("dir/ñandú ✓.bin"));
        assertEquals(body.length, head.contentLength());
        assertEquals("\"" + md5Hex(body) + "\"", head.eTag());
        assertEquals("application/x-test", head.contentType());
        assertEquals("attachment; filename=\"a.bin\"", head.contentDisposition());
        assertEquals("es-MX", head.contentLanguage());
        assertEquals("max-age=60", head.cacheControl());
        assertEquals("azul", head.metadata().get("color"));
        // S3 returns non-ASCII metadata values RFC 2047-encoded; the SDK hands them over as sent.
        assertEquals("=?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString("Ciudad de México".getBytes(StandardCharsets.UTF_8)) + "?=",
                head.metadata().get("city"));
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(b).key("dir/ñandú ✓.bin"));
        assertArrayEquals(body, got.asByteArray());
        assertEquals(head.eTag(), got.response().eTag());
    }

    @Test
    void emptyAndOddKeys() {
        String b = newBucket();
        for (String key : List.of("../x", "a//b", "/lead", "sp ace", "uni✓キー", "q?x=1&y", "pct%2F", "trail/")) {
            s3.putObject(r -> r.bucket(b).key(key), RequestBody.fromString("v:" + key));
            assertEquals("v:" + key, s3.getObjectAsBytes(r -> r.bucket(b).key(key)).asUtf8String(), key);
        }
        s3.putObject(r -> r.bucket(b).key("empty"), RequestBody.empty());
        assertEquals(0, s3.getObjectAsBytes(r -> r.bucket(b).key("empty")).asByteArray().length);
        assertEquals("NoSuchKey",
                assertThrows(NoSuchKeyException.class, () -> s3.getObject(r -> r.bucket(b).key("absent"))).awsErrorDetails().errorCode());
        String longKey = "k".repeat(1025);
        assertEquals("KeyTooLongError",
                assertThrows(S3Exception.class, () -> s3.putObject(r -> r.bucket(b).key(longKey), RequestBody.fromString("x")))
                        .awsErrorDetails().errorCode());
    }

    @Test
    void rangesAndConditionals() throws Exception {
        String b = newBucket();
        byte[] body = random(1_000_000, 2);
        String etag = s3.putObject(r -> r.bucket(b).key("r"), RequestBody.fromBytes(body)).eTag();
        var part = s3.getObjectAsBytes(r -> r.bucket(b).key("r").range("bytes=10-19"));
        assertArrayEquals(java.util.Arrays.copyOfRange(body, 10, 20), part.asByteArray());
        assertEquals("bytes 10-19/1000000", part.response().contentRange());
        assertArrayEquals(java.util.Arrays.copyOfRange(body, body.length - 5, body.length),
                s3.getObjectAsBytes(r -> r.bucket(b).key("r").range("bytes=-5")).asByteArray());
        assertArrayEquals(java.util.Arrays.copyOfRange(body, 999_990, body.length),
                s3.getObjectAsBytes(r -> r.bucket(b).key("r").range("bytes=999990-")).asByteArray());
        assertEquals(416, assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(r -> r.bucket(b).key("r").range("bytes=2000000-"))).statusCode());
        assertEquals(body.length, s3.getObjectAsBytes(r -> r.bucket(b).key("r").ifMatch(etag)).asByteArray().length);
        assertEquals(412, assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(r -> r.bucket(b).key("r").ifMatch("\"0123\""))).statusCode());
        assertEquals(304, assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(r -> r.bucket(b).key("r").ifNoneMatch(etag))).statusCode());
        Instant lastModified = s3.headObject(r -> r.bucket(b).key("r")).lastModified();
        assertEquals(304, assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(r -> r.bucket(b).key("r").ifModifiedSince(lastModified))).statusCode());
        assertEquals(body.length, s3.getObjectAsBytes(r -> r.bucket(b).key("r")
                .ifModifiedSince(lastModified.minusSeconds(60))).asByteArray().length);
        assertEquals(412, assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(r -> r.bucket(b).key("r").ifUnmodifiedSince(Instant.parse("2001-01-01T00:00:00Z")))).statusCode());
        var overridden = s3.getObjectAsBytes(r -> r.bucket(b).key("r").responseContentType("text/plain")
                .responseContentDisposition("inline").responseCacheControl("no-cache"));
        assertEquals("text/plain", overridden.response().contentType());
        assertEquals("inline", overridden.response().contentDisposition());
        assertEquals("no-cache", overridden.response().cacheControl());
    }

    @Test
    void listingV1V2AndVersions() {
        String b = newBucket();
        List<String> keys = List.of("a/1", "a/2", "a/b/3", "b/4", "c", "d/5", "d/6");
        for (String k : keys) s3.putObject(r -> r.bucket(b).key(k), RequestBody.fromString(k));
        ListObjectsV2Response all = s3.listObjectsV2(r -> r.bucket(b));
        assertEquals(keys, all.contents().stream().map(S3Object::key).toList());
        ListObjectsV2Response delim = s3.listObjectsV2(r -> r.bucket(b).delimiter("/"));
        assertEquals(List.of("c"), delim.contents().stream().map(S3Object::key).toList());
        assertEquals(List.of("a/", "b/", "d/"), delim.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        ListObjectsV2Response pre = s3.listObjectsV2(r -> r.bucket(b).prefix("a/").delimiter("/"));
        assertEquals(List.of("a/1", "a/2"), pre.contents().stream().map(S3Object::key).toList());
        assertEquals(List.of("a/b/"), pre.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        // pagination with continuation tokens, 2 at a time
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(b).maxKeys(2).continuationToken(t));
            page.contents().forEach(o -> paged.add(o.key()));
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        assertEquals(keys, paged);
        assertEquals(List.of("b/4", "c", "d/5", "d/6"),
                s3.listObjectsV2(r -> r.bucket(b).startAfter("a/b/3")).contents().stream().map(S3Object::key).toList());
        ListObjectsV2Response zero = s3.listObjectsV2(r -> r.bucket(b).maxKeys(0));
        assertTrue(zero.contents().isEmpty());
        ListObjectsV2Response owner = s3.listObjectsV2(r -> r.bucket(b).fetchOwner(true).maxKeys(1));
        assertTrue(owner.contents().get(0).owner() != null && owner.contents().get(0).owner().id() != null);
        // v1 with marker
        ListObjectsResponse v1 = s3.listObjects(r -> r.bucket(b).marker("b/4").maxKeys(2));
        assertEquals(List.of("c", "d/5"), v1.contents().stream().map(S3Object::key).toList());
        assertTrue(v1.isTruncated());
        // versions while versioning is off
        ListObjectVersionsResponse versions = s3.listObjectVersions(r -> r.bucket(b).prefix("d/"));
        assertEquals(List.of("d/5", "d/6"), versions.versions().stream().map(ObjectVersion::key).toList());
        assertTrue(versions.versions().stream().allMatch(v -> "null".equals(v.versionId()) && v.isLatest()));
    }

    @Test
    void deleteObjectsQuietAndVerbose() {
        String b = newBucket();
        for (int i = 0; i < 5; i++) {
            int n = i;
            s3.putObject(r -> r.bucket(b).key("k" + n), RequestBody.fromString("v"));
        }
        DeleteObjectsResponse verbose = s3.deleteObjects(r -> r.bucket(b).delete(d -> d.objects(
                ObjectIdentifier.builder().key("k0").build(), ObjectIdentifier.builder().key("k1").build(),
                ObjectIdentifier.builder().key("never").build())));
        assertEquals(3, verbose.deleted().size());
        DeleteObjectsResponse quiet = s3.deleteObjects(r -> r.bucket(b).delete(d -> d.quiet(true).objects(
                ObjectIdentifier.builder().key("k2").build())));
        assertTrue(quiet.deleted().isEmpty());
        assertEquals(List.of("k3", "k4"), s3.listObjectsV2(r -> r.bucket(b)).contents().stream().map(S3Object::key).toList());
    }

    @Test
    void contentMd5IsVerified() {
        String b = newBucket();
        String wrong = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        S3Exception e = assertThrows(S3Exception.class,
                () -> s3.putObject(r -> r.bucket(b).key("m").contentMD5(wrong), RequestBody.fromString("hello")));
        assertEquals("BadDigest", e.awsErrorDetails().errorCode());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(b).key("m")));
    }

    @Test
    void wrongSecretAndUnknownKeyAreRejected() {
        String b = newBucket();
        try (S3Client bad = store.client(AllInOne.ACCESS_KEY, "wrong-secret", true);
             S3Client unknown = store.client("AKIAUNKNOWNKEY000000", "x", true)) {
            assertEquals("SignatureDoesNotMatch", assertThrows(S3Exception.class,
                    () -> bad.putObject(r -> r.bucket(b).key("x"), RequestBody.fromString("x"))).awsErrorDetails().errorCode());
            assertEquals("InvalidAccessKeyId", assertThrows(S3Exception.class,
                    () -> unknown.listObjectsV2(r -> r.bucket(b))).awsErrorDetails().errorCode());
        }
        assertTrue(s3.listObjectsV2(r -> r.bucket(b)).contents().isEmpty());
    }

    @Test
    void virtualHostedStyle() {
        String b = newBucket();
        try (S3Client vh = store.client(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY, false)) {
            vh.putObject(r -> r.bucket(b).key("vh/key ✓"), RequestBody.fromString("virtual"));
            assertEquals("virtual", vh.getObjectAsBytes(r -> r.bucket(b).key("vh/key ✓")).asUtf8String());
            assertEquals(List.of("vh/key ✓"), vh.listObjectsV2(r -> r.bucket(b)).contents().stream().map(S3Object::key).toList());
        }
        assertEquals("virtual", s3.getObjectAsBytes(r -> r.bucket(b).key("vh/key ✓")).asUtf8String());
    }

    @Test
    void asyncClient() throws Exception {
        String b = newBucket();
        byte[] body = random(2 * 1024 * 1024 + 3, 3);
        try (S3AsyncClient async = S3AsyncClient.builder().endpointOverride(store.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY)))
                .forcePathStyle(true).build()) {
            async.putObject(r -> r.bucket(b).key("async"), AsyncRequestBody.fromBytes(body)).get();
            byte[] back = async.getObject(r -> r.bucket(b).key("async"), AsyncResponseTransformer.toBytes()).get().asByteArray();
            assertArrayEquals(body, back);
            assertEquals(1, async.listObjectsV2(r -> r.bucket(b)).get().keyCount());
        }
    }

    @Test
    void largeBallSpanningManyChunksStreamsBothWays() throws Exception {
        String b = newBucket();
        int size = 40 * 1024 * 1024 + 12345;
        byte[] body = random(size, 4);
        s3.putObject(r -> r.bucket(b).key("big"), RequestBody.fromBytes(body));
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = s3.getObject(r -> r.bucket(b).key("big"))) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(body), md.digest());
        byte[] mid = s3.getObjectAsBytes(r -> r.bucket(b).key("big").range("bytes=8388600-8388700")).asByteArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(body, 8388600, 8388701), mid);
    }

    @Test
    void overwriteReplacesAndDeleteRemoves() {
        String b = newBucket();
        s3.putObject(r -> r.bucket(b).key("o"), RequestBody.fromString("one"));
        s3.putObject(r -> r.bucket(b).key("o"), RequestBody.fromString("two!"));
        assertEquals("two!", s3.getObjectAsBytes(r -> r.bucket(b).key("o")).asUtf8String());
        s3.deleteObject(r -> r.bucket(b).key("o"));
        s3.deleteObject(r -> r.bucket(b).key("o"));
        assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(r -> r.bucket(b).key("o")));
        assertTrue(s3.listObjectsV2(r -> r.bucket(b)).contents().isEmpty());
    }

    @Test
    void notImplementedOperationsSay501() {
        String b = newBucket();
        // PutBucketAccelerateConfiguration is not built (GetBucketAccelerateConfiguration answers the empty
        // document); PutBucketVersioning (VersioningCompatTest) and PutBucketLogging (AccessLogsCompatTest) are built.
        S3Exception e = assertThrows(S3Exception.class, () -> s3.putBucketAccelerateConfiguration(r -> r.bucket(b)
                .accelerateConfiguration(a -> a.status("Enabled"))));
        assertEquals(501, e.statusCode());
        assertEquals("NotImplemented", e.awsErrorDetails().errorCode());
    }
}

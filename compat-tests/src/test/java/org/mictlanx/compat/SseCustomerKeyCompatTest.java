package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * SSE-C (customer-provided keys) through the AWS SDK for Java v2 against a real all-in-one over TLS
 * (its self-signed certificate trusted by the client), and the refusal over plain HTTP.
 */
class SseCustomerKeyCompatTest {

    static AllInOne store;
    static S3Client s3;
    static TrustManager[] trust;
    static final Key K1 = Key.random();
    static final Key K2 = Key.random();
    static final byte[] DATA = data(3 * 1024 * 1024 + 123);

    /** A customer key as the SDK takes it. */
    record Key(byte[] raw, String b64, String md5) {
        static Key random() {
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            return of(k);
        }

        static Key of(byte[] k) {
            try {
                return new Key(k, Base64.getEncoder().encodeToString(k),
                        Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(k)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static byte[] data(int n) {
        byte[] b = new byte[n];
        byte[] marker = "PLAINTEXT-MARKER-0123456789abcdef/".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) b[i] = marker[i % marker.length];
        return b;
    }

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start("--tls-self-signed");
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (var in = Files.newInputStream(store.dataDir().resolve("tls/self-signed.pem"))) {
            int i = 0;
            for (var c : cf.generateCertificates(in)) ks.setCertificateEntry("c" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trust = tmf.getTrustManagers();
        s3 = S3Client.builder().endpointOverride(store.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY)))
                .forcePathStyle(true)
                .httpClient(ApacheHttpClient.builder().tlsTrustManagersProvider(() -> trust).build()).build();
        s3.createBucket(r -> r.bucket("ssec"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    static String code(Runnable call) {
        return assertThrows(S3Exception.class, call::run).awsErrorDetails().errorCode();
    }

    static int status(Runnable call) {
        return assertThrows(S3Exception.class, call::run).statusCode();
    }

    static String md5Hex(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** S3's multipart ETag of these parts: the MD5 of their MD5s, {@code -N}. */
    static String multipartEtag(byte[]... parts) {
        try {
            java.security.MessageDigest all = java.security.MessageDigest.getInstance("MD5");
            for (byte[] p : parts) all.update(java.security.MessageDigest.getInstance("MD5").digest(p));
            return java.util.HexFormat.of().formatHex(all.digest()) + "-" + parts.length;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static PutObjectResponse put(String key, Key k, byte[] body) {
        return s3.putObject(r -> r.bucket("ssec").key(key).sseCustomerAlgorithm("AES256").sseCustomerKey(k.b64)
                .sseCustomerKeyMD5(k.md5), RequestBody.fromBytes(body));
    }

    static ResponseBytes<GetObjectResponse> get(String key, Key k, Consumer<GetObjectRequest.Builder> more) {
        return s3.getObjectAsBytes(r -> {
            r.bucket("ssec").key(key);
            if (k != null) r.sseCustomerAlgorithm("AES256").sseCustomerKey(k.b64).sseCustomerKeyMD5(k.md5);
            more.accept(r);
        });
    }

    @Test
    void putGetHeadAndRangeWithTheKey() {
        PutObjectResponse p = put("obj", K1, DATA);
        assertEquals("AES256", p.sseCustomerAlgorithm());
        assertEquals(K1.md5, p.sseCustomerKeyMD5());
        assertNull(p.serverSideEncryption());
        ResponseBytes<GetObjectResponse> got = get("obj", K1, r -> { });
        assertArrayEquals(DATA, got.asByteArray());
        assertEquals("AES256", got.response().sseCustomerAlgorithm());
        assertEquals(K1.md5, got.response().sseCustomerKeyMD5());
        byte[] range = get("obj", K1, r -> r.range("bytes=1000000-2100000")).asByteArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(DATA, 1000000, 2100001), range);
        HeadObjectResponse h = s3.headObject(r -> r.bucket("ssec").key("obj").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5));
        assertEquals(DATA.length, h.contentLength());
        assertEquals(K1.md5, h.sseCustomerKeyMD5());
        // as S3: an SSE-C ball's ETag is not the MD5 of its data (which the store must not fingerprint)
        String md5;
        try {
            md5 = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(DATA));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String etag = p.eTag().replace("\"", "");
        assertEquals(32, etag.length());
        assertNotEquals(md5, etag);
        assertEquals(p.eTag(), h.eTag());
        assertEquals(p.eTag(), got.response().eTag());
        // a small (inline) ball too
        put("small", K1, "tiny".getBytes(StandardCharsets.UTF_8));
        assertEquals("tiny", get("small", K1, r -> { }).asUtf8String());
    }

    @Test
    void readErrorsAsS3() {
        put("err", K1, "secret".getBytes(StandardCharsets.UTF_8));
        assertEquals("InvalidRequest", code(() -> get("err", null, r -> { })));
        assertEquals("AccessDenied", code(() -> get("err", K2, r -> { })));
        assertEquals(400, status(() -> s3.headObject(r -> r.bucket("ssec").key("err"))));
        assertEquals(403, status(() -> s3.headObject(r -> r.bucket("ssec").key("err").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(K2.b64).sseCustomerKeyMD5(K2.md5))));
        assertEquals("InvalidArgument", code(() -> s3.getObjectAsBytes(r -> r.bucket("ssec").key("err")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(K1.b64).sseCustomerKeyMD5(K2.md5))));
        assertEquals("InvalidArgument", code(() -> s3.putObject(r -> r.bucket("ssec").key("short")
                .sseCustomerAlgorithm("AES256").sseCustomerKey("c2hvcnQ=").sseCustomerKeyMD5(K1.md5),
                RequestBody.fromString("x"))));
        assertEquals("InvalidEncryptionAlgorithmError", code(() -> s3.putObject(r -> r.bucket("ssec").key("alg")
                .sseCustomerAlgorithm("AES128").sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5),
                RequestBody.fromString("x"))));
        assertEquals("InvalidArgument", code(() -> s3.putObject(r -> r.bucket("ssec").key("both")
                .serverSideEncryption("AES256").sseCustomerAlgorithm("AES256").sseCustomerKey(K1.b64)
                .sseCustomerKeyMD5(K1.md5), RequestBody.fromString("x"))));
        // a key for an object stored without one
        s3.putObject(r -> r.bucket("ssec").key("plain"), RequestBody.fromString("p"));
        assertEquals("InvalidRequest", code(() -> get("plain", K1, r -> { })));
        assertEquals("AES256", s3.headObject(r -> r.bucket("ssec").key("plain")).serverSideEncryptionAsString());
        // the refused writes stored nothing
        assertEquals(404, status(() -> s3.headObject(r -> r.bucket("ssec").key("short"))));
    }

    @Test
    void multipartWithTheSameKeyAndAPartWithAnother() {
        String id = s3.createMultipartUpload(r -> r.bucket("ssec").key("mp").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        byte[] p1 = data(5 * 1024 * 1024);
        byte[] p2 = "the last part".getBytes(StandardCharsets.UTF_8);
        for (int n = 1; n <= 2; n++) {
            int pn = n;
            byte[] body = n == 1 ? p1 : p2;
            var resp = s3.uploadPart(r -> r.bucket("ssec").key("mp").uploadId(id).partNumber(pn)
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5),
                    RequestBody.fromBytes(body));
            assertEquals(K1.md5, resp.sseCustomerKeyMD5());
            assertNotEquals("\"" + md5Hex(body) + "\"", resp.eTag(), "an SSE-C part's ETag is not its MD5 (S3)");
            assertEquals(34, resp.eTag().length(), resp.eTag());
            parts.add(CompletedPart.builder().partNumber(pn).eTag(resp.eTag()).build());
        }
        assertEquals("InvalidRequest", code(() -> s3.uploadPart(r -> r.bucket("ssec").key("mp").uploadId(id)
                .partNumber(3).sseCustomerAlgorithm("AES256").sseCustomerKey(K2.b64).sseCustomerKeyMD5(K2.md5),
                RequestBody.fromString("x"))));
        assertEquals("InvalidRequest", code(() -> s3.uploadPart(r -> r.bucket("ssec").key("mp").uploadId(id)
                .partNumber(3), RequestBody.fromString("x"))));
        // UploadPartCopy from an SSE-C source (its key as copy-source key) into the SSE-C upload
        put("mp-src", K2, p2);
        var copied = s3.uploadPartCopy(r -> r.sourceBucket("ssec").sourceKey("mp-src").destinationBucket("ssec")
                .destinationKey("mp").uploadId(id).partNumber(3)
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(K2.b64)
                .copySourceSSECustomerKeyMD5(K2.md5)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5));
        assertEquals("AccessDenied", code(() -> s3.uploadPartCopy(r -> r.sourceBucket("ssec").sourceKey("mp-src")
                .destinationBucket("ssec").destinationKey("mp").uploadId(id).partNumber(4)
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(K1.b64)
                .copySourceSSECustomerKeyMD5(K1.md5)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5))));
        // complete with parts 1 and 3 (the copied one, small and last); part 2 is left out
        List<CompletedPart> done = List.of(parts.get(0),
                CompletedPart.builder().partNumber(3).eTag(copied.copyPartResult().eTag()).build());
        assertNotEquals(md5Hex(p2), copied.copyPartResult().eTag().replace("\"", ""), "a copied SSE-C part too");
        var complete = s3.completeMultipartUpload(r -> r.bucket("ssec").key("mp").uploadId(id)
                .multipartUpload(m -> m.parts(done)));
        // opaque, but still with the part count, as S3 gives multipart ETags
        String etag = complete.eTag().replace("\"", "");
        assertTrue(etag.matches("[0-9a-f]{32}-2"), etag);
        assertNotEquals(multipartEtag(p1, p2), etag, "not the MD5 of the parts' MD5s");
        assertEquals(complete.eTag(), s3.headObject(r -> r.bucket("ssec").key("mp").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5)).eTag());
        assertEquals("AES256", complete.sdkHttpResponse().firstMatchingHeader(
                "x-amz-server-side-encryption-customer-algorithm").orElse(null));
        byte[] want = new byte[p1.length + p2.length];
        System.arraycopy(p1, 0, want, 0, p1.length);
        System.arraycopy(p2, 0, want, p1.length, p2.length);
        assertArrayEquals(want, get("mp", K1, r -> { }).asByteArray());
        assertEquals("AccessDenied", code(() -> get("mp", K2, r -> { })));
        assertArrayEquals(p2, get("mp", K1, r -> r.partNumber(2)).asByteArray());
    }

    @Test
    void copiesBetweenSseCAndSseS3BothWaysAndBetweenKeys() {
        put("c-src", K1, DATA);
        // SSE-C -> SSE-S3
        CopyObjectResponse toS3 = s3.copyObject(r -> r.sourceBucket("ssec").sourceKey("c-src")
                .destinationBucket("ssec").destinationKey("c-s3").copySourceSSECustomerAlgorithm("AES256")
                .copySourceSSECustomerKey(K1.b64).copySourceSSECustomerKeyMD5(K1.md5));
        assertEquals("AES256", toS3.serverSideEncryptionAsString());
        assertArrayEquals(DATA, get("c-s3", null, r -> { }).asByteArray());
        // the copy's ETag is its own encryption's: the MD5 under SSE-S3, opaque under SSE-C
        assertEquals("\"" + md5Hex(DATA) + "\"", toS3.copyObjectResult().eTag());
        // without the source key: refused
        assertEquals("InvalidRequest", code(() -> s3.copyObject(r -> r.sourceBucket("ssec").sourceKey("c-src")
                .destinationBucket("ssec").destinationKey("c-nokey"))));
        assertEquals("AccessDenied", code(() -> s3.copyObject(r -> r.sourceBucket("ssec").sourceKey("c-src")
                .destinationBucket("ssec").destinationKey("c-wrong").copySourceSSECustomerAlgorithm("AES256")
                .copySourceSSECustomerKey(K2.b64).copySourceSSECustomerKeyMD5(K2.md5))));
        // SSE-S3 -> SSE-C
        CopyObjectResponse toC = s3.copyObject(r -> r.sourceBucket("ssec").sourceKey("c-s3")
                .destinationBucket("ssec").destinationKey("c-c2").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(K2.b64).sseCustomerKeyMD5(K2.md5));
        assertEquals(K2.md5, toC.sseCustomerKeyMD5());
        assertNotEquals("\"" + md5Hex(DATA) + "\"", toC.copyObjectResult().eTag());
        assertArrayEquals(DATA, get("c-c2", K2, r -> { }).asByteArray());
        assertEquals("InvalidRequest", code(() -> get("c-c2", null, r -> { })));
        // SSE-C K1 -> SSE-C K2 in place (a key change on the same key is allowed)
        s3.copyObject(r -> r.sourceBucket("ssec").sourceKey("c-src").destinationBucket("ssec").destinationKey("c-src")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(K1.b64)
                .copySourceSSECustomerKeyMD5(K1.md5).sseCustomerAlgorithm("AES256").sseCustomerKey(K2.b64)
                .sseCustomerKeyMD5(K2.md5));
        assertEquals("AccessDenied", code(() -> get("c-src", K1, r -> { })));
        assertArrayEquals(java.util.Arrays.copyOfRange(DATA, DATA.length - 100, DATA.length),
                get("c-src", K2, r -> r.range("bytes=-100")).asByteArray());
        assertArrayEquals(DATA, get("c-src", K2, r -> { }).asByteArray());
        // SSE-C -> SSE-KMS (the AWS managed key) -> SSE-C
        CopyObjectResponse toKms = s3.copyObject(r -> r.sourceBucket("ssec").sourceKey("c-src")
                .destinationBucket("ssec").destinationKey("c-kms").copySourceSSECustomerAlgorithm("AES256")
                .copySourceSSECustomerKey(K2.b64).copySourceSSECustomerKeyMD5(K2.md5)
                .serverSideEncryption(ServerSideEncryption.AWS_KMS));
        assertEquals(ServerSideEncryption.AWS_KMS, toKms.serverSideEncryption());
        assertArrayEquals(DATA, get("c-kms", null, r -> { }).asByteArray());
        assertEquals("InvalidRequest", code(() -> get("c-kms", K2, r -> { })), "an SSE-KMS ball takes no customer key");
        CopyObjectResponse backToC = s3.copyObject(r -> r.sourceBucket("ssec").sourceKey("c-kms")
                .destinationBucket("ssec").destinationKey("c-kms-c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5));
        assertEquals(K1.md5, backToC.sseCustomerKeyMD5());
        assertArrayEquals(DATA, get("c-kms-c", K1, r -> { }).asByteArray());
    }

    @Test
    void versionsOfAVersionedBucketEachNeedTheirOwnKey() {
        s3.createBucket(r -> r.bucket("ssec-versions"));
        s3.putBucketVersioning(r -> r.bucket("ssec-versions").versioningConfiguration(v -> v.status("Enabled")));
        String v1 = s3.putObject(r -> r.bucket("ssec-versions").key("doc").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5), RequestBody.fromString("first")).versionId();
        String v2 = s3.putObject(r -> r.bucket("ssec-versions").key("doc").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(K2.b64).sseCustomerKeyMD5(K2.md5), RequestBody.fromString("second")).versionId();
        assertNotEquals(v1, v2);
        assertEquals("first", s3.getObjectAsBytes(r -> r.bucket("ssec-versions").key("doc").versionId(v1)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5)).asUtf8String());
        assertEquals("second", s3.getObjectAsBytes(r -> r.bucket("ssec-versions").key("doc")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(K2.b64).sseCustomerKeyMD5(K2.md5)).asUtf8String());
        assertEquals(400, status(() -> s3.getObjectAsBytes(r -> r.bucket("ssec-versions").key("doc").versionId(v1))));
        assertEquals(403, status(() -> s3.getObjectAsBytes(r -> r.bucket("ssec-versions").key("doc").versionId(v1)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(K2.b64).sseCustomerKeyMD5(K2.md5))));
        assertEquals(400, status(() -> s3.headObject(r -> r.bucket("ssec-versions").key("doc").versionId(v1))));
    }

    @Test
    void getObjectAttributesNeedsTheKey() {
        put("attrs", K1, "attributes".getBytes(StandardCharsets.UTF_8));
        GetObjectAttributesResponse a = s3.getObjectAttributes(r -> r.bucket("ssec").key("attrs")
                .objectAttributes(ObjectAttributes.OBJECT_SIZE).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5));
        assertEquals(10L, a.objectSize());
        assertEquals("InvalidRequest", code(() -> s3.getObjectAttributes(r -> r.bucket("ssec").key("attrs")
                .objectAttributes(ObjectAttributes.OBJECT_SIZE))));
        assertEquals("AccessDenied", code(() -> s3.getObjectAttributes(r -> r.bucket("ssec").key("attrs")
                .objectAttributes(ObjectAttributes.OBJECT_SIZE).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(K2.b64).sseCustomerKeyMD5(K2.md5))));
    }

    @Test
    void presignedGetWithSseCHeaders() throws Exception {
        put("presigned", K1, "presigned body".getBytes(StandardCharsets.UTF_8));
        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(store.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
            PresignedGetObjectRequest p = presigner.presignGetObject(r -> r.signatureDuration(java.time.Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("ssec").key("presigned").sseCustomerAlgorithm("AES256")
                            .sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5)));
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust, null);
            HttpClient http = HttpClient.newBuilder().sslContext(ssl).build();
            HttpRequest.Builder b = HttpRequest.newBuilder(p.url().toURI());
            p.signedHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("host")) values.forEach(v -> b.header(name, v));
            });
            HttpResponse<String> ok = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("presigned body", ok.body());
            // the same URL without the key headers: the signature covers them
            HttpResponse<String> bare = http.send(HttpRequest.newBuilder(p.url().toURI()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, bare.statusCode(), bare.body());
            // a presigned PUT with SSE-C headers stores the body under the customer's key
            var put = presigner.presignPutObject(r -> r.signatureDuration(java.time.Duration.ofMinutes(5))
                    .putObjectRequest(o -> o.bucket("ssec").key("presigned-put").sseCustomerAlgorithm("AES256")
                            .sseCustomerKey(K2.b64).sseCustomerKeyMD5(K2.md5)));
            HttpRequest.Builder pb = HttpRequest.newBuilder(put.url().toURI())
                    .PUT(HttpRequest.BodyPublishers.ofString("put by url"));
            put.signedHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("host")) values.forEach(v -> pb.header(name, v));
            });
            HttpResponse<String> stored = http.send(pb.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stored.statusCode(), stored.body());
            assertEquals(K2.md5, stored.headers().firstValue("x-amz-server-side-encryption-customer-key-MD5").orElse(null));
            assertEquals("put by url", get("presigned-put", K2, r -> { }).asUtf8String());
            assertEquals("InvalidRequest", code(() -> get("presigned-put", null, r -> { })));
        }
    }

    /**
     * Neither the customer key (raw, base64, hex), nor its MD5 (raw, base64), nor the plaintext appear
     * in any file of the store: the peers' RocksDB data and logs, the replicated metadata records.
     */
    @Test
    void noKeyNoKeyMd5AndNoPlaintextOnDisk() throws Exception {
        Key k = Key.random();
        byte[] body = data(300_000);
        put("disk", k, body);
        put("disk-small", k, "PLAINTEXT-MARKER-small-object-body".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(body, get("disk", k, r -> { }).asByteArray());
        byte[] md5 = MessageDigest.getInstance("MD5").digest(k.raw);
        List<byte[]> needles = List.of(k.raw, k.b64.getBytes(StandardCharsets.US_ASCII),
                HexFormat.of().formatHex(k.raw).getBytes(StandardCharsets.US_ASCII), md5,
                k.md5.getBytes(StandardCharsets.US_ASCII),
                "PLAINTEXT-MARKER".getBytes(StandardCharsets.US_ASCII));
        List<Path> files;
        try (var walk = Files.walk(store.dataDir())) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertFalse(files.isEmpty());
        long scanned = 0;
        for (Path f : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f);
            } catch (IOException gone) {
                continue; // a RocksDB file removed by compaction meanwhile
            }
            scanned += bytes.length;
            for (byte[] n : needles) {
                assertFalse(contains(bytes, n), f + " contains " + new String(n, StandardCharsets.ISO_8859_1));
            }
        }
        assertTrue(scanned > body.length, "scanned " + scanned + " bytes");
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    /** Over plain HTTP SSE-C is refused unless sse-customer-keys-over-http allows it. */
    @Test
    void plainHttpRefusedUnlessAllowed() throws Exception {
        try (AllInOne plain = AllInOne.start(); S3Client c = plain.rootClient()) {
            c.createBucket(r -> r.bucket("bkt"));
            S3Exception e = assertThrows(S3Exception.class, () -> c.putObject(r -> r.bucket("bkt").key("k")
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5),
                    RequestBody.fromString("x")));
            assertEquals(400, e.statusCode());
            assertEquals("InvalidRequest", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().contains("secure connection"));
        }
        try (AllInOne allowed = AllInOne.start("--sse-customer-keys-over-http", "true"); S3Client c = allowed.rootClient()) {
            c.createBucket(r -> r.bucket("bkt"));
            c.putObject(r -> r.bucket("bkt").key("k").sseCustomerAlgorithm("AES256").sseCustomerKey(K1.b64)
                    .sseCustomerKeyMD5(K1.md5), RequestBody.fromString("over http"));
            assertEquals("over http", c.getObjectAsBytes(r -> r.bucket("bkt").key("k").sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(K1.b64).sseCustomerKeyMD5(K1.md5)).asUtf8String());
        }
    }
}

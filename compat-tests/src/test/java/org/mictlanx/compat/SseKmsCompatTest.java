package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.server.AdminClient;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * SSE-KMS with the built-in key service (keys managed through the admin API) and bucket default
 * encryption, through the AWS SDK for Java v2 against a real all-in-one.
 */
class SseKmsCompatTest {

    static AllInOne store;
    static S3Client s3;
    static AdminClient admin;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        s3 = store.rootClient();
        admin = new AdminClient(store.endpoint(), AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
        s3.createBucket(r -> r.bucket("kms"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    static String newKey() throws Exception {
        return admin.createKmsKey("test key").path("keyId").asText();
    }

    static S3Exception error(Runnable call) {
        return assertThrows(S3Exception.class, call::run);
    }

    static PutObjectResponse put(String key, String kmsKey, String body) {
        return s3.putObject(r -> r.bucket("kms").key(key).serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(kmsKey), RequestBody.fromString(body));
    }

    static String get(String key) {
        return s3.getObjectAsBytes(r -> r.bucket("kms").key(key)).asUtf8String();
    }

    @Test
    void putGetHeadWithAKeyIdOrArnAndTheKeyEchoed() throws Exception {
        String id = newKey();
        PutObjectResponse p = put("a", id, "kms body");
        assertEquals(ServerSideEncryption.AWS_KMS, p.serverSideEncryption());
        assertTrue(p.ssekmsKeyId().startsWith("arn:aws:kms:") && p.ssekmsKeyId().endsWith(":key/" + id), p.ssekmsKeyId());
        GetObjectResponse g = s3.getObjectAsBytes(r -> r.bucket("kms").key("a")).response();
        assertEquals(ServerSideEncryption.AWS_KMS, g.serverSideEncryption());
        assertEquals(p.ssekmsKeyId(), g.ssekmsKeyId());
        assertEquals("kms body", get("a"));
        assertEquals(p.ssekmsKeyId(), s3.headObject(r -> r.bucket("kms").key("a")).ssekmsKeyId());
        put("arn", "arn:aws:kms:us-east-1:123456789012:key/" + id, "by arn");
        assertEquals("by arn", get("arn"));
        // a big (chunked, not inline) ball too
        byte[] big = new byte[2 * 1024 * 1024 + 7];
        new java.util.Random(1).nextBytes(big);
        s3.putObject(r -> r.bucket("kms").key("big").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(id),
                RequestBody.fromBytes(big));
        assertArrayEquals(big, s3.getObjectAsBytes(r -> r.bucket("kms").key("big").range("bytes=0-")).asByteArray());
    }

    @Test
    void unknownKeyMissingKeyIdAndDsseAreRefused() {
        S3Exception unknown = error(() -> put("u", "00000000-0000-0000-0000-000000000000", "x"));
        assertEquals(400, unknown.statusCode());
        assertEquals("KMS.NotFoundException", unknown.awsErrorDetails().errorCode());
        assertEquals("NotImplemented", error(() -> s3.putObject(r -> r.bucket("kms").key("dsse")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS_DSSE), RequestBody.fromString("x"))).awsErrorDetails().errorCode());
        assertEquals("InvalidArgument", error(() -> s3.putObject(r -> r.bucket("kms").key("keyonly")
                .ssekmsKeyId("abc"), RequestBody.fromString("x"))).awsErrorDetails().errorCode());
        assertEquals(404, error(() -> s3.headObject(r -> r.bucket("kms").key("u"))).statusCode());
    }

    @Test
    void aDisabledKeyMakesItsBallsUnreadableUntilEnabled() throws Exception {
        String id = newKey();
        put("d", id, "guarded");
        admin.changeKmsKey("disable", id);
        assertEquals("Disabled", admin.describeKmsKey(id).path("state").asText());
        S3Exception e = error(() -> get("d"));
        assertEquals(400, e.statusCode());
        assertEquals("KMS.DisabledException", e.awsErrorDetails().errorCode());
        // HEAD too (no body: the status says it)
        assertEquals(400, error(() -> s3.headObject(r -> r.bucket("kms").key("d"))).statusCode());
        assertEquals("KMS.DisabledException", error(() -> put("d2", id, "x")).awsErrorDetails().errorCode());
        admin.changeKmsKey("enable", id);
        assertEquals("guarded", get("d"));
    }

    @Test
    void aKeyScheduledForDeletionIsUnusableUntilTheDeletionIsCancelled() throws Exception {
        String id = newKey();
        put("del", id, "doomed?");
        var scheduled = admin.scheduleKmsKeyDeletion(id, "7");
        assertEquals("PendingDeletion", scheduled.path("state").asText());
        assertTrue(!scheduled.path("deletionDate").asText().isEmpty());
        S3Exception pending = error(() -> get("del"));
        assertEquals(400, pending.statusCode());
        assertEquals("KMS.KMSInvalidStateException", pending.awsErrorDetails().errorCode());
        assertEquals(400, error(() -> s3.headObject(r -> r.bucket("kms").key("del"))).statusCode());
        assertEquals("KMS.KMSInvalidStateException", error(() -> put("del2", id, "x")).awsErrorDetails().errorCode());
        var tooShort = assertThrows(AdminClient.AdminException.class, () -> admin.scheduleKmsKeyDeletion(id, "6"));
        assertEquals(400, tooShort.status());
        // enabling needs the deletion cancelled first; cancelling leaves the key disabled, as AWS KMS
        assertEquals(409, assertThrows(AdminClient.AdminException.class,
                () -> admin.changeKmsKey("enable", id)).status());
        assertEquals("Disabled", admin.changeKmsKey("cancel-deletion", id).path("state").asText());
        assertEquals("KMS.DisabledException", error(() -> get("del")).awsErrorDetails().errorCode());
        admin.changeKmsKey("enable", id);
        assertEquals("doomed?", get("del"));
    }

    @Test
    void awsKmsWithoutAKeyIdUsesTheAwsManagedKey() throws Exception {
        PutObjectResponse p = s3.putObject(r -> r.bucket("kms").key("managed").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("managed key"));
        assertEquals(ServerSideEncryption.AWS_KMS, p.serverSideEncryption());
        String arn = p.ssekmsKeyId();
        assertTrue(arn.startsWith("arn:aws:kms:us-east-1:") && arn.contains(":key/"), arn);
        assertEquals("managed key", get("managed"));
        assertEquals(arn, s3.headObject(r -> r.bucket("kms").key("managed")).ssekmsKeyId());
        // the same key every time, listed with its alias, and it cannot be disabled or deleted
        String id = arn.substring(arn.lastIndexOf('/') + 1);
        assertEquals(arn, s3.putObject(r -> r.bucket("kms").key("managed2").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId("alias/aws/s3"), RequestBody.fromString("again")).ssekmsKeyId());
        assertEquals("aws/s3", admin.describeKmsKey(id).path("alias").asText());
        assertEquals(400, assertThrows(AdminClient.AdminException.class,
                () -> admin.changeKmsKey("disable", id)).status());
        assertEquals(400, assertThrows(AdminClient.AdminException.class,
                () -> admin.scheduleKmsKeyDeletion(id, "30")).status());
        // a bucket default of aws:kms without a KMSMasterKeyID uses it too
        s3.createBucket(r -> r.bucket("kms-managed"));
        s3.putBucketEncryption(r -> r.bucket("kms-managed").serverSideEncryptionConfiguration(c -> c.rules(
                ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(
                        d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)).build())));
        var rule = s3.getBucketEncryption(r -> r.bucket("kms-managed")).serverSideEncryptionConfiguration().rules().get(0)
                .applyServerSideEncryptionByDefault();
        assertEquals(ServerSideEncryption.AWS_KMS, rule.sseAlgorithm());
        assertEquals(null, rule.kmsMasterKeyID());
        assertEquals(arn, s3.putObject(r -> r.bucket("kms-managed").key("d"), RequestBody.fromString("d")).ssekmsKeyId());
    }

    @Test
    void kmsBallsHaveAnEtagThatIsNotTheMd5OfTheirData() throws Exception {
        String id = newKey();
        String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest("etag body".getBytes(StandardCharsets.UTF_8)));
        String etag = put("etag", id, "etag body").eTag().replace("\"", "");
        assertEquals(32, etag.length());
        assertTrue(!etag.equals(md5), "an SSE-KMS ETag is not the MD5 of the data (S3)");
        assertEquals(etag, s3.headObject(r -> r.bucket("kms").key("etag")).eTag().replace("\"", ""));
        assertEquals("etag body", s3.getObjectAsBytes(r -> r.bucket("kms").key("etag").ifMatch("\"" + etag + "\""))
                .asUtf8String());
        // SSE-S3 balls keep the MD5
        assertEquals("\"" + md5 + "\"", s3.putObject(r -> r.bucket("kms").key("etag-s3"),
                RequestBody.fromString("etag body")).eTag());
    }

    @Test
    void bucketPoliciesSeeTheEncryptionConditionKeys() throws Exception {
        String id = newKey();
        String arn = "arn:aws:kms:us-east-1:000000000000:key/" + id;
        AdminClient.NewUser owner = admin.addUser("kms-policy-owner");
        try (S3Client c = store.client(owner.accessKey(), owner.secretKey(), true)) {
            c.createBucket(r -> r.bucket("kms-policy"));
            String policy = """
                    {"Version": "2012-10-17", "Statement": [
                      {"Sid": "RequireKms", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                       "Resource": "arn:aws:s3:::kms-policy/*",
                       "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}},
                      {"Sid": "RequireTheKey", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                       "Resource": "arn:aws:s3:::kms-policy/*",
                       "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "%s"}}}]}
                    """.formatted(arn);
            c.putBucketPolicy(r -> r.bucket("kms-policy").policy(policy));
            // the key given as a plain id is compared as its ARN
            c.putObject(r -> r.bucket("kms-policy").key("ok").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(id), RequestBody.fromString("ok"));
            c.putObject(r -> r.bucket("kms-policy").key("ok-arn").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(arn), RequestBody.fromString("ok"));
            String other = newKey();
            for (Runnable refused : List.<Runnable>of(
                    () -> c.putObject(r -> r.bucket("kms-policy").key("plain"), RequestBody.fromString("no")),
                    () -> c.putObject(r -> r.bucket("kms-policy").key("s3").serverSideEncryption(ServerSideEncryption.AES256),
                            RequestBody.fromString("no")),
                    () -> c.putObject(r -> r.bucket("kms-policy").key("other").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                            .ssekmsKeyId(other), RequestBody.fromString("no")))) {
                S3Exception e = error(refused);
                assertEquals(403, e.statusCode());
                assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
            }
        }
    }

    @Test
    void rotationKeepsOldVersionsReadable() throws Exception {
        String id = newKey();
        put("r1", id, "version one");
        assertEquals(2, admin.changeKmsKey("rotate", id).path("currentVersion").asInt());
        put("r2", id, "version two");
        assertEquals("version one", get("r1"));
        assertEquals("version two", get("r2"));
        assertEquals(2, admin.describeKmsKey(id).path("versions").size());
        assertTrue(admin.listKmsKeys().path("keys").toString().contains(id));
    }

    @Test
    void encryptionContextIsEchoedAndValidated() throws Exception {
        String id = newKey();
        String ctx = Base64.getEncoder().encodeToString("{\"tenant\":\"blue\"}".getBytes(StandardCharsets.UTF_8));
        PutObjectResponse p = s3.putObject(r -> r.bucket("kms").key("ctx").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(id).ssekmsEncryptionContext(ctx).bucketKeyEnabled(true), RequestBody.fromString("with context"));
        assertEquals(ctx, p.ssekmsEncryptionContext());
        assertTrue(p.bucketKeyEnabled());
        assertEquals("with context", get("ctx"));
        assertEquals("InvalidArgument", error(() -> s3.putObject(r -> r.bucket("kms").key("badctx")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(id).ssekmsEncryptionContext("bm90IGpzb24="),
                RequestBody.fromString("x"))).awsErrorDetails().errorCode());
    }

    @Test
    void multipartAndCopiesBetweenKmsAndSseS3() throws Exception {
        String id = newKey();
        String upload = s3.createMultipartUpload(r -> r.bucket("kms").key("mp").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(id)).uploadId();
        byte[] p1 = new byte[5 * 1024 * 1024];
        new java.util.Random(2).nextBytes(p1);
        List<CompletedPart> parts = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            int pn = n;
            byte[] body = n == 1 ? p1 : "tail".getBytes(StandardCharsets.UTF_8);
            var resp = s3.uploadPart(r -> r.bucket("kms").key("mp").uploadId(upload).partNumber(pn), RequestBody.fromBytes(body));
            assertEquals(ServerSideEncryption.AWS_KMS, resp.serverSideEncryption());
            parts.add(CompletedPart.builder().partNumber(pn).eTag(resp.eTag()).build());
        }
        var done = s3.completeMultipartUpload(r -> r.bucket("kms").key("mp").uploadId(upload).multipartUpload(m -> m.parts(parts)));
        assertEquals(ServerSideEncryption.AWS_KMS, done.serverSideEncryption());
        byte[] got = s3.getObjectAsBytes(r -> r.bucket("kms").key("mp")).asByteArray();
        assertEquals(p1.length + 4, got.length);
        // KMS -> SSE-S3: readable after the KMS key is disabled
        s3.copyObject(r -> r.sourceBucket("kms").sourceKey("mp").destinationBucket("kms").destinationKey("mp-s3"));
        admin.changeKmsKey("disable", id);
        assertArrayEquals(got, s3.getObjectAsBytes(r -> r.bucket("kms").key("mp-s3")).asByteArray());
        assertEquals("KMS.DisabledException", error(() -> get("mp")).awsErrorDetails().errorCode());
        admin.changeKmsKey("enable", id);
        // SSE-S3 -> KMS
        String other = newKey();
        var c = s3.copyObject(r -> r.sourceBucket("kms").sourceKey("mp-s3").destinationBucket("kms").destinationKey("mp-kms")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(other));
        assertTrue(c.ssekmsKeyId().endsWith(other));
        assertArrayEquals(got, s3.getObjectAsBytes(r -> r.bucket("kms").key("mp-kms")).asByteArray());
    }

    @Test
    void bucketDefaultEncryption() throws Exception {
        s3.createBucket(r -> r.bucket("kms-default"));
        GetBucketEncryptionResponse none = s3.getBucketEncryption(r -> r.bucket("kms-default"));
        assertEquals(ServerSideEncryption.AES256, none.serverSideEncryptionConfiguration().rules().get(0)
                .applyServerSideEncryptionByDefault().sseAlgorithm());
        String id = newKey();
        s3.putBucketEncryption(r -> r.bucket("kms-default").serverSideEncryptionConfiguration(c -> c.rules(
                ServerSideEncryptionRule.builder().bucketKeyEnabled(true).applyServerSideEncryptionByDefault(
                        d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(id)).build())));
        ServerSideEncryptionRule rule = s3.getBucketEncryption(r -> r.bucket("kms-default"))
                .serverSideEncryptionConfiguration().rules().get(0);
        assertEquals(ServerSideEncryption.AWS_KMS, rule.applyServerSideEncryptionByDefault().sseAlgorithm());
        assertTrue(rule.applyServerSideEncryptionByDefault().kmsMasterKeyID().endsWith(id));
        assertTrue(rule.bucketKeyEnabled());
        PutObjectResponse p = s3.putObject(r -> r.bucket("kms-default").key("x"), RequestBody.fromString("defaulted"));
        assertEquals(ServerSideEncryption.AWS_KMS, p.serverSideEncryption());
        assertTrue(p.ssekmsKeyId().endsWith(id));
        // an explicit AES256 header wins over the default
        assertEquals(ServerSideEncryption.AES256, s3.putObject(r -> r.bucket("kms-default").key("y")
                .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromString("s3")).serverSideEncryption());
        admin.changeKmsKey("disable", id);
        assertEquals("KMS.DisabledException", error(() -> s3.getObjectAsBytes(r -> r.bucket("kms-default").key("x")))
                .awsErrorDetails().errorCode());
        admin.changeKmsKey("enable", id);
        assertEquals("defaulted", s3.getObjectAsBytes(r -> r.bucket("kms-default").key("x")).asUtf8String());
        assertEquals("KMS.NotFoundException", error(() -> s3.putBucketEncryption(r -> r.bucket("kms-default")
                .serverSideEncryptionConfiguration(c -> c.rules(ServerSideEncryptionRule.builder()
                        .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)
                                .kmsMasterKeyID("no-such-key")).build())))).awsErrorDetails().errorCode());
        s3.deleteBucketEncryption(r -> r.bucket("kms-default"));
        assertEquals(ServerSideEncryption.AES256, s3.putObject(r -> r.bucket("kms-default").key("z"),
                RequestBody.fromString("plain")).serverSideEncryption());
        assertEquals(ServerSideEncryption.AES256, s3.getBucketEncryption(r -> r.bucket("kms-default"))
                .serverSideEncryptionConfiguration().rules().get(0).applyServerSideEncryptionByDefault().sseAlgorithm());
    }

    static String md5Hex(byte[] body) {
        return SseCustomerKeyCompatTest.md5Hex(body);
    }

    @Test
    void multipartAndCopyEtagsAreOpaqueUnderKmsAndKeepThePartCount() throws Exception {
        String id = newKey();
        String upload = s3.createMultipartUpload(r -> r.bucket("kms").key("mp-etag")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(id)).uploadId();
        byte[] p1 = new byte[5 * 1024 * 1024];
        new java.util.Random(3).nextBytes(p1);
        byte[] p2 = "kms tail".getBytes(StandardCharsets.UTF_8);
        var r1 = s3.uploadPart(r -> r.bucket("kms").key("mp-etag").uploadId(upload).partNumber(1), RequestBody.fromBytes(p1));
        assertTrue(r1.eTag().replace("\"", "").matches("[0-9a-f]{32}"), r1.eTag());
        assertTrue(!r1.eTag().contains(md5Hex(p1)), "an SSE-KMS part's ETag is not its MD5");
        s3.putObject(r -> r.bucket("kms").key("mp-etag-src"), RequestBody.fromBytes(p2));
        var r2 = s3.uploadPartCopy(r -> r.sourceBucket("kms").sourceKey("mp-etag-src").destinationBucket("kms")
                .destinationKey("mp-etag").uploadId(upload).partNumber(2));
        assertTrue(!r2.copyPartResult().eTag().contains(md5Hex(p2)), "nor a copied part's");
        var done = s3.completeMultipartUpload(r -> r.bucket("kms").key("mp-etag").uploadId(upload).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(r1.eTag()).build(),
                CompletedPart.builder().partNumber(2).eTag(r2.copyPartResult().eTag()).build())));
        String etag = done.eTag().replace("\"", "");
        assertTrue(etag.matches("[0-9a-f]{32}-2"), "opaque, with the part count: " + etag);
        assertTrue(!etag.equals(SseCustomerKeyCompatTest.multipartEtag(p1, p2)), "not the MD5 of the parts' MD5s");
        assertEquals(done.eTag(), s3.headObject(r -> r.bucket("kms").key("mp-etag")).eTag());
        // CopyObject: the copy's ETag is what its own encryption calls for
        var toS3 = s3.copyObject(r -> r.sourceBucket("kms").sourceKey("mp-etag").destinationBucket("kms")
                .destinationKey("mp-etag-s3"));
        assertEquals("\"" + SseCustomerKeyCompatTest.multipartEtag(p1, p2) + "\"", toS3.copyObjectResult().eTag(),
                "an SSE-S3 copy of a multipart ball: the MD5 of its parts' MD5s -2");
        var toKms = s3.copyObject(r -> r.sourceBucket("kms").sourceKey("mp-etag-src").destinationBucket("kms")
                .destinationKey("mp-etag-kms").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(id));
        String copyEtag = toKms.copyObjectResult().eTag().replace("\"", "");
        assertTrue(copyEtag.matches("[0-9a-f]{32}") && !copyEtag.equals(md5Hex(p2)), copyEtag);
        assertEquals("kms tail", s3.getObjectAsBytes(r -> r.bucket("kms").key("mp-etag-kms")
                .ifMatch("\"" + copyEtag + "\"")).asUtf8String());
    }

    @Test
    void everyReadOfABallUnderADisabledKeyAnswersTheKmsError() throws Exception {
        String id = newKey();
        put("gated", id, "gated body");
        String upload = s3.createMultipartUpload(r -> r.bucket("kms").key("gated-dest")).uploadId();
        admin.changeKmsKey("disable", id);
        try {
            S3Exception attrs = error(() -> s3.getObjectAttributes(r -> r.bucket("kms").key("gated")
                    .objectAttributes(software.amazon.awssdk.services.s3.model.ObjectAttributes.E_TAG)));
            assertEquals(400, attrs.statusCode());
            assertEquals("KMS.DisabledException", attrs.awsErrorDetails().errorCode());
            assertEquals("KMS.DisabledException", error(() -> s3.copyObject(r -> r.sourceBucket("kms").sourceKey("gated")
                    .destinationBucket("kms").destinationKey("gated-copy"))).awsErrorDetails().errorCode());
            assertEquals("KMS.DisabledException", error(() -> s3.uploadPartCopy(r -> r.sourceBucket("kms")
                    .sourceKey("gated").destinationBucket("kms").destinationKey("gated-dest").uploadId(upload)
                    .partNumber(1))).awsErrorDetails().errorCode());
            admin.scheduleKmsKeyDeletion(id, "7");
            assertEquals("KMS.KMSInvalidStateException", error(() -> s3.getObjectAttributes(r -> r.bucket("kms").key("gated")
                    .objectAttributes(software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_SIZE)))
                    .awsErrorDetails().errorCode());
            admin.changeKmsKey("cancel-deletion", id);
        } finally {
            admin.changeKmsKey("enable", id);
        }
        assertEquals(10L, s3.getObjectAttributes(r -> r.bucket("kms").key("gated")
                .objectAttributes(software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_SIZE)).objectSize());
        s3.abortMultipartUpload(r -> r.bucket("kms").key("gated-dest").uploadId(upload));
    }

    @Test
    void anInPlaceCopyWithoutChangesIsRefusedUnderADefaultEncryptionToo() throws Exception {
        s3.createBucket(r -> r.bucket("kms-self"));
        String id = newKey();
        s3.putBucketEncryption(r -> r.bucket("kms-self").serverSideEncryptionConfiguration(c -> c.rules(
                ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(
                        d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(id)).build())));
        s3.putObject(r -> r.bucket("kms-self").key("x"), RequestBody.fromString("in place"));
        S3Exception same = error(() -> s3.copyObject(r -> r.sourceBucket("kms-self").sourceKey("x")
                .destinationBucket("kms-self").destinationKey("x")));
        assertEquals(400, same.statusCode());
        assertEquals("InvalidRequest", same.awsErrorDetails().errorCode());
        assertTrue(same.awsErrorDetails().errorMessage().contains("without changing"), same.awsErrorDetails().errorMessage());
        // asking for an encryption (the same or another) is a change, as S3
        var kms = s3.copyObject(r -> r.sourceBucket("kms-self").sourceKey("x").destinationBucket("kms-self")
                .destinationKey("x").serverSideEncryption(ServerSideEncryption.AWS_KMS));
        assertEquals(ServerSideEncryption.AWS_KMS, kms.serverSideEncryption());
        var s3Copy = s3.copyObject(r -> r.sourceBucket("kms-self").sourceKey("x").destinationBucket("kms-self")
                .destinationKey("x").serverSideEncryption(ServerSideEncryption.AES256));
        assertEquals(ServerSideEncryption.AES256, s3Copy.serverSideEncryption());
        // a metadata replacement too; the copy then takes the bucket default
        var replaced = s3.copyObject(r -> r.sourceBucket("kms-self").sourceKey("x").destinationBucket("kms-self")
                .destinationKey("x").metadataDirective("REPLACE").contentType("text/plain"));
        assertEquals(ServerSideEncryption.AWS_KMS, replaced.serverSideEncryption());
        assertEquals("in place", s3.getObjectAsBytes(r -> r.bucket("kms-self").key("x")).asUtf8String());
    }
}

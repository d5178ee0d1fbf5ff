package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.*;

/**
 * Storage classes (STANDARD, REDUCED_REDUNDANCY), {@code x-amz-server-side-encryption: AES256}, the
 * bucket configuration reads tools make, and bucket tagging, through the AWS SDK for Java v2 against
 * a real all-in-one with three peers (REDUCED_REDUNDANCY then means two replicas instead of three).
 */
class StorageClassAndBucketConfigCompatTest {

    static final int MIB = 1024 * 1024;
    static AllInOne store;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start("--peers", "3", "--replication", "3");
        s3 = store.rootClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    static S3Exception failure(Runnable call) {
        return assertThrows(S3Exception.class, call::run);
    }

    @Test
    void reducedRedundancyIsAcceptedStoredAndReported() {
        String b = CompatData.newBucket(s3, "sc");
        byte[] data = CompatData.random(MIB, 1);
        long before = chunks();
        s3.putObject(r -> r.bucket(b).key("rrs").storageClass(StorageClass.REDUCED_REDUNDANCY), RequestBody.fromBytes(data));
        s3.putObject(r -> r.bucket(b).key("std").storageClass(StorageClass.STANDARD), RequestBody.fromBytes(data));
        // A put returns at its write quorum; the last replica may land just after: wait for it, with a deadline.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (chunks() < before + 2 + 3 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        assertEquals(before + 2 + 3, chunks(), "one chunk each: two replicas (N - 1 of three) and three");
        assertEquals(StorageClass.REDUCED_REDUNDANCY, s3.headObject(r -> r.bucket(b).key("rrs")).storageClass());
        assertNull(s3.headObject(r -> r.bucket(b).key("std")).storageClassAsString(), "S3 omits STANDARD on HEAD");
        var got = s3.getObjectAsBytes(r -> r.bucket(b).key("rrs"));
        assertEquals(StorageClass.REDUCED_REDUNDANCY, got.response().storageClass());
        assertArrayEquals(data, got.asByteArray());
        assertEquals(Map.of("rrs", "REDUCED_REDUNDANCY", "std", "STANDARD"), classes(b));
        assertEquals("REDUCED_REDUNDANCY", s3.listObjects(r -> r.bucket(b).prefix("rrs")).contents().get(0).storageClassAsString());
        assertEquals(StorageClass.REDUCED_REDUNDANCY, s3.getObjectAttributes(r -> r.bucket(b).key("rrs")
                .objectAttributes(ObjectAttributes.STORAGE_CLASS)).storageClass());
        for (StorageClass other : List.of(StorageClass.GLACIER, StorageClass.STANDARD_IA, StorageClass.DEEP_ARCHIVE)) {
            S3Exception e = failure(() -> s3.putObject(r -> r.bucket(b).key("other").storageClass(other),
                    RequestBody.fromString("x")));
            assertEquals("InvalidStorageClass", e.awsErrorDetails().errorCode(), other.toString());
            assertEquals(400, e.statusCode());
        }
        assertEquals("InvalidStorageClass", failure(() -> s3.putObject(r -> r.bucket(b).key("other").storageClass("standard"),
                RequestBody.fromString("x"))).awsErrorDetails().errorCode(), "class names are exact");
        assertEquals(2, s3.listObjectsV2(r -> r.bucket(b)).keyCount(), "refused puts stored nothing");
    }

    /** Chunk replicas stored on all embedded peers. */
    static long chunks() {
        return store.server().embeddedPeerStats().stream().mapToLong(org.mictlanx.peer.api.PeerStats::chunks).sum();
    }

    static Map<String, String> classes(String b) {
        Map<String, String> out = new java.util.TreeMap<>();
        s3.listObjectsV2(r -> r.bucket(b)).contents().forEach(o -> out.put(o.key(), o.storageClassAsString()));
        return out;
    }

    @Test
    void multipartUploadsAndCopiesCarryTheirStorageClass() {
        String b = CompatData.newBucket(s3, "scmp");
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("mp").storageClass(StorageClass.REDUCED_REDUNDANCY))
                .uploadId();
        assertEquals("REDUCED_REDUNDANCY", s3.listMultipartUploads(r -> r.bucket(b)).uploads().get(0).storageClassAsString());
        byte[] p1 = CompatData.random(5 * MIB, 2);
        String e1 = s3.uploadPart(r -> r.bucket(b).key("mp").uploadId(id).partNumber(1), RequestBody.fromBytes(p1)).eTag();
        assertEquals("REDUCED_REDUNDANCY", s3.listParts(r -> r.bucket(b).key("mp").uploadId(id)).storageClassAsString());
        s3.completeMultipartUpload(r -> r.bucket(b).key("mp").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build())));
        assertEquals(StorageClass.REDUCED_REDUNDANCY, s3.headObject(r -> r.bucket(b).key("mp")).storageClass());
        assertEquals("InvalidStorageClass", failure(() -> s3.createMultipartUpload(r -> r.bucket(b).key("x")
                .storageClass(StorageClass.GLACIER))).awsErrorDetails().errorCode());

        // A copy onto itself that only changes the storage class is allowed (REDUCED_REDUNDANCY to STANDARD
        // rewrites the chunks with the full replica count); the data is unchanged.
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("mp").destinationBucket(b).destinationKey("mp")
                .storageClass(StorageClass.STANDARD));
        assertNull(s3.headObject(r -> r.bucket(b).key("mp")).storageClassAsString());
        assertArrayEquals(p1, s3.getObjectAsBytes(r -> r.bucket(b).key("mp")).asByteArray());
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("mp").destinationBucket(b).destinationKey("mp")
                .storageClass(StorageClass.REDUCED_REDUNDANCY));
        assertEquals(StorageClass.REDUCED_REDUNDANCY, s3.headObject(r -> r.bucket(b).key("mp")).storageClass());
        // Without x-amz-storage-class a copy is STANDARD (S3 does not copy the class).
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("mp").destinationBucket(b).destinationKey("copy"));
        assertNull(s3.headObject(r -> r.bucket(b).key("copy")).storageClassAsString());
        assertArrayEquals(p1, s3.getObjectAsBytes(r -> r.bucket(b).key("copy")).asByteArray());
        // A self-copy changing nothing is still refused.
        assertEquals("InvalidRequest", failure(() -> s3.copyObject(r -> r.sourceBucket(b).sourceKey("copy")
                .destinationBucket(b).destinationKey("copy"))).awsErrorDetails().errorCode());
        // UploadPartCopy of a REDUCED_REDUNDANCY source into a STANDARD upload streams the range into new chunks.
        String std = s3.createMultipartUpload(r -> r.bucket(b).key("from-rrs")).uploadId();
        var part = s3.uploadPartCopy(r -> r.sourceBucket(b).sourceKey("mp").destinationBucket(b).destinationKey("from-rrs")
                .uploadId(std).partNumber(1).copySourceRange("bytes=0-99"));
        s3.completeMultipartUpload(r -> r.bucket(b).key("from-rrs").uploadId(std).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(part.copyPartResult().eTag()).build())));
        assertArrayEquals(java.util.Arrays.copyOf(p1, 100), s3.getObjectAsBytes(r -> r.bucket(b).key("from-rrs")).asByteArray());
    }

    @Test
    void sseAes256IsHonouredAndEchoed() {
        String b = CompatData.newBucket(s3, "sse");
        var put = s3.putObject(r -> r.bucket(b).key("k").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromString("secret"));
        assertEquals(ServerSideEncryption.AES256, put.serverSideEncryption());
        assertEquals(ServerSideEncryption.AES256, s3.headObject(r -> r.bucket(b).key("k")).serverSideEncryption());
        assertEquals(ServerSideEncryption.AES256, s3.getObject(r -> r.bucket(b).key("k")).response().serverSideEncryption());
        var plain = s3.putObject(r -> r.bucket(b).key("plain"), RequestBody.fromString("x"));
        assertEquals(ServerSideEncryption.AES256, plain.serverSideEncryption(), "every object is encrypted at rest");
        var mpu = s3.createMultipartUpload(r -> r.bucket(b).key("mp").serverSideEncryption(ServerSideEncryption.AES256));
        assertEquals(ServerSideEncryption.AES256, mpu.serverSideEncryption());
        var part = s3.uploadPart(r -> r.bucket(b).key("mp").uploadId(mpu.uploadId()).partNumber(1), RequestBody.fromString("p"));
        assertEquals(ServerSideEncryption.AES256, part.serverSideEncryption());
        var done = s3.completeMultipartUpload(r -> r.bucket(b).key("mp").uploadId(mpu.uploadId())
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(part.eTag()).build())));
        assertEquals(ServerSideEncryption.AES256, done.serverSideEncryption());
        var copy = s3.copyObject(r -> r.sourceBucket(b).sourceKey("k").destinationBucket(b).destinationKey("k")
                .serverSideEncryption(ServerSideEncryption.AES256));
        assertEquals(ServerSideEncryption.AES256, copy.serverSideEncryption(), "self-copy asking for SSE is allowed");
        // SSE-KMS is built (SseKmsCompatTest): without a key id the AWS managed key aws/s3 is used, as S3
        var kms = s3.putObject(r -> r.bucket(b).key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("x"));
        assertEquals(ServerSideEncryption.AWS_KMS, kms.serverSideEncryption());
        assertTrue(kms.ssekmsKeyId().startsWith("arn:aws:kms:"), kms.ssekmsKeyId());
        assertEquals("InvalidArgument", failure(() -> s3.putObject(r -> r.bucket(b).key("bad").serverSideEncryption("AES128"),
                RequestBody.fromString("x"))).awsErrorDetails().errorCode());
    }

    @Test
    void bucketConfigurationReadsAnswerNotConfigured() {
        String b = CompatData.newBucket(s3, "conf");
        Map<String, Runnable> errors = new java.util.LinkedHashMap<>();
        errors.put("NoSuchCORSConfiguration", () -> s3.getBucketCors(r -> r.bucket(b)));
        errors.put("NoSuchWebsiteConfiguration", () -> s3.getBucketWebsite(r -> r.bucket(b)));
        errors.put("ReplicationConfigurationNotFoundError", () -> s3.getBucketReplication(r -> r.bucket(b)));
        errors.put("NoSuchPublicAccessBlockConfiguration", () -> s3.getPublicAccessBlock(r -> r.bucket(b)));
        errors.put("NoSuchLifecycleConfiguration", () -> s3.getBucketLifecycleConfiguration(r -> r.bucket(b)));
        errors.put("NoSuchBucketPolicy", () -> s3.getBucketPolicy(r -> r.bucket(b)));
        errors.put("ObjectLockConfigurationNotFoundError", () -> s3.getObjectLockConfiguration(r -> r.bucket(b)));
        errors.put("NoSuchTagSet", () -> s3.getBucketTagging(r -> r.bucket(b)));
        errors.forEach((code, call) -> {
            S3Exception e = failure(call);
            assertEquals(code, e.awsErrorDetails().errorCode());
            assertEquals(404, e.statusCode(), code);
        });
        // Policy, public access block and ownership controls are real: a new bucket has no policy and no
        // block, and is BucketOwnerEnforced as on S3.
        assertEquals(software.amazon.awssdk.services.s3.model.ObjectOwnership.BUCKET_OWNER_ENFORCED,
                s3.getBucketOwnershipControls(r -> r.bucket(b)).ownershipControls().rules().get(0).objectOwnership());
        assertNull(s3.getBucketLogging(r -> r.bucket(b)).loggingEnabled());
        var notif = s3.getBucketNotificationConfiguration(r -> r.bucket(b));
        assertEquals(0, notif.topicConfigurations().size() + notif.queueConfigurations().size()
                + notif.lambdaFunctionConfigurations().size());
        assertEquals(Payer.BUCKET_OWNER, s3.getBucketRequestPayment(r -> r.bucket(b)).payer());
        assertNull(s3.getBucketAccelerateConfiguration(r -> r.bucket(b)).status());
        assertNull(s3.getBucketVersioning(r -> r.bucket(b)).status());
        var sse = s3.getBucketEncryption(r -> r.bucket(b)).serverSideEncryptionConfiguration().rules().get(0);
        assertEquals(ServerSideEncryption.AES256, sse.applyServerSideEncryptionByDefault().sseAlgorithm());
        // Writes of configurations that are not built stay 501; logging is built: the write is accepted.
        S3Exception accelerate = failure(() -> s3.putBucketAccelerateConfiguration(r -> r.bucket(b)
                .accelerateConfiguration(a -> a.status("Enabled"))));
        assertEquals(501, accelerate.statusCode());
        assertEquals("NotImplemented", accelerate.awsErrorDetails().errorCode());
        s3.putBucketLogging(r -> r.bucket(b).bucketLoggingStatus(l -> l.loggingEnabled(e -> e.targetBucket(b).targetPrefix("logs/"))));
        assertEquals("logs/", s3.getBucketLogging(r -> r.bucket(b)).loggingEnabled().targetPrefix());
    }

    @Test
    void bucketTaggingRoundTripsInStoredOrder() {
        String b = CompatData.newBucket(s3, "btag");
        s3.putBucketTagging(r -> r.bucket(b).tagging(t -> t.tagSet(Tag.builder().key("team").value("core").build(),
                Tag.builder().key("cost").value("ñ 1").build())));
        assertEquals(List.of("team=core", "cost=ñ 1"), s3.getBucketTagging(r -> r.bucket(b)).tagSet().stream()
                .map(t -> t.key() + "=" + t.value()).toList());
        List<Tag> many = new java.util.ArrayList<>();
        for (int i = 0; i < 51; i++) many.add(Tag.builder().key("k" + i).value("v").build());
        assertEquals("InvalidTag", failure(() -> s3.putBucketTagging(r -> r.bucket(b).tagging(t -> t.tagSet(many))))
                .awsErrorDetails().errorCode());
        s3.putBucketTagging(r -> r.bucket(b).tagging(t -> t.tagSet(many.subList(0, 50))));
        assertEquals(50, s3.getBucketTagging(r -> r.bucket(b)).tagSet().size());
        s3.deleteBucketTagging(r -> r.bucket(b));
        assertEquals("NoSuchTagSet", failure(() -> s3.getBucketTagging(r -> r.bucket(b))).awsErrorDetails().errorCode());
    }
}

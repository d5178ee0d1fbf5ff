package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.server.AdminClient;

import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Hard bucket quotas seen by the AWS SDK for Java v2: a PutObject, UploadPart or CopyObject that would pass
 * the quota is refused with 403 {@code QuotaExceeded} and nothing of it is stored (no object, no chunk bytes
 * on any peer); deletes make room; the admin API reports the usage the writes produced.
 */
class QuotaCompatTest {

    static AllInOne store;
    static S3Client s3;
    static AdminClient admin;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start("--peers", "3");
        s3 = store.rootClient();
        admin = new AdminClient(store.endpoint(), AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    private static long peerBytes() throws Exception {
        long sum = 0;
        for (JsonNode p : admin.info().path("peers")) sum += p.path("usedBytes").asLong();
        return sum;
    }

    private static S3Exception refused(Runnable call) {
        S3Exception e = assertThrows(S3Exception.class, call::run);
        assertEquals(403, e.statusCode());
        assertEquals("QuotaExceeded", e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage().startsWith("Bucket quota exceeded: bucket "), e.awsErrorDetails().errorMessage());
        return e;
    }

    @Test
    void writesPastTheQuotaAreRefusedBeforeAnythingIsStored() throws Exception {
        String b = CompatData.newBucket(s3, "quota");
        admin.setQuota(b, "6MiB");
        byte[] four = CompatData.random(4 << 20, 1);
        s3.putObject(r -> r.bucket(b).key("four"), RequestBody.fromBytes(four));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (peerBytes() < 3L * four.length && System.nanoTime() < deadline) Thread.sleep(20); // the third replica may trail the quorum
        long stored = peerBytes();
        assertTrue(stored >= 3L * four.length, "three replicas stored: " + stored);

        refused(() -> s3.putObject(r -> r.bucket(b).key("three"), RequestBody.fromBytes(CompatData.random(3 << 20, 2))));
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.headObject(r -> r.bucket(b).key("three"))).statusCode());
        refused(() -> s3.copyObject(r -> r.sourceBucket(b).sourceKey("four").destinationBucket(b).destinationKey("copy")));
        assertEquals(stored, peerBytes(), "no chunk of the refused writes reached a peer");

        String id = s3.createMultipartUpload(r -> r.bucket(b).key("mp")).uploadId();
        String etag1 = s3.uploadPart(r -> r.bucket(b).key("mp").uploadId(id).partNumber(1),
                RequestBody.fromBytes(CompatData.random(1 << 20, 3))).eTag();
        refused(() -> s3.uploadPart(r -> r.bucket(b).key("mp").uploadId(id).partNumber(2),
                RequestBody.fromBytes(CompatData.random(2 << 20, 4))));
        assertEquals(1, s3.listParts(r -> r.bucket(b).key("mp").uploadId(id)).parts().size());
        s3.completeMultipartUpload(r -> r.bucket(b).key("mp").uploadId(id)
                .multipartUpload(m -> m.parts(List.of(CompletedPart.builder().partNumber(1).eTag(etag1).build()))));

        JsonNode usage = admin.showBucket(b);
        assertEquals((4 << 20) + (1 << 20), usage.path("sizeBytes").asLong(), usage.toString());
        assertEquals(2, usage.path("objects").asLong());
        assertEquals(0, usage.path("uploadBytes").asLong());
        assertEquals(6 << 20, usage.path("quotaBytes").asLong());

        s3.deleteObject(r -> r.bucket(b).key("four"));
        s3.putObject(r -> r.bucket(b).key("three"), RequestBody.fromBytes(CompatData.random(3 << 20, 2)));
        admin.clearQuota(b);
        s3.putObject(r -> r.bucket(b).key("big"), RequestBody.fromBytes(CompatData.random(7 << 20, 5)));
        assertEquals((3 << 20) + (1 << 20) + (7 << 20), admin.showBucket(b).path("sizeBytes").asLong());
        // each write returned at W = 2 of 3: wait for the third replicas (the part, "three", "big"; nothing is
        // freed inside the GC grace), so that none lands inside another test's measurement of the peers' bytes
        long written = stored + 3L * ((1 << 20) + (3 << 20) + (7 << 20));
        long until = System.nanoTime() + 30_000_000_000L;
        while (peerBytes() < written && System.nanoTime() < until) Thread.sleep(20);
        assertTrue(peerBytes() >= written, "every replica stored: " + peerBytes() + " of " + written);
    }

    @Test
    void aBodyOfUnknownLengthIsRefusedOnceItPassesTheQuotaAndRolledBack() throws Exception {
        String b = CompatData.newBucket(s3, "stream");
        admin.setQuota(b, "1MiB");
        long before = peerBytes();
        RawWire.Reply r = RawWire.send(store, "PUT", "/" + b + "/streamed", "", java.util.Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
                java.util.Map.of(), "UNSIGNED-PAYLOAD", CompatData.random(3 << 20, 6), true);
        assertEquals(403, r.status(), r.head() + r.body());
        assertTrue(r.body().contains("<Code>QuotaExceeded</Code>"), r.body());
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.headObject(x -> x.bucket(b).key("streamed"))).statusCode());
        JsonNode usage = admin.showBucket(b);
        assertEquals(0, usage.path("sizeBytes").asLong(), usage.toString());
        // what reached the peers before the refusal is unreferenced: GC removes it after its grace period
        assertTrue(peerBytes() - before <= 3L * (1 << 20) + (3 << 16), "at most the chunk under way when the quota was passed");
        RawWire.Reply ok = RawWire.send(store, "PUT", "/" + b + "/small", "", java.util.Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
                java.util.Map.of(), "UNSIGNED-PAYLOAD", CompatData.random(100_000, 7), true);
        assertEquals(200, ok.status(), ok.head() + ok.body());
        assertEquals(100_000, admin.showBucket(b).path("sizeBytes").asLong());
    }

    @Test
    void aZeroQuotaFreezesABucketButNotItsDeletes() throws Exception {
        String b = CompatData.newBucket(s3, "frozen");
        s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("kept"));
        admin.setQuota(b, "0");
        refused(() -> s3.putObject(r -> r.bucket(b).key("k2"), RequestBody.fromString("x")));
        s3.deleteObject(r -> r.bucket(b).key("k"));
        assertEquals(0, admin.showBucket(b).path("objects").asLong());
        // an empty object adds no bytes
        s3.putObject(r -> r.bucket(b).key("empty"), RequestBody.empty());
    }
}

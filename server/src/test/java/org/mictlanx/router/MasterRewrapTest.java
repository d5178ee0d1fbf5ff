package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.get;
import static org.mictlanx.router.fake.TestCluster.put;
import static org.mictlanx.router.fake.TestCluster.random;
import static org.mictlanx.router.fake.TestCluster.readAll;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.crypto.CustomerKey;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.maint.MasterRewrap;
import org.mictlanx.router.meta.Segment;

/**
 * The background master key re-wrap over real routers and fake peers: after it, every ball is
 * readable by a router that has only the newest master key; customer-keyed balls are left alone;
 * the job resumes from its stored cursor.
 */
class MasterRewrapTest {

    private final TestCluster cluster = new TestCluster(3);

    @AfterEach
    void close() {
        cluster.close();
    }

    private Router router(MasterKeys keys) {
        return Router.builder().peers(cluster.peers).masterKeys(keys).config(TestCluster.config(
                java.time.Duration.ofSeconds(2), java.time.Duration.ofHours(1))).background(false).build();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] random32() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Test
    void everyBallIsReadableWithOnlyTheNewestMasterKeyAfterTheRewrap() throws Exception {
        Map<String, byte[]> data = new LinkedHashMap<>();
        CustomerKey customer = new CustomerKey(random32());
        byte[] secret = "customer keyed".getBytes(StandardCharsets.UTF_8);
        try (Router old = router(cluster.keys)) {
            old.createBucket("a", "o", null);
            old.createBucket("b", "o", null);
            for (int i = 0; i < 7; i++) {
                String bucket = i % 2 == 0 ? "a" : "b";
                byte[] body = random(i == 3 ? 3 * TestCluster.CHUNK + 5 : 100 + i, i);
                put(old, bucket, "k" + i, body);
                data.put(bucket + "/k" + i, body);
            }
            old.replaceTags("a", "k0", Map.of("t", "v"));
            old.putBall(put("a", "ssec", secret.length).withCustomerKey(customer), new ByteArrayInputStream(secret));
        }
        byte[] k1 = cluster.keys.key("k1").getEncoded();
        byte[] k2 = random32();
        MasterKeys rotated = MasterKeys.parse("k1:" + b64(k1) + ",k2:" + b64(k2));
        try (Router r = router(rotated)) {
            MasterRewrap.Status started = r.startMasterRewrap();
            assertEquals("k2", started.targetMasterKey());
            assertTrue(r.awaitMasterRewrap(30_000));
            MasterRewrap.Status s = r.masterRewrapStatus();
            assertEquals("done", s.state(), s.toString());
            assertEquals(8, s.scanned());
            assertEquals(7, s.rewrapped(), "the SSE-C ball is not under the master key");
            assertEquals(0, s.remaining());
            assertEquals(Map.of("t", "v"), r.headBall("a", "k0").orElseThrow().tags(), "tags kept");
            // a second run has nothing left to do
            r.startMasterRewrap();
            assertTrue(r.awaitMasterRewrap(30_000));
            assertEquals(0, r.masterRewrapStatus().rewrapped());
        }
        MasterKeys onlyK2 = MasterKeys.parse("k2:" + b64(k2));
        try (Router retired = router(onlyK2)) {
            for (Map.Entry<String, byte[]> e : data.entrySet()) {
                String[] bk = e.getKey().split("/");
                assertArrayEquals(e.getValue(), get(retired, bk[0], bk[1]), e.getKey());
                for (Segment seg : ((org.mictlanx.router.meta.BallRecord) retired.headBall(bk[0], bk[1]).orElseThrow()
                        .layout()).segments()) {
                    assertEquals("k2", seg.keyId());
                }
            }
            BallInfo ssec = retired.headBall("a", "ssec").orElseThrow();
            assertArrayEquals(secret, readAll(retired, retired.rewrap(ssec, customer, null), 0, -1));
            assertEquals("done", retired.masterRewrapStatus().state(), "the status is kept in the metadata");
        }
        // without the rewrap a router with only the new key could not read them (the test would be empty otherwise)
        try (Router r = router(cluster.keys)) {
            put(r, "a", "fresh", random(10, 99));
        }
        try (Router retired = router(onlyK2)) {
            assertThrows(RuntimeException.class, () -> get(retired, "a", "fresh"));
        }
    }

    private Router multipartRouter(MasterKeys keys) {
        return Router.builder().peers(cluster.peers).masterKeys(keys).config(TestCluster.config(
                java.time.Duration.ofSeconds(2), java.time.Duration.ofHours(1))
                .withMultipart(java.time.Duration.ofDays(7), 1)).background(false).build();
    }

    @Test
    void theSegmentsOfOpenUploadsAreRewrappedToo() throws Exception {
        byte[] part1 = random(2 * TestCluster.CHUNK + 7, 1);
        byte[] part2 = random(300, 2);
        byte[] source = random(TestCluster.CHUNK + 11, 3);
        CustomerKey customer = new CustomerKey(random32());
        String uploadId;
        String customerUpload;
        try (Router old = multipartRouter(cluster.keys)) {
            old.createBucket("up", "o", null);
            put(old, "up", "src", source);
            uploadId = old.createUpload("up", "big", Map.of(), Map.of(), java.util.Set.of(), null);
            old.putPart("up", "big", uploadId, 1, new ByteArrayInputStream(part1), part1.length, java.util.Set.of(), null);
            old.putPart("up", "big", uploadId, 2, new ByteArrayInputStream(part2), part2.length, java.util.Set.of(), null);
            old.copyPart("up", "big", uploadId, 3, old.headBall("up", "src").orElseThrow(), 0, -1);
            customerUpload = old.createUpload("up", "ssec", Map.of(), Map.of(), java.util.Set.of(), null);
            old.putPart("up", "ssec", customerUpload, 1, new ByteArrayInputStream(part2), part2.length,
                    java.util.Set.of(), null, customer);
        }
        byte[] k2 = random32();
        MasterKeys rotated = MasterKeys.parse("k1:" + b64(cluster.keys.key("k1").getEncoded()) + ",k2:" + b64(k2));
        try (Router r = multipartRouter(rotated)) {
            r.startMasterRewrap();
            assertTrue(r.awaitMasterRewrap(30_000));
            MasterRewrap.Status s = r.masterRewrapStatus();
            assertEquals("done", s.state(), s.toString());
            assertEquals(2, s.openUploads(), s.toString());
            // the source ball and the three parts under the master key; the customer-keyed part is left alone
            assertEquals(4, s.rewrapped(), s.toString());
            assertEquals(0, s.remaining());
        }
        MasterKeys onlyK2 = MasterKeys.parse("k2:" + b64(k2));
        try (Router retired = multipartRouter(onlyK2)) {
            BallInfo big = retired.completeUpload("up", "big", uploadId, java.util.List.of(CompletedPart.of(1),
                    CompletedPart.of(2), CompletedPart.of(3)), WriteCondition.NONE);
            java.io.ByteArrayOutputStream want = new java.io.ByteArrayOutputStream();
            want.write(part1);
            want.write(part2);
            want.write(source);
            assertArrayEquals(want.toByteArray(), get(retired, "up", "big"), "completed and read with only the new key");
            for (Segment seg : ((org.mictlanx.router.meta.BallRecord) big.layout()).segments()) {
                assertEquals("k2", seg.keyId());
            }
            BallInfo ssec = retired.completeUpload("up", "ssec", customerUpload, java.util.List.of(CompletedPart.of(1)),
                    WriteCondition.NONE);
            assertArrayEquals(part2, readAll(retired, retired.rewrap(ssec, customer, null), 0, -1));
        }
    }

    @Test
    void aCompletionMadeFromPartsReadBeforeTheRewrapStoresThemUnderTheCurrentMasterKey() throws Exception {
        byte[] part = random(TestCluster.CHUNK + 3, 5);
        String uploadId;
        try (Router old = multipartRouter(cluster.keys)) {
            old.createBucket("late", "o", null);
            uploadId = old.createUpload("late", "k", Map.of(), Map.of(), java.util.Set.of(), null);
            old.putPart("late", "k", uploadId, 1, new ByteArrayInputStream(part), part.length, java.util.Set.of(), null);
            put(old, "late", "src", part);
        }
        byte[] k2 = random32();
        MasterKeys rotated = MasterKeys.parse("k1:" + b64(cluster.keys.key("k1").getEncoded()) + ",k2:" + b64(k2));
        try (Router r = multipartRouter(rotated)) {
            // no re-wrap ran: the part is still under k1, the completion re-wraps what it commits
            BallInfo done = r.completeUpload("late", "k", uploadId, java.util.List.of(CompletedPart.of(1)),
                    WriteCondition.NONE);
            for (Segment seg : ((org.mictlanx.router.meta.BallRecord) done.layout()).segments()) {
                assertEquals("k2", seg.keyId());
            }
            BallInfo src = r.headBall("late", "src").orElseThrow();
            assertEquals("k1", ((org.mictlanx.router.meta.BallRecord) src.layout()).segments().get(0).keyId());
            BallInfo copy = r.copyBall(src, "late", "copy", Map.of(), Map.of(), WriteCondition.NONE);
            assertEquals("k2", ((org.mictlanx.router.meta.BallRecord) copy.layout()).segments().get(0).keyId(),
                    "a copy of a ball the job has not reached yet commits under the current master key");
        }
        try (Router retired = multipartRouter(MasterKeys.parse("k2:" + b64(k2)))) {
            assertArrayEquals(part, get(retired, "late", "k"));
            assertArrayEquals(part, get(retired, "late", "copy"));
        }
    }

    @Test
    void anInterruptedJobResumesFromItsStoredCursor() throws Exception {
        try (Router old = router(cluster.keys)) {
            old.createBucket("a", "o", null);
            for (int i = 0; i < 5; i++) put(old, "a", "k" + i, random(50, i));
        }
        byte[] k2 = random32();
        MasterKeys rotated = MasterKeys.parse("k1:" + b64(cluster.keys.key("k1").getEncoded()) + ",k2:" + b64(k2));
        try (Router r = router(rotated)) {
            // as a router stopped after the page ending at a/k2 would have left it
            String job = "state=running\ntarget=k2\nbucket=a\ncursor=k2\nscanned=3\nrewrapped=0\nstarted=1\n";
            r.metaTable().put(MasterRewrap.PARTITION, "job", job.getBytes(StandardCharsets.ISO_8859_1));
            r.startMasterRewrap();
            assertTrue(r.awaitMasterRewrap(30_000));
            MasterRewrap.Status s = r.masterRewrapStatus();
            assertEquals("done", s.state());
            assertEquals(5, s.scanned(), "3 before the stop + the 2 after the cursor");
            assertEquals(2, s.rewrapped());
            assertEquals("k1", ((org.mictlanx.router.meta.BallRecord) r.headBall("a", "k0").orElseThrow().layout())
                    .segments().get(0).keyId(), "before the cursor: untouched by the resumed run");
            assertEquals("k2", ((org.mictlanx.router.meta.BallRecord) r.headBall("a", "k4").orElseThrow().layout())
                    .segments().get(0).keyId());
        }
    }

    @Test
    void noncurrentVersionsOfAVersionedBucketAreRewrappedToo() throws Exception {
        String firstId;
        byte[] first = random(200, 1);
        byte[] second = random(3 * TestCluster.CHUNK + 1, 2);
        try (Router old = router(cluster.keys)) {
            old.createBucket("v", "o", null);
            old.setBucketVersioning("v", VersioningState.ENABLED);
            firstId = put(old, "v", "doc", first).versionId();
            put(old, "v", "doc", second);
        }
        byte[] k2 = random32();
        MasterKeys rotated = MasterKeys.parse("k1:" + b64(cluster.keys.key("k1").getEncoded()) + ",k2:" + b64(k2));
        try (Router r = router(rotated)) {
            r.startMasterRewrap();
            assertTrue(r.awaitMasterRewrap(30_000));
            assertEquals("done", r.masterRewrapStatus().state());
        }
        try (Router retired = router(MasterKeys.parse("k2:" + b64(k2)))) {
            assertArrayEquals(second, get(retired, "v", "doc"));
            BallInfo v1 = retired.headBallVersion("v", "doc", firstId).orElseThrow();
            assertArrayEquals(first, readAll(retired, v1, 0, -1), "the noncurrent version reads with only k2");
        }
    }
}

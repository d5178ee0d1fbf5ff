package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.PeerStats;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.*;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * Multipart uploads, copies, flexible checksums and conditional writes through the AWS SDK for Java v2
 * (sync client, and the Java multipart async client under the transfer manager) against a real all-in-one.
 */
class MultipartCompatTest {

    static final int MIB = 1024 * 1024;
    static AllInOne store;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start("--gc-grace-seconds", "1"); // abortFreesSpace: GC frees aborted parts a second after the abort
        s3 = store.rootClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    static String newBucket() {
        return CompatData.newBucket(s3, "mp");
    }

    static byte[] random(int size, long seed) {
        return CompatData.random(size, seed);
    }

    static String code(Runnable call) {
        return assertThrows(S3Exception.class, call::run).awsErrorDetails().errorCode();
    }

    /** Writes {@code size} pseudo-random bytes to {@code file}; returns their SHA-256. */
    static byte[] writeRandom(Path file, long size, long seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random rnd = new Random(seed);
        byte[] buf = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                rnd.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                left -= n;
            }
        }
        return sha.digest();
    }

    static byte[] sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[MIB];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        return sha.digest();
    }

    @Test
    void transferManagerUploadsAndDownloads200MiBWithChecksums() throws Exception {
        String b = newBucket();
        Path dir = Files.createTempDirectory("mictlanx-tm");
        try (S3AsyncClient async = S3AsyncClient.builder().endpointOverride(store.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY)))
                .forcePathStyle(true).multipartEnabled(true).build();
             S3TransferManager tm = S3TransferManager.builder().s3Client(async).build()) {
            Path up = dir.resolve("up.bin");
            byte[] sha = writeRandom(up, 200L * MIB, 42);
            var done = tm.uploadFile(u -> u.source(up).putObjectRequest(p -> p.bucket(b).key("big/200MiB.bin")
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32))).completionFuture().join();
            assertTrue(done.response().eTag().matches("\"[0-9a-f]{32}-\\d+\""), done.response().eTag());
            HeadObjectResponse head = s3.headObject(r -> r.bucket(b).key("big/200MiB.bin").checksumMode(ChecksumMode.ENABLED));
            assertEquals(200L * MIB, head.contentLength());
            assertTrue(head.checksumCRC32() != null && head.checksumCRC32().contains("-"), head.checksumCRC32());
            Path down = dir.resolve("down.bin");
            tm.downloadFile(d -> d.destination(down).getObjectRequest(g -> g.bucket(b).key("big/200MiB.bin")))
                    .completionFuture().join();
            assertArrayEquals(sha, sha256(down));
            int parts = s3.headObject(r -> r.bucket(b).key("big/200MiB.bin").partNumber(1)).partsCount();
            assertTrue(parts > 1, "parts " + parts);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void everyMultipartError() {
        String b = newBucket();
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("k")).uploadId();
        String small1 = s3.uploadPart(r -> r.bucket(b).key("k").uploadId(id).partNumber(1), RequestBody.fromBytes(random(1000, 1))).eTag();
        String small2 = s3.uploadPart(r -> r.bucket(b).key("k").uploadId(id).partNumber(2), RequestBody.fromBytes(random(1000, 2))).eTag();
        CompletedPart p1 = CompletedPart.builder().partNumber(1).eTag(small1).build();
        CompletedPart p2 = CompletedPart.builder().partNumber(2).eTag(small2).build();
        assertEquals("EntityTooSmall", code(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id)
                .multipartUpload(m -> m.parts(p1, p2)))));
        assertEquals("InvalidPartOrder", code(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id)
                .multipartUpload(m -> m.parts(p2, p1)))));
        assertEquals("InvalidPart", code(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(3).eTag(small1).build())))));
        assertEquals("InvalidPart", code(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(small2).build())))));
        assertEquals("NoSuchUpload", code(() -> s3.uploadPart(r -> r.bucket(b).key("k").uploadId("nope").partNumber(1),
                RequestBody.fromString("x"))));
        assertEquals("NoSuchUpload", code(() -> s3.listParts(r -> r.bucket(b).key("k").uploadId("nope"))));
        assertEquals("BadDigest", code(() -> s3.uploadPart(r -> r.bucket(b).key("k").uploadId(id).partNumber(3)
                .checksumCRC32("AAAAAA=="), RequestBody.fromString("not that crc"))));
        assertEquals("InvalidRequest", code(() -> s3.createMultipartUpload(r -> r.bucket(b).key("k2")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumType(ChecksumType.FULL_OBJECT))));
        // The single part alone is a valid (last) part.
        var ok = s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id).multipartUpload(m -> m.parts(p1)));
        assertTrue(ok.eTag().endsWith("-1\""), ok.eTag());
        assertEquals("NoSuchUpload", code(() -> s3.abortMultipartUpload(r -> r.bucket(b).key("k").uploadId(id))));
        assertEquals("PreconditionFailed", code(() -> s3.putObject(r -> r.bucket(b).key("k").ifNoneMatch("*"),
                RequestBody.fromString("again"))));
        assertEquals("NoSuchKey", code(() -> s3.getObjectAttributes(r -> r.bucket(b).key("absent")
                .objectAttributes(ObjectAttributes.E_TAG))));
    }

    @Test
    void racingConditionalWritersExactlyOneWins() throws Exception {
        String b = newBucket();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int w = i;
                tasks.add(() -> {
                    try {
                        s3.putObject(r -> r.bucket(b).key("race").ifNoneMatch("*"), RequestBody.fromBytes(random(256 * 1024, w)));
                        return "won";
                    } catch (S3Exception e) {
                        return e.awsErrorDetails().errorCode();
                    }
                });
            }
            List<String> results = new ArrayList<>();
            for (Future<String> f : pool.invokeAll(tasks)) results.add(f.get());
            assertEquals(1, results.stream().filter("won"::equals).count(), results.toString());
            assertTrue(results.stream().allMatch(r -> r.equals("won") || r.equals("PreconditionFailed")
                    || r.equals("ConditionalRequestConflict")), results.toString());
            // If-Match replacements racing from the same observed ETag: again exactly one wins.
            String etag = s3.headObject(r -> r.bucket(b).key("race")).eTag();
            List<Callable<String>> replacers = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int w = i;
                replacers.add(() -> {
                    try {
                        s3.putObject(r -> r.bucket(b).key("race").ifMatch(etag), RequestBody.fromBytes(random(1024, 100 + w)));
                        return "won";
                    } catch (S3Exception e) {
                        return e.awsErrorDetails().errorCode();
                    }
                });
            }
            results.clear();
            for (Future<String> f : pool.invokeAll(replacers)) results.add(f.get());
            assertEquals(1, results.stream().filter("won"::equals).count(), results.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void uploadPartCopyWithRangesAndCopyObject() {
        String a = newBucket();
        String b = newBucket();
        byte[] src = random(12 * MIB + 7, 9);
        s3.putObject(r -> r.bucket(a).key("src").metadata(java.util.Map.of("k", "v")), RequestBody.fromBytes(src));
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("assembled")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        long[][] ranges = {{6 * MIB, 12L * MIB - 1}, {0, 6L * MIB - 1}, {12L * MIB, src.length - 1}};
        for (int i = 0; i < ranges.length; i++) {
            int n = i + 1;
            long[] r0 = ranges[i];
            var res = s3.uploadPartCopy(r -> r.sourceBucket(a).sourceKey("src").destinationBucket(b).destinationKey("assembled")
                    .uploadId(id).partNumber(n).copySourceRange("bytes=" + r0[0] + "-" + r0[1]));
            parts.add(CompletedPart.builder().partNumber(n).eTag(res.copyPartResult().eTag()).build());
        }
        assertEquals("InvalidRange", code(() -> s3.uploadPartCopy(r -> r.sourceBucket(a).sourceKey("src")
                .destinationBucket(b).destinationKey("assembled").uploadId(id).partNumber(9)
                .copySourceRange("bytes=0-" + src.length))));
        s3.completeMultipartUpload(r -> r.bucket(b).key("assembled").uploadId(id).multipartUpload(m -> m.parts(parts)));
        byte[] expected = new byte[src.length];
        System.arraycopy(src, 6 * MIB, expected, 0, 6 * MIB);
        System.arraycopy(src, 0, expected, 6 * MIB, 6 * MIB);
        System.arraycopy(src, 12 * MIB, expected, 12 * MIB, 7);
        assertArrayEquals(expected, s3.getObjectAsBytes(r -> r.bucket(b).key("assembled")).asByteArray());

        var copy = s3.copyObject(r -> r.sourceBucket(a).sourceKey("src").destinationBucket(b).destinationKey("copy"));
        assertEquals(s3.headObject(r -> r.bucket(a).key("src")).eTag(), copy.copyObjectResult().eTag());
        assertEquals("v", s3.headObject(r -> r.bucket(b).key("copy")).metadata().get("k"));
        assertArrayEquals(src, s3.getObjectAsBytes(r -> r.bucket(b).key("copy")).asByteArray());
        assertEquals("InvalidRequest", code(() -> s3.copyObject(r -> r.sourceBucket(a).sourceKey("src")
                .destinationBucket(a).destinationKey("src"))));
        s3.copyObject(r -> r.sourceBucket(a).sourceKey("src").destinationBucket(a).destinationKey("src")
                .metadataDirective(MetadataDirective.REPLACE).metadata(java.util.Map.of("k", "w")));
        assertEquals("w", s3.headObject(r -> r.bucket(a).key("src")).metadata().get("k"));
        assertEquals("PreconditionFailed", code(() -> s3.copyObject(r -> r.sourceBucket(a).sourceKey("src")
                .destinationBucket(b).destinationKey("c2").copySourceIfMatch("\"nope\""))));

        var attrs = s3.getObjectAttributes(r -> r.bucket(b).key("assembled").objectAttributes(
                ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_PARTS, ObjectAttributes.OBJECT_SIZE, ObjectAttributes.STORAGE_CLASS));
        assertEquals(3, attrs.objectParts().totalPartsCount());
        assertEquals((long) src.length, attrs.objectSize());
    }

    @Test
    void abortFreesSpace() throws Exception {
        String b = newBucket();
        long before = chunkBytes();
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("to-abort")).uploadId();
        for (int n = 1; n <= 3; n++) {
            int part = n;
            s3.uploadPart(r -> r.bucket(b).key("to-abort").uploadId(id).partNumber(part), RequestBody.fromBytes(random(5 * MIB, part)));
        }
        long during = chunkBytes();
        assertTrue(during >= before + 15L * MIB, "parts stored: " + before + " -> " + during);
        s3.abortMultipartUpload(r -> r.bucket(b).key("to-abort").uploadId(id));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        long after = chunkBytes();
        while (after > before + MIB && Instant.now().isBefore(deadline)) {
            store.server().router().gcNow();
            Thread.onSpinWait();
            after = chunkBytes();
        }
        assertTrue(after <= before + MIB, "aborted parts released: " + before + " -> " + during + " -> " + after);
        assertTrue(s3.listMultipartUploads(r -> r.bucket(b)).uploads().isEmpty());
    }

    private static long chunkBytes() {
        return store.server().embeddedPeerStats().stream().mapToLong(PeerStats::chunkBytes).sum();
    }
}

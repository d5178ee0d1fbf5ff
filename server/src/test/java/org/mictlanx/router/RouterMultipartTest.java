package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.CHUNK;
import static org.mictlanx.router.fake.TestCluster.await;
import static org.mictlanx.router.fake.TestCluster.put;
import static org.mictlanx.router.fake.TestCluster.random;
import static org.mictlanx.router.fake.TestCluster.readAll;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.digest.DigestComputer;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestCluster;

class RouterMultipartTest {

    /** A clock tests move forward by hand. */
    static final class ManualClock extends Clock {
        final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    private TestCluster cluster;
    private Router router;
    private final ManualClock clock = new ManualClock();

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3);
        RouterConfig cfg = TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)).withMultipart(Duration.ofDays(7), CHUNK);
        router = Router.builder().peers(cluster.peers).masterKeys(cluster.keys).config(cfg).clock(clock).background(false).build();
        router.createBucket("b", "alice", "mx-1");
    }

    @AfterEach
    void tearDown() {
        router.close();
        cluster.close();
    }

    private PartInfo part(String key, String id, int n, byte[] data) {
        return router.putPart("b", key, id, n, new ByteArrayInputStream(data), data.length, Set.of(), null);
    }

    private long chunkWrites() {
        return cluster.peers.stream().mapToLong(p -> p.calls(FaultyPeer.Op.PUT_CHUNK)).sum();
    }

    private static byte[] digest(Digest d, byte[] data) {
        DigestComputer c = new DigestComputer(EnumSet.of(d));
        c.update(data, 0, data.length);
        return c.finish().get(d);
    }

    @Test
    void completeReferencesThePartsWithoutCopyingAndCombinesChecksums() throws Exception {
        String id = router.createUpload("b", "big", Map.of("content-type", "x/y"), Map.of("m", "1"),
                Set.of(Digest.CRC32C), ChecksumType.FULL_OBJECT);
        byte[] p1 = random(CHUNK + CHUNK / 2, 1);
        byte[] p2old = random(CHUNK + 9, 2);
        byte[] p2 = random(CHUNK + 7, 3);
        byte[] p3 = random(1000, 4);
        part("big", id, 1, p1);
        part("big", id, 2, p2old);
        cluster.awaitChunkWrites(); // the puts returned at W = 2 of 3: let the third replicas land before counting
        long chunksWithOld = cluster.totalChunks();
        PartInfo i2 = part("big", id, 2, p2); // re-upload: last wins, the replaced part's chunks are released
        part("big", id, 3, p3);
        router.gcNow();
        cluster.awaitChunkWrites();
        assertEquals(chunksWithOld + 3 * 3, cluster.totalChunks(), "the replaced part is kept for the grace period");
        await("replaced part freed once the grace has passed since its release", () -> {
            clock.millis.addAndGet(Duration.ofHours(1).plusMinutes(1).toMillis());
            router.gcNow();
            return cluster.totalChunks() == chunksWithOld + 3;
        });
        assertEquals(List.of(1, 2, 3), router.listParts("b", "big", id, 0, 10).parts().stream().map(PartInfo::partNumber).toList());
        assertEquals(List.of(3), router.listParts("b", "big", id, 2, 10).parts().stream().map(PartInfo::partNumber).toList());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(p2)), i2.etag());

        long writes = chunkWrites();
        BallInfo ball = router.completeUpload("b", "big", id,
                List.of(new CompletedPart(1, null, Map.of()), new CompletedPart(2, "\"" + i2.etag() + "\"", Map.of()),
                        CompletedPart.of(3)), WriteCondition.NONE);
        assertEquals(writes, chunkWrites(), "completing wrote no chunk");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(p1);
        all.write(p2);
        all.write(p3);
        byte[] whole = all.toByteArray();
        BallInfo head = router.headBall("b", "big").orElseThrow();
        assertEquals(whole.length, head.size());
        assertArrayEquals(whole, readAll(router, head, 0, -1));
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, CHUNK, CHUNK + p1.length + 20),
                readAll(router, head, CHUNK, p1.length + 20 - 0L), "range across the part boundary");
        assertEquals(3, head.partsCount());
        assertEquals(List.of((long) p1.length, (long) p2.length, (long) p3.length), head.parts().stream().map(BallPart::size).toList());
        BallPart second = head.part(2);
        assertArrayEquals(p2, readAll(router, head, second.offset(), second.size()));
        MessageDigest md = MessageDigest.getInstance("MD5");
        for (byte[] p : List.of(p1, p2, p3)) md.update(MessageDigest.getInstance("MD5").digest(p));
        assertEquals(HexFormat.of().formatHex(md.digest()) + "-3", head.etag());
        assertEquals(ChecksumType.FULL_OBJECT, head.checksumType());
        assertArrayEquals(digest(Digest.CRC32C, whole), head.digests().get(Digest.CRC32C));
        assertEquals(ball.etag(), head.etag());
        assertEquals(Map.of("m", "1"), head.userMetadata());
        assertTrue(router.upload("b", "big", id).isEmpty());
        RouterException e = assertThrows(RouterException.class, () -> router.listParts("b", "big", id, 0, 10));
        assertEquals(RouterException.Kind.NO_SUCH_UPLOAD, e.kind());
        // GC keeps every chunk of the completed ball once the parts are gone
        router.gcNow();
        assertArrayEquals(whole, readAll(router, router.headBall("b", "big").orElseThrow(), 0, -1));
    }

    @Test
    void compositeChecksumAndValidationErrors() {
        String id = router.createUpload("b", "c", Map.of(), Map.of(), Set.of(Digest.SHA256), null);
        assertEquals(ChecksumType.COMPOSITE, router.upload("b", "c", id).orElseThrow().checksumType());
        byte[] small = random(100, 5);
        byte[] big = random(CHUNK, 6);
        PartInfo a = part("c", id, 1, small);
        PartInfo b = part("c", id, 2, big);
        assertEquals(RouterException.Kind.INVALID_PART_ORDER, assertThrows(RouterException.class, () ->
                router.completeUpload("b", "c", id, List.of(CompletedPart.of(2), CompletedPart.of(1)), null)).kind());
        assertEquals(RouterException.Kind.INVALID_PART, assertThrows(RouterException.class, () ->
                router.completeUpload("b", "c", id, List.of(CompletedPart.of(1), CompletedPart.of(7)), null)).kind());
        assertEquals(RouterException.Kind.INVALID_PART, assertThrows(RouterException.class, () ->
                router.completeUpload("b", "c", id, List.of(new CompletedPart(2, "00", Map.of())), null)).kind());
        assertEquals(RouterException.Kind.ENTITY_TOO_SMALL, assertThrows(RouterException.class, () ->
                router.completeUpload("b", "c", id, List.of(CompletedPart.of(1), CompletedPart.of(2)), null)).kind());
        BallInfo ball = router.completeUpload("b", "c", id,
                List.of(new CompletedPart(2, b.etag(), Map.of(Digest.SHA256, b.digests().get(Digest.SHA256)))), null);
        byte[] cat = b.digests().get(Digest.SHA256);
        assertArrayEquals(digest(Digest.SHA256, cat), ball.digests().get(Digest.SHA256));
        assertEquals(1, ball.partsCount());
        assertFalse(a.etag().isEmpty());
        assertEquals(RouterException.Kind.BAD_REQUEST, assertThrows(RouterException.class, () ->
                router.createUpload("b", "d", Map.of(), Map.of(), Set.of(Digest.SHA1), ChecksumType.FULL_OBJECT)).kind());
    }

    @Test
    void abortFreesThePartsChunks() {
        long base = cluster.totalChunks();
        String id = router.createUpload("b", "a", Map.of(), Map.of(), Set.of(), null);
        part("a", id, 1, random(3 * CHUNK, 7));
        part("a", id, 2, random(CHUNK, 8));
        cluster.awaitChunkWrites(); // the puts returned at W = 2 of 3: let the third replicas land before counting
        assertEquals(base + 4 * 3, cluster.totalChunks());
        router.abortUpload("b", "a", id);
        router.gcNow();
        assertEquals(base + 4 * 3, cluster.totalChunks(), "freed only a grace period after the abort");
        clock.millis.addAndGet(Duration.ofHours(1).plusMinutes(1).toMillis());
        router.gcNow();
        assertEquals(base, cluster.totalChunks());
        assertEquals(RouterException.Kind.NO_SUCH_UPLOAD,
                assertThrows(RouterException.class, () -> router.abortUpload("b", "a", id)).kind());
        assertEquals(RouterException.Kind.NO_SUCH_UPLOAD, assertThrows(RouterException.class,
                () -> part("a", id, 3, new byte[1])).kind());
    }

    @Test
    void abandonedUploadsAreCleanedUpByGcAfterTheExpiry() {
        long base = cluster.totalChunks();
        String old = router.createUpload("b", "x", Map.of(), Map.of(), Set.of(), null);
        part("x", old, 1, random(2 * CHUNK, 9));
        clock.millis.addAndGet(Duration.ofDays(6).toMillis());
        String young = router.createUpload("b", "y", Map.of(), Map.of(), Set.of(), null);
        part("y", young, 1, random(CHUNK, 10));
        cluster.awaitChunkWrites(); // the puts returned at W = 2 of 3: let the third replicas land before counting
        clock.millis.addAndGet(Duration.ofDays(1).plusMinutes(1).toMillis());
        router.gcNow();
        assertTrue(router.upload("b", "x", old).isEmpty(), "the 7-day-old upload is gone");
        assertTrue(router.upload("b", "y", young).isPresent(), "the 1-day-old upload stays");
        assertEquals(base + 3 + 2 * 3, cluster.totalChunks(), "the expired upload's chunks go a grace period later");
        clock.millis.addAndGet(Duration.ofHours(1).plusMinutes(1).toMillis());
        router.gcNow();
        assertTrue(router.upload("b", "y", young).isPresent());
        assertEquals(base + 3, cluster.totalChunks());
        assertEquals(List.of("y"), router.listUploads("b", null, null, null, 10).uploads().stream().map(UploadInfo::key).toList());
    }

    @Test
    void listUploadsOrdersByKeyThenInitiationWithMarkers() {
        String a1 = router.createUpload("b", "a", Map.of(), Map.of(), Set.of(), null);
        clock.millis.incrementAndGet();
        String a2 = router.createUpload("b", "a", Map.of(), Map.of(), Set.of(), null);
        String c1 = router.createUpload("b", "c", Map.of(), Map.of(), Set.of(), null);
        UploadPage first = router.listUploads("b", null, null, null, 2);
        assertEquals(List.of(a1, a2), first.uploads().stream().map(UploadInfo::uploadId).toList());
        assertTrue(first.truncated());
        assertEquals(List.of(a2, c1), router.listUploads("b", null, "a", a1, 10).uploads().stream().map(UploadInfo::uploadId).toList());
        assertEquals(List.of(c1), router.listUploads("b", null, "a", null, 10).uploads().stream().map(UploadInfo::uploadId).toList());
        assertEquals(List.of(c1), router.listUploads("b", "c", null, null, 10).uploads().stream().map(UploadInfo::uploadId).toList());
    }

    @Test
    void copyBallAndCopyPartMoveNoData() {
        byte[] data = random(3 * CHUNK + 11, 11);
        BallInfo src = put(router, "b", "src", data);
        router.createBucket("b2", "alice", "mx-1");
        long writes = chunkWrites();
        BallInfo copy = router.copyBall(src, "b2", "dst", Map.of(), Map.of("new", "meta"), WriteCondition.NONE);
        assertEquals(writes, chunkWrites(), "no chunk written by the copy");
        assertEquals(src.etag(), copy.etag());
        assertEquals(Map.of("new", "meta"), router.headBall("b2", "dst").orElseThrow().userMetadata());
        // the source goes away: the copy keeps the shared chunks alive, also through GC
        assertTrue(router.deleteBall("b", "src"));
        router.gcNow();
        assertArrayEquals(data, readAll(router, router.headBall("b2", "dst").orElseThrow(), 0, -1));

        String id = router.createUpload("b", "cp", Map.of(), Map.of(), Set.of(Digest.CRC32), null);
        BallInfo dst = router.headBall("b2", "dst").orElseThrow();
        PartInfo p1 = router.copyPart("b", "cp", id, 1, dst, 0, -1);
        PartInfo p2 = router.copyPart("b", "cp", id, 2, dst, CHUNK - 5, 10);
        assertEquals(writes, chunkWrites(), "no chunk written by the part copies");
        assertEquals(dst.etag(), p1.etag());
        byte[] slice = java.util.Arrays.copyOfRange(data, CHUNK - 5, CHUNK + 5);
        assertArrayEquals(digest(Digest.CRC32, slice), p2.digests().get(Digest.CRC32));
        BallInfo mp = router.completeUpload("b", "cp", id, List.of(CompletedPart.of(1), CompletedPart.of(2)), null);
        ByteArrayOutputStream expect = new ByteArrayOutputStream();
        expect.writeBytes(data);
        expect.writeBytes(slice);
        assertArrayEquals(expect.toByteArray(), readAll(router, mp, 0, -1));
        // copying a multipart ball keeps its parts
        BallInfo again = router.copyBall(mp, "b", "cp", Map.of(), Map.of(), WriteCondition.ifMatch(mp.etag()));
        assertEquals(2, again.partsCount());
        assertArrayEquals(expect.toByteArray(), readAll(router, router.headBall("b", "cp").orElseThrow(), 0, -1));
        assertEquals(writes, chunkWrites());
    }
}

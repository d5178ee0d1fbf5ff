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
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.meta.Slice;

/**
 * Small single puts keep their sealed chunk inside the ball record: no chunk peer is written or read,
 * and the data is replicated, survives a peer loss, moves with copies and parts, is released with
 * its record, and is authenticated like any chunk.
 */
class RouterInlineTest {

    private static final int INLINE = 8 << 10;
    private TestCluster cluster;
    private Router router;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3);
        router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1))
                .withMultipart(RouterConfig.DEFAULT_UPLOAD_EXPIRY, 0).withInlineMax(INLINE));
        router.createBucket("b", "o", "r");
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private long calls(FaultyPeer.Op op) {
        return cluster.peers.stream().mapToLong(p -> p.calls(op)).sum();
    }

    private BallRecord stored(String key) {
        MetaRecord r = cluster.peers.get(0).storedRecord("b", key)
                .or(() -> cluster.peers.get(1).storedRecord("b", key)).orElseThrow();
        return BallRecord.decode(r.value());
    }

    @Test
    void smallPutsLiveInTheirRecordAndNeedNoChunkCalls() {
        long puts = calls(FaultyPeer.Op.PUT_CHUNK);
        for (int size : new int[] {1, 4096, INLINE}) {
            byte[] data = random(size, size);
            BallInfo info = put(router, "b", "k" + size, data);
            assertEquals(size, info.size());
            long gets = calls(FaultyPeer.Op.GET_CHUNK);
            assertArrayEquals(data, get(router, "b", "k" + size));
            assertArrayEquals(Arrays.copyOfRange(data, size / 3, size / 3 + size / 2),
                    readAll(router, router.headBall("b", "k" + size).orElseThrow(), size / 3, size / 2));
            assertEquals(gets, calls(FaultyPeer.Op.GET_CHUNK), "reads fetched no chunk");
            assertTrue(stored("k" + size).soleSegment().isInline());
        }
        assertEquals(puts, calls(FaultyPeer.Op.PUT_CHUNK), "no chunk written");
        assertEquals(0, cluster.totalChunks());

        put(router, "b", "big", random(INLINE + 1, 9));
        assertTrue(cluster.totalChunks() > 0, "a ball over the limit goes to chunk peers");
        assertTrue(!stored("big").soleSegment().isInline());
        put(router, "b", "empty", new byte[0]);
        assertEquals(0, get(router, "b", "empty").length);
    }

    @Test
    void survivesThePlacementPeerDownAndIsReleasedWithItsRecord() {
        byte[] data = random(3000, 1);
        put(router, "b", "k", data);
        cluster.peers.get(0).down(true);
        assertArrayEquals(data, get(router, "b", "k"));
        cluster.peers.get(0).down(false);
        byte[] newer = random(100, 2);
        put(router, "b", "k", newer);
        assertArrayEquals(newer, get(router, "b", "k"));
        router.deleteBall("b", "k");
        assertTrue(router.headBall("b", "k").isEmpty());
        router.gcNow();
        router.repairNow(true);
        assertEquals(0, cluster.totalChunks());
    }

    @Test
    void copiesAndCopiedPartsCarryTheData() {
        byte[] data = random(5000, 3);
        BallInfo src = put(router, "b", "src", data);
        BallInfo copy = router.copyBall(src, "b", "copy", Map.of(), Map.of(), WriteCondition.NONE);
        String upload = router.createUpload("b", "mp", Map.of(), Map.of(), Set.of(), null);
        router.copyPart("b", "mp", upload, 1, src, 1000, 2000);
        byte[] tail = random(10, 4);
        router.putPart("b", "mp", upload, 2, new ByteArrayInputStream(tail), tail.length, Set.of(), d -> { });
        router.deleteBall("b", "src");
        router.gcNow();
        assertArrayEquals(data, readAll(router, copy, 0, -1));
        BallInfo mp = router.completeUpload("b", "mp", upload, List.of(CompletedPart.of(1), CompletedPart.of(2)),
                WriteCondition.NONE);
        byte[] expected = new byte[2010];
        System.arraycopy(data, 1000, expected, 0, 2000);
        System.arraycopy(tail, 0, expected, 2000, 10);
        assertArrayEquals(expected, readAll(router, mp, 0, -1));
    }

    @Test
    void tamperedInlineDataIsNeverServed() {
        put(router, "b", "k", random(2000, 5));
        BallRecord r = stored("k");
        Segment s = r.soleSegment();
        byte[] bad = s.inline().clone();
        bad[7] ^= 1;
        Segment tampered = new Segment(s.id(), s.size(), s.chunkSize(), s.replication(), s.keyId(), s.wrappedKey(), bad);
        BallRecord forged = new BallRecord(r.ballId(), r.size(), r.createdMillis(), r.headers(), r.userMetadata(),
                r.digests(), r.etag(), r.checksumType(), r.parts(), List.of(Slice.whole(tampered)));
        long v = Long.MAX_VALUE / 2;
        for (FaultyPeer p : cluster.peers) p.putRecord(new MetaRecord("b", "k", v, false, forged.encode()));
        RouterException e = assertThrows(RouterException.class, () -> get(router, "b", "k"));
        assertEquals(RouterException.Kind.CHUNK_UNAVAILABLE, e.kind());
    }

    @Test
    void tagChangesKeepTheInlineData() {
        byte[] data = random(700, 7);
        put(router, "b", "k", data);
        assertEquals(Map.of("a", "1"), router.replaceTags("b", "k", Map.of("a", "1")).orElseThrow().tags());
        assertArrayEquals(data, get(router, "b", "k"));
        assertTrue(stored("k").soleSegment().isInline());
        assertEquals(Map.of("a", "1"), stored("k").tags());
    }

    @Test
    void recordsRoundTripTheirInlineData() {
        put(router, "b", "k", random(10, 6));
        BallRecord r = stored("k");
        BallRecord again = BallRecord.decode(r.encode());
        assertArrayEquals(r.soleSegment().inline(), again.soleSegment().inline());
    }
}

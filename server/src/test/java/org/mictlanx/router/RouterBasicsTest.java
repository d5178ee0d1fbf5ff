package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.CHUNK;
import static org.mictlanx.router.fake.TestCluster.await;
import static org.mictlanx.router.fake.TestCluster.get;
import static org.mictlanx.router.fake.TestCluster.put;
import static org.mictlanx.router.fake.TestCluster.random;
import static org.mictlanx.router.fake.TestCluster.readAll;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestClock;
import org.mictlanx.router.fake.TestCluster;

class RouterBasicsTest {

    private TestCluster cluster;
    private Router router;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3);
        router = cluster.router();
        router.createBucket("b", "alice", "mx-1");
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void putThenGetMultiChunkBallWithDigestsAndMetadata() throws Exception {
        byte[] data = random(3 * CHUNK + 123, 1);
        BallInfo info = put(router, "b", "dir/file.bin", data);
        assertEquals(data.length, info.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)), info.etag());
        CRC32C crc = new CRC32C();
        crc.update(data);
        assertEquals((int) crc.getValue(), java.nio.ByteBuffer.wrap(info.digests().get(Digest.CRC32C)).getInt());
        BallInfo head = router.headBall("b", "dir/file.bin").orElseThrow();
        assertEquals(info.etag(), head.etag());
        assertEquals(info.version(), head.version());
        assertEquals(Map.of("color", "blue"), head.userMetadata());
        assertEquals("application/octet-stream", head.headers().get("content-type"));
        assertArrayEquals(data, readAll(router, head, 0, -1));
        // four chunks, three replicas each (the put returned at W = 2 of 3: let the third replicas land)
        cluster.awaitChunkWrites();
        assertEquals(12, cluster.totalChunks());
    }

    @Test
    void unknownLengthAndEmptyBalls() {
        byte[] data = random(2 * CHUNK, 2);
        router.putBall(put("b", "exact-chunks", -1), new ByteArrayInputStream(data));
        assertArrayEquals(data, get(router, "b", "exact-chunks"));
        BallInfo empty = put(router, "b", "empty", new byte[0]);
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", empty.etag());
        assertArrayEquals(new byte[0], get(router, "b", "empty"));
    }

    @Test
    void bodyShorterOrLongerThanDeclaredIsRejectedAndInvisible() {
        RouterException shortBody = assertThrows(RouterException.class,
                () -> router.putBall(put("b", "k", 1000), new ByteArrayInputStream(new byte[999])));
        assertEquals(RouterException.Kind.INCOMPLETE_BODY, shortBody.kind());
        RouterException longBody = assertThrows(RouterException.class,
                () -> router.putBall(put("b", "k", 10), new ByteArrayInputStream(new byte[11])));
        assertEquals(RouterException.Kind.INCOMPLETE_BODY, longBody.kind());
        assertTrue(router.headBall("b", "k").isEmpty());
        await("released chunks", () -> cluster.totalChunks() == 0);
    }

    @Test
    void rangeReadsFetchOnlyNeededChunksAndBytes() {
        byte[] data = random(5 * CHUNK, 3);
        BallInfo info = put(router, "b", "r", data);
        long before = cluster.peers.stream().mapToLong(p -> p.calls(FaultyPeer.Op.GET_CHUNK)).sum();
        byte[] mid = readAll(router, info, CHUNK - 10, 20);
        assertArrayEquals(Arrays.copyOfRange(data, CHUNK - 10, CHUNK + 10), mid);
        long after = cluster.peers.stream().mapToLong(p -> p.calls(FaultyPeer.Op.GET_CHUNK)).sum();
        assertEquals(2, after - before, "two chunks fetched, one replica each");
        assertArrayEquals(Arrays.copyOfRange(data, 4 * CHUNK + 5, 5 * CHUNK), readAll(router, info, 4 * CHUNK + 5, -1));
        assertArrayEquals(new byte[0], readAll(router, info, data.length, -1));
        assertArrayEquals(Arrays.copyOfRange(data, 7, data.length), readAll(router, info, 7, 10L * CHUNK));
        assertThrows(RouterException.class, () -> router.openBall(info, data.length + 1, 1));
    }

    @Test
    void peersStoreOnlyCiphertext() {
        byte[] data = new byte[2 * CHUNK];
        Arrays.fill(data, (byte) 'A');
        put(router, "b", "plain", data);
        byte[] needle = new byte[64];
        Arrays.fill(needle, (byte) 'A');
        for (FaultyPeer p : cluster.peers) {
            for (byte[] stored : p.chunkBytes().values()) {
                assertEquals(CHUNK + 16, stored.length);
                assertFalse(indexOf(stored, needle) >= 0, "plaintext found on " + p.id());
            }
        }
    }

    @Test
    void overwriteReplacesAndGcReleasesOldChunksAfterTheGrace() {
        TestClock clock = new TestClock();
        Router r = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)), clock);
        byte[] v1 = random(2 * CHUNK, 4);
        byte[] v2 = random(CHUNK / 2, 5);
        BallInfo first = put(r, "b", "k", v1);
        BallInfo second = put(r, "b", "k", v2);
        assertTrue(second.version() > first.version());
        assertArrayEquals(v2, get(r, "b", "k"));
        r.gcNow();
        cluster.awaitChunkWrites(); // the puts returned at W = 2 of 3: let the third replicas land before counting
        assertEquals(9, cluster.totalChunks(), "old chunks kept for readers in flight");
        await("old chunks freed once the grace has passed since the release", () -> {
            clock.advance(Duration.ofHours(2));
            r.gcNow();
            return cluster.totalChunks() == 3;
        });
        assertArrayEquals(v2, get(r, "b", "k"));
    }

    @Test
    void deleteHidesBallAndGcReleasesChunksAfterTheGrace() {
        TestClock clock = new TestClock();
        Router r = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)), clock);
        put(r, "b", "k", random(CHUNK * 2, 6));
        assertTrue(r.deleteBall("b", "k"));
        assertFalse(r.deleteBall("b", "k"));
        assertTrue(r.headBall("b", "k").isEmpty());
        r.gcNow();
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: let the third replicas land before counting
        assertEquals(6, cluster.totalChunks(), "chunks kept for readers in flight");
        await("chunks freed once the grace has passed since the release", () -> {
            clock.advance(Duration.ofHours(2));
            r.gcNow();
            return cluster.totalChunks() == 0;
        });
    }

    @Test
    void putIntoBucketDeletedByAnotherRouterFailsAndCommitsNothing() {
        Router writer = cluster.router();
        BallInfo first = put(writer, "b", "k", random(CHUNK, 5)); // the writer now has a placement hint for b
        String firstSegment = ((org.mictlanx.router.meta.BallRecord) first.layout()).segments().get(0).id();
        assertTrue(router.deleteBall("b", "k"));
        router.deleteBucket("b");
        RouterException e = assertThrows(RouterException.class, () -> put(writer, "b", "k2", random(2 * CHUNK, 6)));
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET, e.kind());
        router.createBucket("b", "o", "r");
        assertTrue(writer.headBall("b", "k2").isEmpty(), "the failed put left no ball");
        await("chunks of the failed put released", () -> cluster.peers.stream()
                .allMatch(p -> p.chunkBytes().keySet().stream().allMatch(id -> id.startsWith(firstSegment))));
        byte[] again = random(CHUNK, 7);
        put(writer, "b", "k3", again);
        assertArrayEquals(again, get(router, "b", "k3"));
    }

    @Test
    void verifierAbortLeavesNothingVisible() {
        byte[] data = random(3 * CHUNK, 7);
        PutBall req = new PutBall("b", "v", data.length, Map.of(), Map.of(), Set.of(Digest.SHA256), digests -> {
            assertTrue(digests.containsKey(Digest.SHA256));
            throw new IllegalArgumentException("bad digest");
        });
        assertThrows(IllegalArgumentException.class, () -> router.putBall(req, new ByteArrayInputStream(data)));
        assertTrue(router.headBall("b", "v").isEmpty());
        assertEquals(0, router.listBalls("b", null, null, 10).balls().size());
        await("chunks released", () -> cluster.totalChunks() == 0);
    }

    @Test
    void listingIsOrderedPrefixedAndPaged() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 45; i++) keys.add(String.format("a/%03d", i));
        keys.add("b/x");
        keys.add("a/\uD83D\uDE00"); // supplementary character sorts after U+FFFF in UTF-8 order
        keys.add("a/\uFFFD");
        for (String k : keys) put(router, "b", k, new byte[] {1});
        router.deleteBall("b", "a/010");
        List<String> seen = new ArrayList<>();
        String after = null;
        while (true) {
            BallPage page = router.listBalls("b", "a/", after, 7);
            page.balls().forEach(x -> seen.add(x.key()));
            if (!page.truncated()) break;
            after = page.balls().get(page.balls().size() - 1).key();
        }
        List<String> expected = new ArrayList<>(keys.stream().filter(k -> k.startsWith("a/") && !k.equals("a/010")).toList());
        expected.sort(org.mictlanx.router.meta.Utf8Order.COMPARATOR);
        assertEquals(expected, seen);
        assertEquals("a/\uD83D\uDE00", seen.get(seen.size() - 1));
        assertFalse(router.listBalls("b", "b/", null, 1).truncated());
    }

    @Test
    void bucketLifecycle() {
        RouterException exists = assertThrows(RouterException.class, () -> router.createBucket("b", "bob", "mx-1"));
        assertEquals(RouterException.Kind.BUCKET_EXISTS, exists.kind());
        assertEquals("alice", exists.detail());
        router.createBucket("c", "bob", "mx-1");
        assertEquals(List.of("b", "c"), router.listBuckets().stream().map(BucketInfo::name).toList());
        assertEquals(3, router.bucket("c").orElseThrow().replication());
        put(router, "c", "k", new byte[] {1});
        assertEquals(RouterException.Kind.BUCKET_NOT_EMPTY, assertThrows(RouterException.class, () -> router.deleteBucket("c")).kind());
        router.deleteBall("c", "k");
        router.deleteBucket("c");
        assertTrue(router.bucket("c").isEmpty());
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET,
                assertThrows(RouterException.class, () -> put(router, "c", "k", new byte[] {1})).kind());
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET, assertThrows(RouterException.class, () -> router.deleteBucket("zz")).kind());
        assertEquals(RouterException.Kind.BAD_REQUEST, assertThrows(RouterException.class, () -> router.createBucket("_mx", "a", "r")).kind());
    }

    @Test
    void twoRoutersSeeEachOthersWritesAtOnce() {
        Router other = cluster.router();
        byte[] data = random(CHUNK + 1, 8);
        put(router, "b", "shared", data);
        assertArrayEquals(data, get(other, "b", "shared"));
        byte[] newer = random(10, 9);
        put(other, "b", "shared", newer);
        assertArrayEquals(newer, get(router, "b", "shared"));
        assertEquals(1, router.listBalls("b", null, null, 10).balls().size());
        other.deleteBall("b", "shared");
        assertTrue(router.headBall("b", "shared").isEmpty());
        other.metaTable().put("users", "u1", new byte[] {42});
        assertArrayEquals(new byte[] {42}, router.metaTable().get("users", "u1").orElseThrow());
    }

    @Test
    void metaTableForServices() {
        MetaTable t = router.metaTable();
        t.put("keys", "b", new byte[] {2});
        t.put("keys", "a", new byte[] {1});
        t.put("keys", "c", new byte[] {3});
        assertEquals(List.of("b", "c"), t.scan("keys", null, "a", 10).stream().map(MetaTable.Entry::sortKey).toList());
        assertTrue(t.delete("keys", "b"));
        assertFalse(t.delete("keys", "b"));
        assertTrue(t.get("keys", "b").isEmpty());
        assertEquals(List.of("a", "c"), t.scan("keys", "", null, 10).stream().map(MetaTable.Entry::sortKey).toList());
        assertTrue(router.listBuckets().stream().noneMatch(x -> x.name().startsWith("_")));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}

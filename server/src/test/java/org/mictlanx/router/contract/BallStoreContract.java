package org.mictlanx.router.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.Digest;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.WriteCondition;

/**
 * The contract of {@link BallStore} (buckets, balls, conditions, tags, copies; multipart in
 * {@link BallStoreMultipartContract}), run against every implementation: the router over RocksDB peers and
 * the in-memory fake the front-door tests use. One store serves the whole class; every test works in
 * buckets of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BallStoreContract {

    /** The minimum part size every implementation under test is configured with. */
    protected static final long MIN_PART = 64 << 10;
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** The store under test (the same instance for every test of the class). */
    protected abstract BallStore store();

    /** A new, empty bucket owned by alice. */
    protected final String bucket() {
        String name = String.format("contract-%05d", SEQ.incrementAndGet());
        store().createBucket(name, "alice", "us-east-1");
        return name;
    }

    protected static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected final BallInfo put(String bucket, String key, byte[] data, WriteCondition condition) {
        PutBall p = new PutBall(bucket, key, data.length, Map.of("content-type", "application/x-test"),
                Map.of("color", "blue"), Set.of(Digest.CRC32C), null, condition);
        return store().putBall(p, new ByteArrayInputStream(data));
    }

    protected final byte[] read(BallInfo ball, long offset, long length) {
        try (InputStream in = store().openBall(ball, offset, length)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected final byte[] get(String bucket, String key) {
        return read(store().headBall(bucket, key).orElseThrow(), 0, -1);
    }

    protected static RouterException.Kind failure(Executable call) {
        return assertThrows(RouterException.class, call).kind();
    }

    protected static byte[] md5(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            for (byte[] p : parts) md.update(p);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static byte[] crc32c(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        return ByteBuffer.allocate(4).putInt((int) c.getValue()).array();
    }

    @Test
    void bucketsAreCreatedFoundListedTaggedAndDeleted() {
        String a = bucket();
        String b = bucket();
        BucketInfo info = store().bucket(a).orElseThrow();
        assertEquals("alice", info.owner());
        assertEquals("us-east-1", info.region());
        RouterException exists = assertThrows(RouterException.class, () -> store().createBucket(a, "bob", "us-east-1"));
        assertEquals(RouterException.Kind.BUCKET_EXISTS, exists.kind());
        assertEquals("alice", exists.detail(), "the detail names the current owner");
        List<String> names = store().listBuckets().stream().map(BucketInfo::name).toList();
        assertTrue(names.indexOf(a) >= 0 && names.indexOf(a) < names.indexOf(b), names.toString());
        assertEquals(names.stream().sorted().toList(), names, "name order");
        assertEquals(Map.of("team", "x"), store().replaceBucketTags(a, Map.of("team", "x")).tags());
        assertEquals(Map.of("team", "x"), store().bucket(a).orElseThrow().tags());
        assertEquals(Map.of(), store().replaceBucketTags(a, Map.of()).tags());
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET, failure(() -> store().replaceBucketTags("contract-none", Map.of())));
        put(b, "k", new byte[] {1}, WriteCondition.NONE);
        assertEquals(RouterException.Kind.BUCKET_NOT_EMPTY, failure(() -> store().deleteBucket(b)));
        store().deleteBucket(a);
        assertTrue(store().bucket(a).isEmpty());
        assertFalse(store().listBuckets().stream().anyMatch(x -> x.name().equals(a)));
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET, failure(() -> store().deleteBucket(a)));
    }

    @Test
    void aPutBallIsHeadReadInRangesAndDeleted() {
        String bucket = bucket();
        byte[] data = random(150_000, 1);
        BallInfo put = put(bucket, "dir/ball", data, WriteCondition.NONE);
        assertEquals(data.length, put.size());
        assertEquals(HexFormat.of().formatHex(md5(data)), put.etag());
        assertArrayEquals(crc32c(data), put.digests().get(Digest.CRC32C));
        BallInfo head = store().headBall(bucket, "dir/ball").orElseThrow();
        assertEquals(put.etag(), head.etag());
        assertEquals(put.version(), head.version());
        assertEquals("application/x-test", head.headers().get("content-type"));
        assertEquals(Map.of("color", "blue"), head.userMetadata());
        assertArrayEquals(data, read(head, 0, -1));
        assertArrayEquals(Arrays.copyOfRange(data, 70_000, 71_000), read(head, 70_000, 1000));
        assertArrayEquals(Arrays.copyOfRange(data, 140_000, data.length), read(head, 140_000, -1));
        assertTrue(store().deleteBall(bucket, "dir/ball"));
        assertTrue(store().headBall(bucket, "dir/ball").isEmpty());
        assertFalse(store().deleteBall(bucket, "dir/ball"));
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET,
                failure(() -> put("contract-none", "k", new byte[1], WriteCondition.NONE)));
    }

    @Test
    void aRefusedOrShortBodyLeavesNothingVisible() {
        String bucket = bucket();
        PutBall refused = new PutBall(bucket, "k", 3, Map.of(), Map.of(), Set.of(), d -> {
            throw new IllegalStateException("digest mismatch");
        });
        assertThrows(IllegalStateException.class, () -> store().putBall(refused, new ByteArrayInputStream(new byte[3])));
        assertTrue(store().headBall(bucket, "k").isEmpty());
        PutBall longer = new PutBall(bucket, "k", 10, Map.of(), Map.of(), Set.of(), null);
        assertEquals(RouterException.Kind.INCOMPLETE_BODY, failure(() -> store().putBall(longer, new ByteArrayInputStream(new byte[3]))));
        assertTrue(store().headBall(bucket, "k").isEmpty());
        assertEquals(List.of(), store().listBalls(bucket, null, null, 10).balls());
    }

    @Test
    void writeConditionsAreCheckedAndAFailedOneChangesNothing() {
        String bucket = bucket();
        BallInfo first = put(bucket, "k", new byte[] {1}, WriteCondition.IF_ABSENT);
        assertEquals(RouterException.Kind.PRECONDITION_FAILED, failure(() -> put(bucket, "k", new byte[] {2}, WriteCondition.IF_ABSENT)));
        assertEquals(RouterException.Kind.PRECONDITION_FAILED,
                failure(() -> put(bucket, "k", new byte[] {3}, WriteCondition.ifMatch("0123456789abcdef0123456789abcdef"))));
        assertArrayEquals(new byte[] {1}, get(bucket, "k"));
        BallInfo second = put(bucket, "k", new byte[] {4}, WriteCondition.ifMatch("\"" + first.etag() + "\""));
        assertTrue(second.version() > first.version(), "a replacing write has a higher version");
        assertArrayEquals(new byte[] {4}, get(bucket, "k"));
        // If-Match with no ball under the key: the store says so (S3 answers NoSuchKey), nothing is written
        assertEquals(RouterException.Kind.NO_SUCH_BALL,
                failure(() -> put(bucket, "absent", new byte[] {5}, WriteCondition.ifMatch(first.etag()))));
        assertTrue(store().headBall(bucket, "absent").isEmpty());
    }

    @Test
    void listingIsInUtf8OrderWithPrefixStartAfterAndLimit() {
        String bucket = bucket();
        // UTF-16 order would put the emoji (a surrogate pair) before U+FF21; UTF-8 order puts it after.
        List<String> all = List.of("a", "b/1", "b/2", "b/\uFF21", "b/\uD83D\uDE00", "c");
        for (String k : List.of("c", "b/\uD83D\uDE00", "a", "b/2", "b/\uFF21", "b/1")) put(bucket, k, k.getBytes(java.nio.charset.StandardCharsets.UTF_8), WriteCondition.NONE);
        assertEquals(all, keys(store().listBalls(bucket, null, null, 100).balls()));
        assertFalse(store().listBalls(bucket, null, null, 100).truncated());
        assertEquals(all.subList(1, 5), keys(store().listBalls(bucket, "b/", null, 100).balls()));
        assertEquals(List.of("b/\uFF21", "b/\uD83D\uDE00"), keys(store().listBalls(bucket, "b/", "b/2", 100).balls()));
        var page = store().listBalls(bucket, null, null, 2);
        assertEquals(List.of("a", "b/1"), keys(page.balls()));
        assertTrue(page.truncated());
        assertEquals(List.of("c"), keys(store().listBalls(bucket, null, "b/\uD83D\uDE00", 100).balls()));
        assertEquals(List.of(), keys(store().listBalls(bucket, "z", null, 100).balls()));
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET, failure(() -> store().listBalls("contract-none", null, null, 1)));
    }

    @Test
    void theResolvedBucketFormsAnswerAsTheNameForms() {
        String bucket = bucket();
        BucketInfo resolved = store().bucket(bucket).orElseThrow();
        BallInfo put = put(bucket, "k", random(1000, 7), WriteCondition.NONE);
        put(bucket, "l", random(10, 8), WriteCondition.NONE);
        assertEquals(put.etag(), store().headBall(resolved, "k").orElseThrow().etag());
        assertTrue(store().headBall(resolved, "absent").isEmpty());
        assertEquals(List.of("k", "l"), keys(store().listBalls(resolved, null, null, 10).balls()));
        assertEquals(List.of("l"), keys(store().listBalls(resolved, null, "k", 10).balls()));
        assertEquals(put.etag(), store().headBallVersion(resolved, "k", "null").orElseThrow().etag());
        assertTrue(store().headBallVersion(resolved, "absent", "null").isEmpty());
        List<String> byName = store().listBallVersions(bucket, null, null, 10).entries().stream()
                .map(e -> e.position() + "=" + e.ball().key()).toList();
        assertEquals(byName, store().listBallVersions(resolved, null, null, 10).entries().stream()
                .map(e -> e.position() + "=" + e.ball().key()).toList());
        assertEquals(2, byName.size());
        for (String version : new String[] {null, "null"}) {
            assertEquals(store().versionPosition(bucket, "k", version), store().versionPosition(resolved, "k", version));
        }
    }

    private static List<String> keys(List<BallInfo> balls) {
        return balls.stream().map(BallInfo::key).toList();
    }

    @Test
    void replacingTagsKeepsTheBallAndItsVersion() {
        String bucket = bucket();
        byte[] data = random(1000, 2);
        BallInfo put = put(bucket, "k", data, WriteCondition.NONE);
        BallInfo tagged = store().replaceTags(bucket, "k", Map.of("a", "1", "b", "2")).orElseThrow();
        assertEquals(Map.of("a", "1", "b", "2"), tagged.tags());
        assertEquals(put.etag(), tagged.etag());
        assertEquals(put.size(), tagged.size());
        assertEquals(put.version(), tagged.version());
        assertEquals(put.lastModified(), tagged.lastModified());
        assertEquals(Map.of("a", "1", "b", "2"), store().headBall(bucket, "k").orElseThrow().tags());
        assertArrayEquals(data, get(bucket, "k"));
        assertEquals(Map.of(), store().replaceTags(bucket, "k", Map.of()).orElseThrow().tags());
        assertTrue(store().replaceTags(bucket, "absent", Map.of("a", "1")).isEmpty());
    }

    @Test
    void aCopyKeepsTheContentAfterItsSourceIsDeleted() {
        String bucket = bucket();
        String other = bucket();
        byte[] data = random(100_000, 3);
        put(bucket, "src", data, WriteCondition.NONE);
        BallInfo source = store().replaceTags(bucket, "src", Map.of("t", "v")).orElseThrow();
        BallInfo copy = store().copyBall(source, other, "dst", Map.of("content-type", "text/plain"), Map.of("new", "meta"),
                WriteCondition.NONE);
        assertEquals(source.etag(), copy.etag());
        assertEquals(source.size(), copy.size());
        assertEquals(Map.of("t", "v"), copy.tags(), "the five-argument copy keeps the source's tags");
        BallInfo head = store().headBall(other, "dst").orElseThrow();
        assertEquals("text/plain", head.headers().get("content-type"));
        assertEquals(Map.of("new", "meta"), head.userMetadata());
        assertArrayEquals(data, read(head, 0, -1));
        BallInfo retagged = store().copyBall(source, bucket, "src", source.headers(), source.userMetadata(), Map.of(),
                WriteCondition.NONE);
        assertEquals(Map.of(), retagged.tags(), "a copy onto its own key, tags replaced");
        assertEquals(RouterException.Kind.PRECONDITION_FAILED, failure(() -> store().copyBall(retagged, other, "dst",
                Map.of(), Map.of(), WriteCondition.IF_ABSENT)));
        assertTrue(store().deleteBall(bucket, "src"));
        assertArrayEquals(data, get(other, "dst"));
    }

    @Test
    void theMetaTableIsUsable() {
        String partition = "contract-meta-" + SEQ.incrementAndGet();
        store().metaTable().put(partition, "k", new byte[] {7});
        assertArrayEquals(new byte[] {7}, store().metaTable().get(partition, "k").orElseThrow());
    }
}

package org.mictlanx.router.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.CompletedPart;
import org.mictlanx.router.Digest;
import org.mictlanx.router.PartInfo;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.UploadInfo;
import org.mictlanx.router.WriteCondition;

/** The multipart half of the {@link org.mictlanx.router.BallStore} contract (see {@link BallStoreContract}). */
public abstract class BallStoreMultipartContract extends BallStoreContract {

    private String create(String bucket, String key) {
        return store().createUpload(bucket, key, Map.of("content-type", "video/mp4"), Map.of("m", "1"),
                Set.of(Digest.CRC32C), null);
    }

    private PartInfo part(String bucket, String key, String id, int n, byte[] data) {
        return store().putPart(bucket, key, id, n, new ByteArrayInputStream(data), data.length, Set.of(), null);
    }

    private static List<Integer> numbers(List<PartInfo> parts) {
        return parts.stream().map(PartInfo::partNumber).toList();
    }

    @Test
    void aCompletedUploadIsOneBallOfItsPartsInOrder() {
        String bucket = bucket();
        String id = create(bucket, "movie");
        UploadInfo up = store().upload(bucket, "movie", id).orElseThrow();
        assertEquals("video/mp4", up.headers().get("content-type"));
        assertEquals(Set.of(Digest.CRC32C), up.checksumAlgorithms());
        byte[] one = random((int) MIN_PART, 10);
        byte[] two = random(1000, 11);
        part(bucket, "movie", id, 2, random(5, 12));
        PartInfo p2 = part(bucket, "movie", id, 2, two); // the same number again: last upload wins
        PartInfo p1 = part(bucket, "movie", id, 1, one);
        assertEquals(HexFormat.of().formatHex(md5(one)), p1.etag());
        assertEquals(two.length, p2.size());
        assertArrayEquals(crc32c(two), p2.digests().get(Digest.CRC32C));
        assertEquals(List.of(1, 2), numbers(store().listParts(bucket, "movie", id, 0, 100).parts()));
        assertEquals(List.of(2), numbers(store().listParts(bucket, "movie", id, 1, 100).parts()));
        var firstPage = store().listParts(bucket, "movie", id, 0, 1);
        assertEquals(List.of(1), numbers(firstPage.parts()));
        assertTrue(firstPage.truncated());
        assertTrue(store().listUploads(bucket, null, null, null, 10).uploads().stream().anyMatch(u -> u.uploadId().equals(id)));

        List<CompletedPart> parts = List.of(new CompletedPart(1, "\"" + p1.etag() + "\"", Map.of()), CompletedPart.of(2));
        BallInfo ball = store().completeUpload(bucket, "movie", id, parts, WriteCondition.NONE);
        assertEquals(one.length + two.length, ball.size());
        assertEquals(HexFormat.of().formatHex(md5(md5(one), md5(two))) + "-2", ball.etag());
        assertEquals(2, ball.partsCount());
        assertEquals(Map.of("m", "1"), ball.userMetadata());
        byte[] whole = new byte[one.length + two.length];
        System.arraycopy(one, 0, whole, 0, one.length);
        System.arraycopy(two, 0, whole, one.length, two.length);
        assertArrayEquals(whole, get(bucket, "movie"));
        assertArrayEquals(Arrays.copyOfRange(whole, one.length - 10, one.length + 10), read(ball, one.length - 10, 20));
        assertTrue(store().upload(bucket, "movie", id).isEmpty());
        assertTrue(store().listUploads(bucket, null, null, null, 10).uploads().isEmpty());
        BallInfo retried = store().completeUpload(bucket, "movie", id, parts, WriteCondition.NONE);
        assertEquals(ball.etag(), retried.etag(), "a retried completion answers the ball it committed");
        assertEquals(ball.version(), retried.version());
        assertEquals(RouterException.Kind.NO_SUCH_UPLOAD,
                failure(() -> store().completeUpload(bucket, "movie", id, List.of(CompletedPart.of(1)), WriteCondition.NONE)));
    }

    @Test
    void completionRefusesBadPartListsAndTheUploadStaysOpen() {
        String bucket = bucket();
        String id = create(bucket, "k");
        PartInfo small = part(bucket, "k", id, 1, random(100, 20));
        part(bucket, "k", id, 2, random(100, 21));
        assertEquals(RouterException.Kind.BAD_REQUEST,
                failure(() -> store().completeUpload(bucket, "k", id, List.of(), WriteCondition.NONE)));
        assertEquals(RouterException.Kind.INVALID_PART_ORDER, failure(() -> store().completeUpload(bucket, "k", id,
                List.of(CompletedPart.of(2), CompletedPart.of(1)), WriteCondition.NONE)));
        RouterException unknown = assertThrowsRouter(() -> store().completeUpload(bucket, "k", id,
                List.of(CompletedPart.of(1), CompletedPart.of(3)), WriteCondition.NONE));
        assertEquals(RouterException.Kind.INVALID_PART, unknown.kind());
        assertEquals("3", unknown.detail());
        assertEquals(RouterException.Kind.INVALID_PART, failure(() -> store().completeUpload(bucket, "k", id,
                List.of(new CompletedPart(1, "0123456789abcdef0123456789abcdef", Map.of())), WriteCondition.NONE)));
        assertEquals(RouterException.Kind.INVALID_PART, failure(() -> store().completeUpload(bucket, "k", id,
                List.of(new CompletedPart(1, small.etag(), Map.of(Digest.CRC32C, new byte[4]))), WriteCondition.NONE)));
        RouterException tooSmall = assertThrowsRouter(() -> store().completeUpload(bucket, "k", id,
                List.of(CompletedPart.of(1), CompletedPart.of(2)), WriteCondition.NONE));
        assertEquals(RouterException.Kind.ENTITY_TOO_SMALL, tooSmall.kind());
        assertEquals("1", tooSmall.detail());
        assertTrue(store().headBall(bucket, "k").isEmpty());
        assertTrue(store().upload(bucket, "k", id).isPresent());
        assertEquals(100, store().completeUpload(bucket, "k", id, List.of(CompletedPart.of(2)), WriteCondition.NONE).size(),
                "a single (last) part may be small");
    }

    private static RouterException assertThrowsRouter(org.junit.jupiter.api.function.Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(RouterException.class, call);
    }

    @Test
    void anAbortedUploadIsGoneAndUnknownOnesAreRefused() {
        String bucket = bucket();
        String id = create(bucket, "k");
        part(bucket, "k", id, 1, random(10, 30));
        store().abortUpload(bucket, "k", id);
        assertTrue(store().upload(bucket, "k", id).isEmpty());
        assertEquals(RouterException.Kind.NO_SUCH_UPLOAD, failure(() -> part(bucket, "k", id, 2, new byte[1])));
        assertEquals(RouterException.Kind.NO_SUCH_UPLOAD, failure(() -> store().abortUpload(bucket, "k", id)));
        assertEquals(RouterException.Kind.NO_SUCH_UPLOAD, failure(() -> store().listParts(bucket, "k", id, 0, 10)));
        assertEquals(RouterException.Kind.NO_SUCH_UPLOAD, failure(() -> store().completeUpload(bucket, "k", id,
                List.of(CompletedPart.of(1)), WriteCondition.NONE)));
        String other = create(bucket, "k");
        assertTrue(store().upload(bucket, "other-key", other).isEmpty(), "an upload belongs to its key");
        assertEquals(RouterException.Kind.BAD_REQUEST, failure(() -> part(bucket, "k", other, 0, new byte[1])));
        assertEquals(RouterException.Kind.BAD_REQUEST, failure(() -> part(bucket, "k", other, 10_001, new byte[1])));
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET, failure(() -> create("contract-none", "k")));
        store().abortUpload(bucket, "k", other);
    }

    @Test
    void aCopiedPartIsARangeOfItsSource() {
        String bucket = bucket();
        byte[] data = random(200_000, 40);
        BallInfo source = put(bucket, "src", data, WriteCondition.NONE);
        String id = create(bucket, "k");
        PartInfo whole = store().copyPart(bucket, "k", id, 1, source, 0, -1);
        assertEquals(source.etag(), whole.etag());
        PartInfo range = store().copyPart(bucket, "k", id, 2, source, 1000, 5000);
        assertEquals(5000, range.size());
        assertEquals(HexFormat.of().formatHex(md5(Arrays.copyOfRange(data, 1000, 6000))), range.etag());
        assertEquals(RouterException.Kind.BAD_REQUEST, failure(() -> store().copyPart(bucket, "k", id, 3, source, 199_000, 5000)));
        store().completeUpload(bucket, "k", id, List.of(CompletedPart.of(1), CompletedPart.of(2)), WriteCondition.NONE);
        byte[] got = get(bucket, "k");
        assertArrayEquals(data, Arrays.copyOfRange(got, 0, data.length));
        assertArrayEquals(Arrays.copyOfRange(data, 1000, 6000), Arrays.copyOfRange(got, data.length, got.length));
    }

    @Test
    void uploadsAreListedByKeyThenIdAfterTheMarkers() {
        String bucket = bucket();
        String b = create(bucket, "b");
        List<String> as = List.of(create(bucket, "a"), create(bucket, "a")).stream().sorted().toList();
        assertEquals(List.of(as.get(0), as.get(1), b), ids(store().listUploads(bucket, null, null, null, 10).uploads()));
        assertEquals(List.of(b), ids(store().listUploads(bucket, null, "a", null, 10).uploads()));
        assertEquals(List.of(as.get(1), b), ids(store().listUploads(bucket, null, "a", as.get(0), 10).uploads()));
        assertEquals(List.of(as.get(0), as.get(1)), ids(store().listUploads(bucket, "a", null, null, 10).uploads()));
        var page = store().listUploads(bucket, null, null, null, 1);
        assertEquals(List.of(as.get(0)), ids(page.uploads()));
        assertTrue(page.truncated());
    }

    private static List<String> ids(List<UploadInfo> uploads) {
        return uploads.stream().map(UploadInfo::uploadId).toList();
    }
}

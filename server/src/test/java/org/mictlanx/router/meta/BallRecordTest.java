package org.mictlanx.router.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.BallPart;
import org.mictlanx.router.ChecksumType;
import org.mictlanx.router.Digest;

class BallRecordTest {

    @Test
    void formatOneRecordsStillDecodeAsOneSegment() {
        // the exact layout written before segments existed
        Bin.Out out = new Bin.Out().u8(1).str("0000000000aa0123456789ab").i64(100).i32(64).i32(3).i64(5)
                .str("k1").bytes(new byte[] {7, 7}).map(Map.of("content-type", "a/b")).map(Map.of("m", "v")).i32(1);
        out.str("MD5").bytes(new byte[] {(byte) 0xab, 0x01});
        BallRecord r = BallRecord.decode(out.toBytes());
        assertEquals("0000000000aa0123456789ab", r.ballId());
        assertEquals("ab01", r.etag());
        assertEquals(ChecksumType.FULL_OBJECT, r.checksumType());
        Segment s = r.soleSegment();
        assertEquals(new Segment("0000000000aa0123456789ab", 100, 64, 3, "k1", s.wrappedKey()), s);
        assertArrayEquals(new byte[] {7, 7}, s.wrappedKey());
        assertEquals(2, r.chunkCount());
        assertEquals("0000000000aa0123456789ab.1", r.chunkId(1));
    }

    @Test
    void formatTwoRoundTripsSlicesPartsAndChecksums() {
        Segment a = new Segment("0000000000aa0123456789ab", 100, 64, 3, "k1", new byte[] {1});
        Segment b = new Segment("0000000000bb0123456789ab", 50, 64, 2, "k2", new byte[] {2});
        Map<Digest, byte[]> d = new EnumMap<>(Digest.class);
        d.put(Digest.CRC32C, new byte[] {1, 2, 3, 4});
        BallRecord r = new BallRecord("0000000000cc0123456789ab", 130, 9, Map.of(), Map.of("x", "y"), d, "ff-2",
                ChecksumType.COMPOSITE, List.of(new BallPart(3, 0, 80, "e1", Map.of()), new BallPart(9, 80, 50, "e2", d)),
                List.of(new Slice(a, 20, 80), Slice.whole(b)));
        BallRecord back = BallRecord.decode(r.encode());
        assertEquals(r.slices(), back.slices().stream().map(x -> new Slice(
                x.segment().id().equals(a.id()) ? a : b, x.offset(), x.length())).toList());
        assertEquals(List.of(a.id(), b.id()), back.segments().stream().map(Segment::id).toList());
        assertEquals("ff-2", back.etag());
        assertEquals(2, back.parts().size());
        assertEquals(80, back.parts().get(1).offset());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, back.parts().get(1).digests().get(Digest.CRC32C));
        assertThrows(UncheckedIOException.class, () -> BallRecord.decode(new byte[] {9}));
    }

    @Test
    void formatThreeRoundTripsTagsAndRevisionAndFormatTwoDecodesWithoutTags() {
        Segment a = new Segment("0000000000aa0123456789ab", 100, 64, 3, "k1", new byte[] {1});
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        tags.put("zeta", "1");
        tags.put("alpha", "dos ✓");
        BallRecord r = BallRecord.single(a, 9, Map.of("content-type", "a/b"), Map.of("m", "v"),
                Map.of(Digest.MD5, new byte[] {(byte) 0xab}), tags);
        BallRecord back = BallRecord.decode(r.encode());
        assertEquals(List.of("zeta", "alpha"), List.copyOf(back.tags().keySet()));
        assertEquals("dos ✓", back.tags().get("alpha"));
        assertEquals(0, back.revision());
        BallRecord retagged = BallRecord.decode(back.withTags(Map.of("k", "v")).encode());
        assertEquals(Map.of("k", "v"), retagged.tags());
        assertEquals(2, retagged.revision());
        assertEquals(r.ballId(), retagged.ballId());
        assertEquals(r.etag(), retagged.etag());
        assertEquals(r.slices(), retagged.slices().stream().map(x -> new Slice(a, x.offset(), x.length())).toList());
        // the exact format 2 layout (no revision, no tags)
        Bin.Out v2 = new Bin.Out().u8(2).str(a.id()).i64(100).i64(5).map(Map.of()).map(Map.of("m", "v")).i32(0)
                .str("ab").u8(ChecksumType.FULL_OBJECT.ordinal()).i32(0);
        BallRecordCodec.writeSlices(v2, List.of(Slice.whole(a)), false);
        BallRecord old = BallRecord.decode(v2.toBytes());
        assertEquals(Map.of(), old.tags());
        assertEquals(0, old.revision());
        assertEquals("ab", old.etag());
    }

    @Test
    void aTagReplacementWinsTiesAgainstItsOriginButNeverAgainstANewerVersion() {
        Segment a = new Segment("0000000000aa0123456789ab", 100, 64, 3, "k1", new byte[] {1});
        BallRecord original = BallRecord.single(a, 9, Map.of(), Map.of(), Map.of(), Map.of("z", "z"));
        BallRecord retagged = original.withTags(Map.of());
        BallRecord twice = retagged.withTags(Map.of("a", "a"));
        org.mictlanx.peer.api.MetaRecord at = rec(7, original);
        // same version: the higher revision is newer whatever the tags' bytes
        assertTrue(rec(7, retagged).newer(at));
        assertTrue(rec(7, twice).newer(rec(7, retagged)));
        // a format 2 record (the same ball before the upgrade) loses the tie too
        Bin.Out v2 = new Bin.Out().u8(2).str(a.id());
        assertTrue(rec(7, retagged).newer(new org.mictlanx.peer.api.MetaRecord("b", "k", 7, false, v2.toBytes())));
        // any later commit (higher version) or delete wins over a retagged record
        assertTrue(rec(8, BallRecord.single(a, 9, Map.of(), Map.of(), Map.of())).newer(rec(7, twice)));
        assertTrue(org.mictlanx.peer.api.MetaRecord.tombstone("b", "k", 8).newer(rec(7, twice)));
    }

    @Test
    void anInlineVersionedRecordRoundTripsAndEveryTruncationOfItIsCorrupt() {
        byte[] body = new byte[4096];
        for (int i = 0; i < body.length; i++) body[i] = (byte) (i * 31);
        Segment s = new Segment("0000000000dd0123456789ab", 4000, 4096, 1, "k1", new byte[] {5, 6}, body);
        BallRecord r = BallRecord.single(s, 9, Map.of("x-amz-storage-class", "STANDARD_IA"), Map.of("m", "vé"),
                Map.of(Digest.MD5, new byte[] {(byte) 0xcd, 1}), Map.of("t", "1")).asVersion("v1", 77);
        byte[] full = r.encode();
        BallRecord back = BallRecord.decode(full);
        assertArrayEquals(body, back.soleSegment().inline());
        assertArrayEquals(new byte[] {5, 6}, back.soleSegment().wrappedKey());
        assertEquals("cd01", back.etag());
        assertEquals(Map.of("m", "vé"), back.userMetadata());
        assertEquals(Map.of("t", "1"), back.tags());
        assertEquals("v1", back.versionId());
        assertEquals(77, back.stamp());
        assertArrayEquals(full, back.encode());
        // a record cut anywhere is corrupt (the decoder's bounds checks), never a runtime failure
        for (int n = 0; n < full.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            assertThrows(UncheckedIOException.class, () -> BallRecord.decode(cut), "cut at " + n);
        }
    }

    private static org.mictlanx.peer.api.MetaRecord rec(long version, BallRecord r) {
        return new org.mictlanx.peer.api.MetaRecord("b", "k", version, false, r.encode());
    }
}

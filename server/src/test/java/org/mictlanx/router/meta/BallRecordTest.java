package org.mictlanx.router.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}

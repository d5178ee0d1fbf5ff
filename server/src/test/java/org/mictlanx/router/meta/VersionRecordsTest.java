package org.mictlanx.router.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.ObjectLockConfig;
import org.mictlanx.router.VersioningState;

/** Version ids, history sort keys, and the additive record formats (ball format 4, bucket format 3). */
class VersionRecordsTest {

    private static BallRecord ball() {
        Segment s = new Segment("0000000000aa0123456789ab", 100, 64, 3, "k1", new byte[] {1});
        return BallRecord.single(s, 5, Map.of("content-type", "text/plain"), Map.of(), Map.of());
    }

    @Test
    void unversionedBallsKeepFormat3AndVersionedOnesRoundTrip() {
        BallRecord plain = ball();
        assertEquals(3, plain.encode()[0], "an unversioned ball is written exactly as before");
        assertNull(BallRecord.decode(plain.encode()).versionId());
        BallRecord v = plain.asVersion("0000000000000001aabbccdd", 1L << 20);
        BallRecord back = BallRecord.decode(v.encode());
        assertEquals(4, v.encode()[0]);
        assertEquals("0000000000000001aabbccdd", back.versionId());
        assertEquals(1L << 20, back.stamp());
        assertFalse(back.deleteMarker());
        assertEquals(plain.ballId(), back.ballId());
        BallRecord marker = BallRecord.decode(BallRecord.deleteMarker("0000000000bb0123456789ab", 7, "null", 9).encode());
        assertTrue(marker.deleteMarker());
        assertEquals("null", marker.versionId());
        assertEquals(0, marker.size());
    }

    @Test
    void bucketRecordsAddVersioningAndLockAdditively() {
        BucketInfo b = new BucketInfo("b", "o", "r", Instant.ofEpochMilli(1000), 3);
        assertEquals(1, BucketRecord.encode(b)[0], "an unversioned bucket keeps its old format");
        BucketInfo v = b.withVersioning(VersioningState.SUSPENDED)
                .withObjectLock(new ObjectLockConfig(true, "COMPLIANCE", 0, 2));
        BucketInfo back = BucketRecord.decode("b", BucketRecord.encode(v, 4));
        assertEquals(VersioningState.SUSPENDED, back.versioning());
        assertEquals(new ObjectLockConfig(true, "COMPLIANCE", 0, 2), back.objectLock());
        assertEquals(4, BucketRecord.revision(BucketRecord.encode(v, 4)));
        assertEquals(VersioningState.OFF, BucketRecord.decode("b", BucketRecord.encode(b)).versioning());
    }

    @Test
    void historySortKeysOrderKeysAscendingThenNewestFirst() {
        SecureRandom r = new SecureRandom();
        List<String> keys = new ArrayList<>();
        String a1 = VersionIds.newId(100, r);
        String a2 = VersionIds.newId(200, r);
        String b1 = VersionIds.newId(50, r);
        keys.add(VersionIds.sortKey("a", a1, 100));
        keys.add(VersionIds.sortKey("a", a2, 200));
        keys.add(VersionIds.sortKey("a", "null", 150));
        keys.add(VersionIds.sortKey("a/b", b1, 50));
        keys.add(VersionIds.sortKey("ab", b1, 50));
        keys.sort(Utf8Order.COMPARATOR);
        assertEquals(List.of(VersionIds.sortKey("a", a2, 200), VersionIds.sortKey("a", "null", 150),
                VersionIds.sortKey("a", a1, 100), VersionIds.sortKey("a/b", b1, 50), VersionIds.sortKey("ab", b1, 50)), keys);
        assertEquals(VersionIds.sortKey("a", a2, 200), VersionIds.sortKeyOf("a", a2).orElseThrow());
        assertTrue(a1.compareTo(a2) < 0, "ids are time-ordered");
        assertEquals("a/b", VersionIds.keyOf(VersionIds.sortKey("a/b", b1, 50)));
        assertFalse(VersionIds.wellFormed("null"));
        assertFalse(VersionIds.wellFormed("0000000000000001AABBCCDD"));
        assertTrue(Utf8Order.compare(VersionIds.sortKey("a", a1, 100), VersionIds.afterKey("a")) < 0);
    }
}

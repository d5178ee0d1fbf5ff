package org.mictlanx.router.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.ChecksumType;
import org.mictlanx.router.Digest;
import org.mictlanx.router.Redundancy;

/** Bucket records with tags (format 2) and upload records with redundancy (format 3), and their older formats. */
class BucketAndUploadRecordTest {

    private static final BucketInfo BUCKET = new BucketInfo("b", "alice", "us-east-1", Instant.ofEpochMilli(1234), 3);

    @Test
    void untaggedBucketsKeepFormat1AndTaggedOnesRoundTripInOrder() {
        byte[] plain = BucketRecord.encode(BUCKET);
        assertEquals(1, plain[0], "readable by routers that predate tags");
        assertEquals(BUCKET, BucketRecord.decode("b", plain));
        assertEquals(0, BucketRecord.revision(plain));
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("z", "1");
        tags.put("a", "ñ");
        byte[] tagged = BucketRecord.encode(BUCKET.withTags(tags), 1);
        BucketInfo back = BucketRecord.decode("b", tagged);
        assertEquals(BUCKET.withTags(tags), back);
        assertEquals(List.of("z", "a"), List.copyOf(back.tags().keySet()));
        assertEquals(1, BucketRecord.revision(tagged));
    }

    @Test
    void aLaterTagRevisionWinsTheEqualVersionTieBreak() {
        byte[] untagged = BucketRecord.encode(BUCKET);
        byte[] tagged = BucketRecord.encode(BUCKET.withTags(Map.of("k", "v")), 1);
        byte[] cleared = BucketRecord.encode(BUCKET, 2);
        assertTrue(Arrays.compareUnsigned(tagged, untagged) > 0);
        assertTrue(Arrays.compareUnsigned(cleared, tagged) > 0, "clearing the tags is a newer revision");
        assertEquals(Map.of(), BucketRecord.decode("b", cleared).tags());
    }

    @Test
    void uploadRecordsCarryTheirRedundancy() {
        UploadRecord std = new UploadRecord("0123456789abcdef0123456789abcdef", 5, Map.of(), Map.of(), Set.of(Digest.CRC32),
                ChecksumType.COMPOSITE, Map.of("t", "v"));
        byte[] stdBytes = std.encode();
        assertEquals(2, stdBytes[0], "STANDARD uploads keep the format older routers read");
        assertEquals(std, UploadRecord.decode(stdBytes));
        UploadRecord rrs = new UploadRecord("0123456789abcdef0123456789abcdef", 5, Map.of(), Map.of(), Set.of(),
                ChecksumType.COMPOSITE, Map.of(), Redundancy.REDUCED);
        assertEquals(Redundancy.REDUCED, UploadRecord.decode(rrs.encode()).redundancy());
    }
}

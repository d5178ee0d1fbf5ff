package org.mictlanx.router.meta;

import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallLayout;
import org.mictlanx.router.BallPart;
import org.mictlanx.router.ChecksumType;
import org.mictlanx.router.Digest;

/**
 * The router's description of a committed ball, stored as the value of record (bucket, key): the
 * ball's bytes are the concatenation of its {@link Slice}s, each a byte range of a
 * {@link Segment}. A single put has one segment whose id equals {@code ballId}; a completed
 * multipart upload has the parts' slices; a copy has its source's slices under a new ball id.
 * The record stays small whatever the ball size (one entry per segment, not per chunk).
 *
 * <p>Tags: the ball's S3 tag set lives in this record, so it is written, replicated, read-repaired
 * and released exactly like the ball's metadata. A commit (put, complete, copy) writes revision 0
 * with its tags; {@link #withTags} (PutObjectTagging / DeleteObjectTagging) keeps everything else,
 * including the ball id, and bumps {@code revision}. The router stores such a record under the
 * <em>same</em> record version as the one it replaces: the encoding puts the revision right after
 * the format byte, so at equal versions the replica's last-writer-wins tie-break (greater value
 * wins) prefers the higher revision, while any later commit or delete, which always carries a
 * higher version, beats it on every replica whatever the order of arrival.
 *
 * <p>Encoding: format 3 (below: revision, tags, inline segments); format 2 (no revision, no tags,
 * no inline segments) and format 1 records (single segment, written before multipart existed) are
 * still decoded, with no tags.
 *
 * @param ballId   unique per commit (put, complete, copy): the reference records name it
 * @param etag     S3 ETag without quotes
 * @param parts    empty unless completed from a multipart upload
 * @param tags     the S3 tag set, in the order given (validated by the front door, not here)
 * @param revision 0 at commit, incremented by every tag replacement of the same commit
 * @param versionId    the S3 version id ({@link VersionIds}), {@code "null"} for the null version of a
 *                     versioned bucket, or null for a ball written while its bucket was unversioned
 * @param deleteMarker whether this is a delete marker (no data: size 0, no slices)
 * @param stamp        the hybrid-clock version at which this version was created (its LastModified and
 *                     its place in the key's history); 0 for unversioned balls (the record version is used)
 *
 * <p>Format 4 = format 3 followed by {@code [flags u8 (bit0 delete marker)][versionId][stamp i64]};
 * it is written only for versioned balls, so an unversioned ball's record is byte-for-byte as before.
 */
public record BallRecord(String ballId, long size, long createdMillis, Map<String, String> headers,
                         Map<String, String> userMetadata, Map<Digest, byte[]> digests, String etag,
                         ChecksumType checksumType, List<BallPart> parts, List<Slice> slices,
                         Map<String, String> tags, long revision, String versionId, boolean deleteMarker,
                         long stamp) implements BallLayout {

    /** An unversioned ball with tags at {@code revision}. */
    public BallRecord(String ballId, long size, long createdMillis, Map<String, String> headers,
                      Map<String, String> userMetadata, Map<Digest, byte[]> digests, String etag,
                      ChecksumType checksumType, List<BallPart> parts, List<Slice> slices,
                      Map<String, String> tags, long revision) {
        this(ballId, size, createdMillis, headers, userMetadata, digests, etag, checksumType, parts, slices, tags,
                revision, null, false, 0);
    }

    /** This ball as version {@code id} created at hybrid-clock version {@code stampVersion}. */
    public BallRecord asVersion(String id, long stampVersion) {
        return new BallRecord(ballId, size, createdMillis, headers, userMetadata, digests, etag, checksumType, parts,
                slices, tags, revision, id, deleteMarker, stampVersion);
    }

    /** A delete marker with version id {@code id} created at {@code stampVersion}. */
    public static BallRecord deleteMarker(String ballId, long createdMillis, String id, long stampVersion) {
        return new BallRecord(ballId, 0, createdMillis, Map.of(), Map.of(), Map.of(), "", ChecksumType.FULL_OBJECT,
                List.of(), List.of(), Map.of(), 0, id, true, stampVersion);
    }

    public BallRecord {
        parts = List.copyOf(parts);
        slices = List.copyOf(slices);
        tags = tags == null || tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        if (revision < 0) throw new IllegalArgumentException("negative revision");
    }

    /** A committed ball without tags (revision 0). */
    public BallRecord(String ballId, long size, long createdMillis, Map<String, String> headers,
                      Map<String, String> userMetadata, Map<Digest, byte[]> digests, String etag,
                      ChecksumType checksumType, List<BallPart> parts, List<Slice> slices) {
        this(ballId, size, createdMillis, headers, userMetadata, digests, etag, checksumType, parts, slices, Map.of(), 0);
    }

    /**
     * This ball with {@code newTags} as its whole tag set and a later revision (+2, so that it wins
     * over a master-key re-wrap made from the same record, which takes +1); nothing else changes.
     */
    public BallRecord withTags(Map<String, String> newTags) {
        return new BallRecord(ballId, size, createdMillis, headers, userMetadata, digests, etag, checksumType, parts,
                slices, newTags, revision + 2, versionId, deleteMarker, stamp);
    }

    /** This ball with {@code newHeaders} as its system headers and the next revision (object lock changes). */
    public BallRecord withHeaders(Map<String, String> newHeaders) {
        return new BallRecord(ballId, size, createdMillis, newHeaders, userMetadata, digests, etag, checksumType, parts,
                slices, tags, revision + 2, versionId, deleteMarker, stamp);
    }

    /**
     * This ball with the same slices whose segments' data keys were re-wrapped (master key
     * retirement) and the next revision (+1: a tag or lock change made from the same record, +2, wins the tie).
     */
    public BallRecord withRewrappedSlices(List<Slice> rewrapped) {
        return new BallRecord(ballId, size, createdMillis, headers, userMetadata, digests, etag, checksumType, parts,
                rewrapped, tags, revision + 1, versionId, deleteMarker, stamp);
    }

    /** This ball with another ETag (SSE-C and SSE-KMS balls: not the MD5 of their data, as S3). */
    public BallRecord withEtag(String newEtag) {
        return new BallRecord(ballId, size, createdMillis, headers, userMetadata, digests, newEtag, checksumType, parts,
                slices, tags, revision, versionId, deleteMarker, stamp);
    }

    /** A single put: one segment holding the whole body. */
    public static BallRecord single(Segment segment, long createdMillis, Map<String, String> headers,
                                    Map<String, String> userMetadata, Map<Digest, byte[]> digests) {
        return single(segment, createdMillis, headers, userMetadata, digests, Map.of());
    }

    /** A single put with tags. */
    public static BallRecord single(Segment segment, long createdMillis, Map<String, String> headers,
                                    Map<String, String> userMetadata, Map<Digest, byte[]> digests,
                                    Map<String, String> tags) {
        byte[] md5 = digests.get(Digest.MD5);
        return new BallRecord(segment.id(), segment.size(), createdMillis, headers, userMetadata, digests,
                md5 == null ? "" : HexFormat.of().formatHex(md5), ChecksumType.FULL_OBJECT, List.of(),
                List.of(Slice.whole(segment)), tags, 0);
    }

    public boolean multipart() {
        return !parts.isEmpty();
    }

    /** The distinct segments the ball refers to, in first-use order. */
    public List<Segment> segments() {
        Map<String, Segment> out = new LinkedHashMap<>();
        for (Slice s : slices) out.putIfAbsent(s.segment().id(), s.segment());
        return List.copyOf(out.values());
    }

    /** The only segment of a ball made of one segment (a single put or its copies); throws otherwise. */
    public Segment soleSegment() {
        List<Segment> segs = segments();
        if (segs.size() != 1) throw new IllegalStateException("ball " + ballId + " has " + segs.size() + " segments");
        return segs.get(0);
    }

    /** Chunk count of {@link #soleSegment()}. */
    public long chunkCount() {
        return soleSegment().chunkCount();
    }

    /** Chunk id of chunk {@code index} of {@link #soleSegment()}. */
    public String chunkId(long index) {
        return soleSegment().chunkId(index);
    }

    /** The record's stored form ({@link BallRecordCodec}). */
    public byte[] encode() {
        return BallRecordCodec.encode(this);
    }

    /** A record from its stored form, any format ({@link BallRecordCodec}); UncheckedIOException when corrupt. */
    public static BallRecord decode(byte[] value) {
        return BallRecordCodec.decode(value);
    }

    public BallInfo toInfo(String bucket, String key, long version) {
        long made = stamp != 0 ? stamp : version;
        return new BallInfo(bucket, key, size, etag, Instant.ofEpochMilli(HybridClock.millis(made)), headers,
                userMetadata, digests, version, this, parts, checksumType, tags);
    }
}

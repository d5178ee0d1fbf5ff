package org.mictlanx.router.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
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

    private static final int FORMAT_V1 = 1;
    private static final int FORMAT_V2 = 2;
    /** Revision and tags; each segment followed by its inline chunk flag ({@link Segment#inline}). */
    private static final int FORMAT_V3 = 3;
    /** Format 3 plus the version fields. */
    private static final int FORMAT_V4 = 4;

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

    public static String chunkId(String segmentId, long index) {
        return segmentId + "." + index;
    }

    public byte[] encode() {
        Bin.Out out = new Bin.Out().u8(versionId == null ? FORMAT_V3 : FORMAT_V4).i64(revision).str(ballId).i64(size).i64(createdMillis).map(headers).map(userMetadata);
        writeDigests(out, digests);
        out.str(etag).u8(checksumType.ordinal()).i32(parts.size());
        for (BallPart p : parts) {
            out.i32(p.partNumber()).i64(p.offset()).i64(p.size()).str(p.etag());
            writeDigests(out, p.digests());
        }
        writeSlices(out, slices, true);
        out.map(tags);
        if (versionId != null) out.u8(deleteMarker ? 1 : 0).str(versionId).i64(stamp);
        return out.toBytes();
    }

    public static BallRecord decode(byte[] value) {
        try {
            Bin.In in = new Bin.In(value);
            int format = in.u8();
            if (format == FORMAT_V1) return decodeV1(in);
            if (format < FORMAT_V2 || format > FORMAT_V4) throw new IOException("unknown ball record format " + format);
            boolean v3 = format >= FORMAT_V3;
            long revision = v3 ? in.i64() : 0;
            if (revision < 0) throw new IOException("corrupt revision");
            String ballId = in.str();
            long size = in.i64();
            long created = in.i64();
            Map<String, String> headers = in.map();
            Map<String, String> meta = in.map();
            Map<Digest, byte[]> digests = readDigests(in);
            String etag = in.str();
            ChecksumType type = ChecksumType.values()[in.u8()];
            int np = in.i32();
            if (np < 0 || np > 10_000) throw new IOException("corrupt part count");
            List<BallPart> parts = new ArrayList<>(np);
            for (int i = 0; i < np; i++) {
                parts.add(new BallPart(in.i32(), in.i64(), in.i64(), in.str(), readDigests(in)));
            }
            List<Slice> slices = readSlices(in, v3);
            Map<String, String> tags = v3 ? in.map() : Map.of();
            if (format == FORMAT_V4) {
                boolean marker = (in.u8() & 1) != 0;
                String versionId = in.str();
                long stamp = in.i64();
                return new BallRecord(ballId, size, created, headers, meta, digests, etag, type, parts, slices, tags,
                        revision, versionId, marker, stamp);
            }
            return new BallRecord(ballId, size, created, headers, meta, digests, etag, type, parts, slices, tags, revision);
        } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new UncheckedIOException("corrupt ball record", e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static BallRecord decodeV1(Bin.In in) throws IOException {
        String ballId = in.str();
        long size = in.i64();
        int chunkSize = in.i32();
        int replication = in.i32();
        long created = in.i64();
        String keyId = in.str();
        byte[] wrapped = in.bytes();
        Map<String, String> headers = in.map();
        Map<String, String> meta = in.map();
        Map<Digest, byte[]> digests = readDigests(in);
        return single(new Segment(ballId, size, chunkSize, replication, keyId, wrapped), created, headers, meta, digests);
    }

    static void writeDigests(Bin.Out out, Map<Digest, byte[]> digests) {
        out.i32(digests.size());
        digests.forEach((d, v) -> out.str(d.name()).bytes(v));
    }

    static Map<Digest, byte[]> readDigests(Bin.In in) throws IOException {
        int nd = in.i32();
        if (nd < 0 || nd > Digest.values().length) throw new IOException("corrupt digest count");
        Map<Digest, byte[]> digests = new EnumMap<>(Digest.class);
        for (int i = 0; i < nd; i++) digests.put(Digest.valueOf(in.str()), in.bytes());
        return digests;
    }

    /**
     * Segments once each (by index), then slices as (segment index, offset, length). With
     * {@code inline}, each segment is followed by a flag byte and, if set, its inline chunk.
     */
    static void writeSlices(Bin.Out out, List<Slice> slices, boolean inline) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Segment> segs = new ArrayList<>();
        for (Slice s : slices) {
            if (index.putIfAbsent(s.segment().id(), segs.size()) == null) segs.add(s.segment());
        }
        out.i32(segs.size());
        for (Segment s : segs) {
            out.str(s.id()).i64(s.size()).i32(s.chunkSize()).i32(s.replication()).str(s.keyId()).bytes(s.wrappedKey());
            if (inline) {
                out.u8(s.isInline() ? 1 : 0);
                if (s.isInline()) out.bytes(s.inline());
            } else if (s.isInline()) {
                throw new IllegalArgumentException("inline segment " + s.id() + " in a format without inline data");
            }
        }
        out.i32(slices.size());
        for (Slice s : slices) out.i32(index.get(s.segment().id())).i64(s.offset()).i64(s.length());
    }

    static List<Slice> readSlices(Bin.In in, boolean inline) throws IOException {
        int ns = in.i32();
        if (ns < 0 || ns > 1_000_000) throw new IOException("corrupt segment count");
        List<Segment> segs = new ArrayList<>(Math.min(ns, 1024));
        for (int i = 0; i < ns; i++) {
            Segment s = new Segment(in.str(), in.i64(), in.i32(), in.i32(), in.str(), in.bytes());
            if (inline && in.u8() == 1) {
                s = new Segment(s.id(), s.size(), s.chunkSize(), s.replication(), s.keyId(), s.wrappedKey(), in.bytes());
            }
            segs.add(s);
        }
        int nl = in.i32();
        if (nl < 0 || nl > 1_000_000) throw new IOException("corrupt slice count");
        List<Slice> slices = new ArrayList<>(Math.min(nl, 1024));
        for (int i = 0; i < nl; i++) slices.add(new Slice(segs.get(in.i32()), in.i64(), in.i64()));
        return slices;
    }

    public BallInfo toInfo(String bucket, String key, long version) {
        long made = stamp != 0 ? stamp : version;
        return new BallInfo(bucket, key, size, etag, Instant.ofEpochMilli(HybridClock.millis(made)), headers,
                userMetadata, digests, version, this, parts, checksumType, tags);
    }

    /** Creation millis encoded in a ball or segment id, or -1 when {@code id} is not one of ours. */
    public static long ballIdMillis(String ballId) {
        if (ballId.length() != 24) return -1;
        try {
            return Long.parseLong(ballId, 0, 12, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The segment id of a chunk id, or null when it is not one of ours. */
    public static String ballIdOfChunk(String chunkId) {
        int dot = chunkId.indexOf('.');
        if (dot != 24) return null;
        String ballId = chunkId.substring(0, dot);
        return ballIdMillis(ballId) >= 0 ? ballId : null;
    }

    /** The chunk index of a chunk id, or -1. */
    public static long indexOfChunk(String chunkId) {
        int dot = chunkId.indexOf('.');
        try {
            return dot < 0 ? -1 : Long.parseLong(chunkId.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

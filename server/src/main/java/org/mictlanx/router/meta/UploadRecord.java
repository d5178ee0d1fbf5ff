package org.mictlanx.router.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.mictlanx.router.ChecksumType;
import org.mictlanx.router.Digest;
import org.mictlanx.router.Redundancy;
import org.mictlanx.router.UploadInfo;

/**
 * An open multipart upload, stored in partition {@link #partition(String) _mx.up.&lt;bucket&gt;} under
 * sort key {@code key NUL uploadId}: the upload id starts with its creation millis in hex, so a
 * scan lists uploads by key, then initiation. Its parts are records of partition
 * {@link #partsPartition(String)}. {@code tags} is the tag set the completed ball gets (format 2;
 * format 1 records, written before tags existed, decode with none).
 */
public record UploadRecord(String uploadId, long initiatedMillis, Map<String, String> headers,
                           Map<String, String> userMetadata, Set<Digest> algorithms, ChecksumType checksumType,
                           Map<String, String> tags, Redundancy redundancy) {

    private static final int FORMAT_V1 = 1;
    private static final int FORMAT_V2 = 2;
    /** Adds the parts' redundancy. */
    private static final int FORMAT_V3 = 3;

    public UploadRecord {
        tags = tags == null || tags.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        redundancy = redundancy == null ? Redundancy.STANDARD : redundancy;
    }

    /** An upload whose parts get STANDARD redundancy. */
    public UploadRecord(String uploadId, long initiatedMillis, Map<String, String> headers,
                        Map<String, String> userMetadata, Set<Digest> algorithms, ChecksumType checksumType,
                        Map<String, String> tags) {
        this(uploadId, initiatedMillis, headers, userMetadata, algorithms, checksumType, tags, Redundancy.STANDARD);
    }

    public static String partition(String bucket) {
        return "_mx.up." + bucket;
    }

    public static String partsPartition(String uploadId) {
        return "_mx.parts." + uploadId;
    }

    public static String sortKey(String key, String uploadId) {
        return key + "\u0000" + uploadId;
    }

    /** Sort key after every upload of {@code key} (upload ids are lower-case hex, all below 'g'). */
    public static String afterAllOf(String key) {
        return key + "\u0000g";
    }

    public static String keyOf(String sortKey) {
        return sortKey.substring(0, sortKey.lastIndexOf('\u0000'));
    }

    public static String uploadIdOf(String sortKey) {
        return sortKey.substring(sortKey.lastIndexOf('\u0000') + 1);
    }

    public byte[] encode() {
        // STANDARD uploads keep format 2, which routers that predate redundancy still read.
        boolean v3 = redundancy != Redundancy.STANDARD;
        Bin.Out out = new Bin.Out().u8(v3 ? FORMAT_V3 : FORMAT_V2).str(uploadId).i64(initiatedMillis).map(headers).map(userMetadata)
                .i32(algorithms.size());
        for (Digest d : algorithms) out.str(d.name());
        out.u8(checksumType.ordinal()).map(tags);
        return v3 ? out.u8(redundancy.ordinal()).toBytes() : out.toBytes();
    }

    public static UploadRecord decode(byte[] v) {
        try {
            Bin.In in = new Bin.In(v);
            int format = in.u8();
            if (format != FORMAT_V1 && format != FORMAT_V2 && format != FORMAT_V3) throw new IOException("unknown upload record format");
            String id = in.str();
            long init = in.i64();
            Map<String, String> h = in.map();
            Map<String, String> m = in.map();
            int n = in.i32();
            Set<Digest> algs = EnumSet.noneOf(Digest.class);
            for (int i = 0; i < n; i++) algs.add(Digest.valueOf(in.str()));
            ChecksumType type = ChecksumType.values()[in.u8()];
            Map<String, String> tags = format >= FORMAT_V2 ? in.map() : Map.of();
            Redundancy redundancy = format >= FORMAT_V3 ? Redundancy.values()[in.u8()] : Redundancy.STANDARD;
            return new UploadRecord(id, init, h, m, algs, type, tags, redundancy);
        } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new UncheckedIOException("corrupt upload record", e instanceof IOException io ? io : new IOException(e));
        }
    }

    public UploadInfo toInfo(String bucket, String key) {
        return new UploadInfo(bucket, key, uploadId, Instant.ofEpochMilli(initiatedMillis), headers, userMetadata,
                algorithms, checksumType);
    }
}

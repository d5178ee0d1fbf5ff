package org.mictlanx.router;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A committed ball as clients see it. {@code layout} is the router's own description of where
 * the ball's chunks live and how they are keyed; other modules treat it as opaque.
 *
 * @param etag         hex MD5 of the body (no quotes) for a single put; for a ball completed from
 *                     a multipart upload, hex MD5 of the concatenated binary part MD5s, then
 *                     {@code -N} (N parts). A copy keeps its source's ETag.
 * @param digests      every digest stored with the ball, raw bytes. A single put has MD5 and the
 *                     requested digests over the whole body. A multipart ball has no MD5 entry
 *                     (its ETag stands for it) and one entry per checksum algorithm of the upload,
 *                     whole-body for {@link ChecksumType#FULL_OBJECT}, the checksum of the
 *                     parts' checksums for {@link ChecksumType#COMPOSITE} (S3 appends {@code -N}).
 * @param version      the metadata record's version; changes on every overwrite
 * @param parts        the parts, in ball order, for a ball completed from a multipart upload
 *                     (their sizes add up to {@code size}); empty for any other ball
 * @param checksumType how {@code digests} relate to the body (FULL_OBJECT for a single put)
 * @param tags         the ball's tag set (S3 object tags), in stored order; replacing it
 *                     ({@link BallStore#replaceTags}) changes neither {@code version} nor the ETag
 */
public record BallInfo(String bucket, String key, long size, String etag, Instant lastModified,
                       Map<String, String> headers, Map<String, String> userMetadata,
                       Map<Digest, byte[]> digests, long version, @Nullable BallLayout layout,
                       List<BallPart> parts, ChecksumType checksumType, Map<String, String> tags) {

    public BallInfo {
        parts = parts == null ? List.of() : List.copyOf(parts);
        checksumType = checksumType == null ? ChecksumType.FULL_OBJECT : checksumType;
        tags = tags == null || tags.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }

    /** A ball without tags. */
    public BallInfo(String bucket, String key, long size, String etag, Instant lastModified,
                    Map<String, String> headers, Map<String, String> userMetadata,
                    Map<Digest, byte[]> digests, long version, @Nullable BallLayout layout,
                    List<BallPart> parts, ChecksumType checksumType) {
        this(bucket, key, size, etag, lastModified, headers, userMetadata, digests, version, layout, parts, checksumType,
                Map.of());
    }

    /** A single-put ball (no parts, FULL_OBJECT checksums). */
    public BallInfo(String bucket, String key, long size, String etag, Instant lastModified,
                    Map<String, String> headers, Map<String, String> userMetadata,
                    Map<Digest, byte[]> digests, long version, @Nullable BallLayout layout) {
        this(bucket, key, size, etag, lastModified, headers, userMetadata, digests, version, layout, List.of(),
                ChecksumType.FULL_OBJECT, Map.of());
    }

    /** Number of parts (S3 {@code x-amz-mp-parts-count}); 0 for a ball not completed from parts. */
    public int partsCount() {
        return parts.size();
    }

    /** Whether the ball was completed from a multipart upload. */
    public boolean multipart() {
        return !parts.isEmpty();
    }

    /**
     * The part at 1-based position {@code ordinal} in ball order (S3 GET/HEAD {@code partNumber}
     * addresses parts by position), or null when out of range. A ball without parts has one
     * implicit part (ordinal 1) spanning the whole body.
     */
    public @Nullable BallPart part(int ordinal) {
        if (parts.isEmpty()) {
            return ordinal == 1 ? new BallPart(1, 0, size, etag, digests) : null;
        }
        return ordinal >= 1 && ordinal <= parts.size() ? parts.get(ordinal - 1) : null;
    }

    /** The S3 version id as clients see it: {@code "null"} for a ball written while versioning was off. */
    public String versionId() {
        String id = layout == null ? null : layout.versionId();
        return id == null ? "null" : id;
    }

    /** Whether this entry is a delete marker (only ever returned by version lookups and listings). */
    public boolean deleteMarker() {
        return layout != null && layout.deleteMarker();
    }
}

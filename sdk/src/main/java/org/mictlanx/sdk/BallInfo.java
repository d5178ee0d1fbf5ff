package org.mictlanx.sdk;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a HEAD of a ball tells: its size, ETag (unquoted), content type, user metadata (names without
 * the {@code x-amz-meta-} prefix, lower-case) and the stored checksum, if any.
 *
 * @param checksumAlgorithm e.g. {@code CRC32C}, or null when the ball has no stored checksum
 * @param checksum          base64 checksum value as the server reports it (a {@code -N} suffix for composite)
 * @param checksumType      {@code FULL_OBJECT} or {@code COMPOSITE}, or null
 * @param versionId         the version id ({@code x-amz-version-id}), or null for a ball of a bucket
 *                          without versioning; reads of this ball fetch exactly this version
 */
public record BallInfo(String bucket, String key, long size, String etag, @Nullable String contentType,
                       @Nullable String lastModified, Map<String, String> metadata, @Nullable String checksumAlgorithm,
                       @Nullable String checksum, @Nullable String checksumType, @Nullable String versionId) {

    /** A ball without version id. */
    public BallInfo(String bucket, String key, long size, String etag, @Nullable String contentType,
                    @Nullable String lastModified, Map<String, String> metadata, @Nullable String checksumAlgorithm,
                    @Nullable String checksum, @Nullable String checksumType) {
        this(bucket, key, size, etag, contentType, lastModified, metadata, checksumAlgorithm, checksum, checksumType, null);
    }

    /** The query selecting this ball's version ({@code versionId=...}), or null when it has none. */
    @Nullable Map<String, String> versionQuery() {
        return versionId == null ? null : Map.of("versionId", versionId);
    }

    /** Copies the metadata map. */
    public BallInfo {
        metadata = Map.copyOf(metadata);
    }

    static BallInfo from(String bucket, String key, Transport.Response r) {
        Map<String, String> meta = new java.util.TreeMap<>();
        String alg = null;
        String sum = null;
        for (var e : r.headers().entrySet()) {
            if (e.getKey().startsWith("x-amz-meta-")) {
                meta.put(e.getKey().substring("x-amz-meta-".length()), e.getValue());
            }
            for (String a : new String[] {"crc32c", "crc32", "crc64nvme", "sha1", "sha256"}) {
                if (e.getKey().equals("x-amz-checksum-" + a) && (alg == null || a.equals("crc32c"))) {
                    alg = a.toUpperCase(java.util.Locale.ROOT);
                    sum = e.getValue();
                }
            }
        }
        String range = r.header("content-range");
        String len = range != null ? range.substring(range.lastIndexOf('/') + 1) : r.header("content-length");
        return new BallInfo(bucket, key, len == null ? -1 : Long.parseLong(len.trim()),
                unquote(r.requiredHeader("etag", "HEAD " + bucket + "/" + key)),
                r.header("content-type"), r.header("last-modified"), meta, alg, sum, r.header("x-amz-checksum-type"),
                r.header("x-amz-version-id"));
    }

    /** The ETag of a listing entry without its quotes; null (an entry without ETag) stays null. */
    static @Nullable String unquoteIfPresent(@Nullable String etag) {
        return etag == null ? null : unquote(etag);
    }

    /** The ETag without its quotes. */
    static String unquote(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}

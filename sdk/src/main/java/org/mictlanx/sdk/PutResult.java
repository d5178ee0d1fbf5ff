package org.mictlanx.sdk;

import org.jspecify.annotations.Nullable;

/**
 * A stored ball: its ETag (unquoted), size in bytes, the number of parts (0 for a single PUT) and
 * the full-object CRC32C (base64) the client computed and the server checked, and the version id
 * the server gave it ({@code x-amz-version-id}; null in a bucket without versioning).
 */
public record PutResult(String bucket, String key, String etag, long size, int parts, String crc32c,
                        @Nullable String versionId) {

    /** A result without version id. */
    public PutResult(String bucket, String key, String etag, long size, int parts, String crc32c) {
        this(bucket, key, etag, size, parts, crc32c, null);
    }
}

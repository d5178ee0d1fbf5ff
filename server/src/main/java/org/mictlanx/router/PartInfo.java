package org.mictlanx.router;

import java.time.Instant;
import java.util.Map;

/**
 * One uploaded part of an open multipart upload.
 *
 * @param etag    hex MD5 of the part's bytes (no quotes)
 * @param digests raw digests of the part's bytes: MD5, the upload's checksum algorithms, and any
 *                other digest requested for this part
 */
public record PartInfo(int partNumber, String etag, long size, Instant lastModified, Map<Digest, byte[]> digests) {
    public PartInfo {
        digests = Map.copyOf(digests);
    }
}

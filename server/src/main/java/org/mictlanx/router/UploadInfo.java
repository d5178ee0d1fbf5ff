package org.mictlanx.router;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * An open multipart upload.
 *
 * @param uploadId           opaque, URL-safe ([0-9a-f], 32 characters), unique per upload
 * @param headers            system headers the completed ball will carry
 * @param userMetadata       user metadata the completed ball will carry
 * @param checksumAlgorithms checksums computed for every part and stored (combined) with the ball
 * @param checksumType       how the ball's checksums combine the parts' ones
 */
public record UploadInfo(String bucket, String key, String uploadId, Instant initiated, Map<String, String> headers,
                         Map<String, String> userMetadata, Set<Digest> checksumAlgorithms, ChecksumType checksumType) {
    public UploadInfo {
        headers = Map.copyOf(headers);
        userMetadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(userMetadata));
        checksumAlgorithms = Set.copyOf(checksumAlgorithms);
    }
}

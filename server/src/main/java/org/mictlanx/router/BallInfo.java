package org.mictlanx.router;

import java.time.Instant;
import java.util.Map;

/**
 * A committed ball as clients see it. {@code layout} is the router's own description of where
 * the ball's chunks live and how they are keyed; other modules treat it as opaque.
 *
 * @param etag    hex MD5 of the body (no quotes) for a single put
 * @param digests every digest stored with the ball (MD5 included), raw bytes
 * @param version the metadata record's version; changes on every overwrite
 */
public record BallInfo(String bucket, String key, long size, String etag, Instant lastModified,
                       Map<String, String> headers, Map<String, String> userMetadata,
                       Map<Digest, byte[]> digests, long version, BallLayout layout) {
}

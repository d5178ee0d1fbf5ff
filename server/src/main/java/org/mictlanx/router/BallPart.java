package org.mictlanx.router;

import java.util.Map;

/**
 * One part of a ball completed from a multipart upload, in ball order.
 *
 * @param partNumber the part number the client uploaded it under (not necessarily contiguous)
 * @param offset     where the part starts within the ball
 * @param etag       hex MD5 of the part
 * @param digests    the part's raw digests (MD5 and the upload's checksum algorithms)
 */
public record BallPart(int partNumber, long offset, long size, String etag, Map<Digest, byte[]> digests) {
    public BallPart {
        digests = Map.copyOf(digests);
    }
}

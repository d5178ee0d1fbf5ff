package org.mictlanx.router;

import java.util.OptionalLong;

/**
 * A bucket's usage as the router accounts it: {@code bytes} and {@code objects} of its stored balls,
 * {@code uploadBytes} of the parts of its open multipart uploads (stored data too: they count toward
 * the quota, as S3 counts them in a bucket's size), and its hard quota in bytes ({@code -1}: none).
 * Maintained incrementally by every router (see {@code UsageLedger}); a recount corrects drift.
 */
public record BucketUsage(String bucket, long bytes, long objects, long uploadBytes, long quotaBytes) {

    /** What the quota is checked against: stored balls and parts of open uploads. */
    public long totalBytes() {
        return bytes + uploadBytes;
    }

    public OptionalLong quota() {
        return quotaBytes < 0 ? OptionalLong.empty() : OptionalLong.of(quotaBytes);
    }
}

package org.mictlanx.s3.handler;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.lock.LockState;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;

/**
 * The Object Lock request headers of PutObject, CopyObject and CreateMultipartUpload
 * ({@code x-amz-object-lock-mode}, {@code -retain-until-date}, {@code -legal-hold}), validated with
 * S3's errors and turned into the lock entries stored with the new version's system headers. The
 * bucket default retention is applied by the router at commit when no mode is sent.
 */
final class LockHeaders {

    private LockHeaders() {
    }

    /** The lock entries a write asks for (empty when none); throws S3's error for a bad or misplaced one. */
    static Map<String, String> of(S3Request req, BucketInfo bucket, Instant now) {
        String mode = req.header(LockState.MODE);
        String until = req.header(LockState.UNTIL);
        String hold = req.header(LockState.HOLD);
        Map<String, String> out = new LinkedHashMap<>();
        if (mode == null && until == null && hold == null) return out;
        if (!bucket.objectLock().enabled()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Bucket is missing Object Lock Configuration");
        }
        if (mode != null || until != null) {
            if (mode == null || until == null) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                        "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
            }
            out.put(LockState.MODE, mode(mode));
            out.put(LockState.UNTIL, futureDate(until, now).toString());
        }
        if (hold != null) out.put(LockState.HOLD, legalHold(hold, S3ErrorCode.INVALID_ARGUMENT));
        return out;
    }

    /** {@code headers} with the source's lock entries removed and {@code lock} added. */
    static Map<String, String> apply(Map<String, String> headers, Map<String, String> lock) {
        Map<String, String> out = new LinkedHashMap<>(LockState.withoutLock(headers));
        out.putAll(lock);
        return out;
    }

    /**
     * S3 requires an integrity header on writes carrying lock parameters (and on the lock
     * configuration calls): Content-MD5 or an {@code x-amz-checksum-*} value (header or trailer).
     */
    static void requireIntegrityHeader(S3Request req, String what) {
        if (req.header("content-md5") != null || req.header("x-amz-sdk-checksum-algorithm") != null
                || req.header("x-amz-trailer") != null) {
            return;
        }
        for (String alg : new String[] {"crc32", "crc32c", "crc64nvme", "sha1", "sha256"}) {
            if (req.header("x-amz-checksum-" + alg) != null) return;
        }
        throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                "Content-MD5 OR x-amz-checksum- HTTP header is required for " + what);
    }

    static String mode(String mode) {
        if (!LockState.GOVERNANCE.equals(mode) && !LockState.COMPLIANCE.equals(mode)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unknown wormMode directive.");
        }
        return mode;
    }

    static Instant futureDate(String date, Instant now) {
        Instant at;
        try {
            at = OffsetDateTime.parse(date.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The retain until date must be provided in ISO 8601 format");
        }
        if (!at.isAfter(now)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The retain until date must be in the future!");
        }
        return at;
    }

    static String legalHold(String status, S3ErrorCode error) {
        if (!"ON".equals(status) && !"OFF".equals(status)) {
            throw new S3Exception(error, "Legal Hold must be either of 'ON' or 'OFF'");
        }
        return status;
    }
}

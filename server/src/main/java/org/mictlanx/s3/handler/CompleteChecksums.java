package org.mictlanx.s3.handler;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mictlanx.router.ChecksumType;
import org.mictlanx.router.Digest;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.UploadInfo;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;

/**
 * The {@code x-amz-checksum-*} headers of a CompleteMultipartUpload: the checksum of the object being
 * completed (never of the XML body), full-object ({@code BASE64}) or composite ({@code BASE64-N}, N
 * the number of parts listed). Checked against the ball's final checksum before the commit: a
 * mismatch is BadDigest and nothing is committed. An algorithm the upload was not created with, or
 * an {@code x-amz-checksum-type} other than the upload's, is InvalidRequest.
 */
final class CompleteChecksums {

    private static final String PREFIX = "x-amz-checksum-";

    /** One declared object checksum; {@code parts} is the {@code -N} suffix, or null without one. */
    record Expected(Digest digest, byte[] value, Integer parts) {
    }

    private CompleteChecksums() {
    }

    /** The declared object checksums, syntax-checked (InvalidRequest when a value does not parse). */
    static List<Expected> parse(S3Request req) {
        List<Expected> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> h : req.headers().entrySet()) {
            String name = h.getKey();
            if (!name.startsWith(PREFIX) || name.equals("x-amz-checksum-type") || name.equals("x-amz-checksum-mode")
                    || name.equals("x-amz-checksum-algorithm")) {
                continue;
            }
            Digest d = Checksums.named(name.substring(PREFIX.length()));
            String value = h.getValue().get(0).trim();
            Integer parts = null;
            int dash = value.lastIndexOf('-');
            if (dash > 0) {
                try {
                    parts = Integer.parseInt(value.substring(dash + 1));
                } catch (NumberFormatException e) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Value for " + name + " header is invalid.");
                }
                value = value.substring(0, dash);
            }
            out.add(new Expected(d, Checksums.decode(value, S3ErrorCode.INVALID_REQUEST), parts));
        }
        return out;
    }

    /** Checks the declarations against the open upload (algorithm and checksum type), when it is still open. */
    static void checkAgainst(S3Request req, List<Expected> expected, UploadInfo upload) {
        String type = req.header("x-amz-checksum-type");
        if (type != null && !type.trim().toUpperCase(Locale.ROOT).equals(upload.checksumType().name())
                && !upload.checksumAlgorithms().isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The upload was created using the "
                    + upload.checksumType().name() + " checksum mode. The complete request must use the same checksum mode.");
        }
        for (Expected e : expected) {
            if (!upload.checksumAlgorithms().contains(e.digest())) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The upload was created using "
                        + (upload.checksumAlgorithms().isEmpty() ? "no" : "the "
                        + upload.checksumAlgorithms().iterator().next().name().toLowerCase(Locale.ROOT))
                        + " checksum algorithm, but the complete request specified "
                        + e.digest().name().toLowerCase(Locale.ROOT) + ".");
            }
        }
    }

    /** The verifier the router calls with the ball's final digests; {@code partCount} parts are listed. */
    static PutBall.Verifier verifier(List<Expected> expected, int partCount, ChecksumType type) {
        return computed -> {
            for (Expected e : expected) {
                byte[] actual = computed.get(e.digest());
                if (actual == null) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The upload has no "
                            + e.digest().name().toLowerCase(Locale.ROOT) + " checksum.");
                }
                boolean countOk = e.parts() == null || (type == ChecksumType.COMPOSITE && e.parts() == partCount);
                if (!countOk || !MessageDigest.isEqual(actual, e.value())) {
                    throw new S3Exception(S3ErrorCode.BAD_DIGEST,
                            "The " + e.digest().name() + " you specified did not match the calculated checksum.");
                }
            }
        };
    }
}

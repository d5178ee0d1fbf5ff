package org.mictlanx.s3.handler;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import org.mictlanx.router.ChecksumType;
import org.mictlanx.router.Digest;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.ChecksumValues;

/**
 * How stored digests are shown to S3 clients: base64 values, with the {@code -N} suffix on a
 * COMPOSITE multipart checksum (N parts), in {@code x-amz-checksum-*} headers or result XML.
 * MD5 is never shown as a checksum (it is the ETag).
 */
final class ChecksumViews {

    private ChecksumViews() {
    }

    /** The XML checksum elements of {@code digests}; {@code parts} > 0 appends {@code -parts} (COMPOSITE). */
    static ChecksumValues values(Map<Digest, byte[]> digests, int parts) {
        return new ChecksumValues(value(digests, Digest.CRC32, parts), value(digests, Digest.CRC32C, parts),
                value(digests, Digest.CRC64NVME, parts), value(digests, Digest.SHA1, parts),
                value(digests, Digest.SHA256, parts));
    }

    /** Whether {@code digests} hold any checksum besides MD5. */
    static boolean any(Map<Digest, byte[]> digests) {
        return digests.keySet().stream().anyMatch(d -> d != Digest.MD5);
    }

    /** Adds one {@code x-amz-checksum-<alg>} header per stored checksum; {@code parts} > 0 appends {@code -parts}. */
    static void headers(S3Response.Builder out, Map<Digest, byte[]> digests, int parts) {
        digests.forEach((d, v) -> {
            if (d != Digest.MD5) {
                out.header(Checksums.headerName(d), encode(v, parts));
            }
        });
    }

    /** The suffix count of a ball's checksums: its parts count when COMPOSITE, else 0. */
    static int suffix(ChecksumType type, int partsCount) {
        return type == ChecksumType.COMPOSITE ? partsCount : 0;
    }

    /** The S3 name of an algorithm, e.g. {@code CRC32C}. */
    static String algorithmName(Digest d) {
        return d.name().toUpperCase(Locale.ROOT);
    }

    private static String value(Map<Digest, byte[]> digests, Digest d, int parts) {
        byte[] v = digests.get(d);
        return v == null ? null : encode(v, parts);
    }

    private static String encode(byte[] v, int parts) {
        String b64 = Base64.getEncoder().encodeToString(v);
        return parts > 0 ? b64 + "-" + parts : b64;
    }
}

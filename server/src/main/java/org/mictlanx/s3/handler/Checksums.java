package org.mictlanx.s3.handler;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.mictlanx.router.Digest;
import org.mictlanx.router.digest.DigestComputer;
import org.mictlanx.router.PutBall;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;

/**
 * Integrity rules for request bodies, shared by every operation with a body: {@code Content-MD5}
 * (InvalidDigest / BadDigest) and {@code x-amz-checksum-*} in headers or aws-chunked trailers
 * (BadDigest). The signed {@code x-amz-content-sha256} is checked by the body stream itself
 * ({@link org.mictlanx.xolo.sigv4.SigV4Bodies}) before it reports end of stream, hence before commit. Header formats are
 * checked before any body byte is read; digests are compared after the last byte and before commit.
 */
public final class Checksums {

    private static final Map<String, Digest> BY_NAME = Map.of(
            "crc32", Digest.CRC32, "crc32c", Digest.CRC32C, "crc64nvme", Digest.CRC64NVME,
            "sha1", Digest.SHA1, "sha256", Digest.SHA256);
    private static final String PREFIX = "x-amz-checksum-";
    /** Headers under the checksum prefix that name no digest value. */
    private static final Set<String> NOT_DIGESTS = Set.of("x-amz-checksum-type", "x-amz-checksum-mode",
            "x-amz-checksum-algorithm");

    private Checksums() {
    }

    /** Validates digest headers; returns the digests to compute besides MD5. */
    public static Set<Digest> precheck(S3Request req) {
        String md5 = req.header("content-md5");
        if (md5 != null && decode(md5, S3ErrorCode.INVALID_DIGEST).length != 16) {
            throw new S3Exception(S3ErrorCode.INVALID_DIGEST);
        }
        return requested(req);
    }

    /**
     * For a body whose {@code x-amz-checksum-*} headers describe something else: validates
     * Content-MD5 and returns the trailer algorithms to compute besides MD5.
     */
    static Set<Digest> precheckMd5(S3Request req) {
        String md5 = req.header("content-md5");
        if (md5 != null && decode(md5, S3ErrorCode.INVALID_DIGEST).length != 16) {
            throw new S3Exception(S3ErrorCode.INVALID_DIGEST);
        }
        Set<Digest> wanted = EnumSet.noneOf(Digest.class);
        String trailer = req.header("x-amz-trailer");
        if (trailer != null) {
            for (String t : trailer.split(",")) {
                String name = t.trim().toLowerCase(Locale.ROOT);
                if (name.startsWith(PREFIX)) {
                    wanted.add(named(name.substring(PREFIX.length())));
                }
            }
        }
        return wanted;
    }

    /** Content-MD5 and trailer checksums only (see {@link #precheckMd5}). */
    static void verifyMd5AndTrailers(S3Request req, Map<Digest, byte[]> computed) {
        String md5 = req.header("content-md5");
        if (md5 != null && !MessageDigest.isEqual(decode(md5, S3ErrorCode.INVALID_DIGEST), computed.get(Digest.MD5))) {
            throw new S3Exception(S3ErrorCode.BAD_DIGEST);
        }
        req.trailers().get().forEach((name, value) -> compare(name.toLowerCase(Locale.ROOT), value, computed));
    }

    /** The checksum algorithms the client named (header, SDK algorithm or trailer), validated. */
    public static Set<Digest> requested(S3Request req) {
        Set<Digest> wanted = EnumSet.noneOf(Digest.class);
        String sdk = req.header("x-amz-sdk-checksum-algorithm");
        if (sdk != null) {
            wanted.add(named(sdk.toLowerCase(Locale.ROOT)));
        }
        String trailer = req.header("x-amz-trailer");
        if (trailer != null) {
            for (String t : trailer.split(",")) {
                String name = t.trim().toLowerCase(Locale.ROOT);
                if (!name.startsWith(PREFIX)) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Unsupported trailer: " + name);
                }
                wanted.add(named(name.substring(PREFIX.length())));
            }
        }
        req.headers().forEach((name, values) -> {
            if (name.startsWith(PREFIX) && !NOT_DIGESTS.contains(name)) {
                Digest d = named(name.substring(PREFIX.length()));
                decode(values.get(0), S3ErrorCode.INVALID_REQUEST);
                wanted.add(d);
            }
        });
        return wanted;
    }

    /** The verifier the router calls with the computed digests of a body, before commit. */
    public static PutBall.Verifier verifier(S3Request req) {
        return computed -> verify(req, computed);
    }

    /** Compares every declared digest of {@code req} with {@code computed}; throws the S3 error of the first mismatch. */
    public static void verify(S3Request req, Map<Digest, byte[]> computed) {
        String md5 = req.header("content-md5");
        if (md5 != null && !MessageDigest.isEqual(decode(md5, S3ErrorCode.INVALID_DIGEST), computed.get(Digest.MD5))) {
            throw new S3Exception(S3ErrorCode.BAD_DIGEST);
        }
        req.headers().forEach((name, values) -> compare(name, values.get(0), computed));
        req.trailers().get().forEach((name, value) -> compare(name.toLowerCase(Locale.ROOT), value, computed));
    }

    /** Digests of a small body held in memory (XML request bodies): MD5 always, plus {@code digests}. */
    public static Map<Digest, byte[]> compute(byte[] body, Set<Digest> digests) {
        DigestComputer computer = new DigestComputer(digests);
        computer.update(body, 0, body.length);
        return computer.finish();
    }

    /** The header name of a checksum digest, e.g. {@code x-amz-checksum-crc32}; null for MD5. */
    public static String headerName(Digest d) {
        return d == Digest.MD5 ? null : PREFIX + d.name().toLowerCase(Locale.ROOT);
    }

    private static void compare(String name, String value, Map<Digest, byte[]> computed) {
        if (!name.startsWith(PREFIX) || NOT_DIGESTS.contains(name)) {
            return;
        }
        Digest d = named(name.substring(PREFIX.length()));
        byte[] actual = computed.get(d);
        if (actual == null || !MessageDigest.isEqual(decode(value, S3ErrorCode.INVALID_REQUEST), actual)) {
            throw new S3Exception(S3ErrorCode.BAD_DIGEST,
                    "The " + d.name() + " you specified did not match the calculated checksum.");
        }
    }

    /** The digest of an algorithm name as S3 spells it (CRC32, crc32c, SHA256, ...); InvalidRequest otherwise. */
    public static Digest named(String algorithm) {
        Digest d = BY_NAME.get(algorithm.trim().toLowerCase(Locale.ROOT));
        if (d == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Unsupported checksum algorithm: " + algorithm);
        }
        return d;
    }

    static byte[] decode(String base64, S3ErrorCode onError) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new S3Exception(onError);
        }
    }

}

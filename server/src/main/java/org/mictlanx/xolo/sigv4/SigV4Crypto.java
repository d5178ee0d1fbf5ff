package org.mictlanx.xolo.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.mictlanx.common.SigV4Primitives;

/**
 * The primitives of SigV4 as the guard uses them: SHA-256, HMAC-SHA256 and lower-case hex (shared
 * with the SDK through {@link SigV4Primitives}), and the verifier's own checks (hex shape,
 * constant-time comparison).
 */
public final class SigV4Crypto {

    /** Hex SHA-256 of the empty string. */
    public static final String EMPTY_SHA256 = SigV4Primitives.EMPTY_SHA256;

    private SigV4Crypto() {
    }

    public static MessageDigest sha256() {
        return SigV4Primitives.sha256();
    }

    public static String sha256Hex(byte[] data) {
        return SigV4Primitives.sha256Hex(data);
    }

    public static String sha256Hex(String utf8) {
        return SigV4Primitives.sha256Hex(utf8);
    }

    public static byte[] hmac(byte[] key, String data) {
        return SigV4Primitives.hmac(key, data);
    }

    public static String hex(byte[] bytes) {
        return SigV4Primitives.hex(bytes);
    }

    /** Whether {@code s} is exactly 64 lower- or upper-case hex digits. */
    public static boolean isHex64(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Compares two signatures in time independent of where they differ. */
    public static boolean constantTimeEquals(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }
}

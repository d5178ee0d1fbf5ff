package org.mictlanx.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The primitives of AWS Signature Version 4 that signers and verifiers share: SHA-256, HMAC-SHA256,
 * lower-case hex, the signing-key derivation, the request string to sign, the date formats and AWS's
 * URI encoding. Pure functions over the JDK's providers; thread-safe.
 */
public final class SigV4Primitives {

    /** The algorithm name of header and query signatures. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** The last element of a credential scope. */
    public static final String TERMINATOR = "aws4_request";
    /** Hex SHA-256 of the empty string. */
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** ISO 8601 basic format of x-amz-date: {@code 20130524T000000Z}. */
    public static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** The date of a credential scope: {@code 20130524}. */
    public static final DateTimeFormatter SCOPE_DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private static final HexFormat HEX = HexFormat.of();
    private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

    private SigV4Primitives() {
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** Lower-case hex SHA-256 of {@code data}. */
    public static String sha256Hex(byte[] data) {
        return HEX.formatHex(sha256().digest(data));
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code utf8}. */
    public static String sha256Hex(String utf8) {
        return sha256Hex(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 of the UTF-8 bytes of {@code data} under {@code key}. */
    public static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    /** Lower-case hex of {@code bytes}. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
    public static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] kDate = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        byte[] kRegion = hmac(kDate, region);
        byte[] kService = hmac(kRegion, service);
        return hmac(kService, TERMINATOR);
    }

    /** The scope line of a string to sign: {@code yyyyMMdd/region/service/aws4_request}. */
    public static String scope(Instant time, String region, String service) {
        return SCOPE_DATE.format(time) + "/" + region + "/" + service + "/" + TERMINATOR;
    }

    /** The string a request signs: algorithm, time, scope and the hex SHA-256 of the canonical request. */
    public static String stringToSign(Instant time, String scope, String canonicalRequest) {
        return ALGORITHM + "\n" + AMZ_DATE.format(time) + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
    }

    /**
     * AWS's URI encoding of the UTF-8 bytes of {@code s}: every byte percent-encoded (upper-case hex)
     * except the unreserved {@code A-Z a-z 0-9 - _ . ~}, and {@code /} when {@code keepSlash}.
     */
    public static String uriEncode(String s, boolean keepSlash) {
        return uriEncode(s.getBytes(StandardCharsets.UTF_8), keepSlash);
    }

    /** As {@link #uriEncode(String, boolean)} over UTF-8 bytes. */
    public static String uriEncode(byte[] utf8, boolean keepSlash) {
        StringBuilder out = new StringBuilder(utf8.length + 8);
        for (byte b : utf8) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && keepSlash)) {
                out.append((char) c);
            } else {
                out.append('%').append(UPPER_HEX[c >> 4]).append(UPPER_HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}

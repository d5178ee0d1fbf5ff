package org.mictlanx.sdk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A compact AWS Signature Version 4 signer for S3 header authentication. Every header given is
 * signed (names are lower-cased); {@code x-amz-date} and {@code x-amz-content-sha256} are added.
 * The path must already be URI-encoded the S3 way (each segment encoded once, {@code /} kept);
 * query parameters are given decoded and are encoded and sorted here. Immutable and thread-safe.
 */
public final class SigV4 {

    /** The payload hash used for bodies that are not hashed (their integrity rides on checksums). */
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    /** SHA-256 of the empty body. */
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SCOPE_DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final String accessKey;
    private final String secretKey;
    private final String region;

    /** A signer for the given credentials and region (MictlanX accepts {@code us-east-1}). */
    public SigV4(String accessKey, String secretKey, String region) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
    }

    /**
     * Returns the headers to send: the given ones plus {@code x-amz-date}, {@code x-amz-content-sha256}
     * and {@code authorization}. {@code headers} must contain {@code host}.
     */
    public Map<String, String> sign(String method, String encodedPath, Map<String, String> query,
                                    Map<String, String> headers, String payloadHash, Instant time) {
        TreeMap<String, String> all = new TreeMap<>();
        headers.forEach((k, v) -> all.put(k.toLowerCase(Locale.ROOT), v.trim()));
        all.put("x-amz-date", AMZ_DATE.format(time));
        all.put("x-amz-content-sha256", payloadHash);
        String signedHeaders = String.join(";", all.keySet());
        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n').append(encodedPath.isEmpty() ? "/" : encodedPath).append('\n')
                .append(canonicalQuery(query)).append('\n');
        all.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
        canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        String date = SCOPE_DATE.format(time);
        String scope = date + "/" + region + "/s3/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + AMZ_DATE.format(time) + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, toSign));
        all.put("authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return all;
    }

    /** The canonical query string: each name and value encoded, sorted by name then value. */
    static String canonicalQuery(Map<String, String> query) {
        List<String> pairs = new ArrayList<>();
        query.forEach((k, v) -> pairs.add(encode(k, true) + "=" + encode(v == null ? "" : v, true)));
        pairs.sort(null);
        return String.join("&", pairs);
    }

    /** RFC 3986 encoding as S3 wants it: unreserved characters kept, {@code /} kept unless {@code slash}. */
    public static String encode(String s, boolean slash) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !slash)) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Lower-case hex SHA-256 of {@code data}. */
    public static String sha256Hex(byte[] data) {
        return hex(sha256(data));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}

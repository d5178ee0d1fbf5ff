package org.mictlanx.sdk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.mictlanx.common.SigV4Primitives;

/**
 * A compact AWS Signature Version 4 signer for S3 header authentication. Every header given is
 * signed (names are lower-cased); {@code x-amz-date} and {@code x-amz-content-sha256} are added.
 * The path must already be URI-encoded the S3 way (each segment encoded once, {@code /} kept);
 * query parameters are given decoded and are encoded and sorted here. The hashing, key derivation
 * and string to sign are the server's own ({@link SigV4Primitives}). Immutable and thread-safe.
 */
public final class SigV4 {

    /** The payload hash used for bodies that are not hashed (their integrity rides on checksums). */
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    /** SHA-256 of the empty body. */
    public static final String EMPTY_SHA256 = SigV4Primitives.EMPTY_SHA256;

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
        all.put("x-amz-date", SigV4Primitives.AMZ_DATE.format(time));
        all.put("x-amz-content-sha256", payloadHash);
        String signedHeaders = String.join(";", all.keySet());
        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n').append(encodedPath.isEmpty() ? "/" : encodedPath).append('\n')
                .append(canonicalQuery(query)).append('\n');
        all.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
        canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        String scope = SigV4Primitives.scope(time, region, "s3");
        String toSign = SigV4Primitives.stringToSign(time, scope, canonical.toString());
        byte[] key = SigV4Primitives.signingKey(secretKey, SigV4Primitives.SCOPE_DATE.format(time), region, "s3");
        String signature = SigV4Primitives.hex(SigV4Primitives.hmac(key, toSign));
        all.put("authorization", SigV4Primitives.ALGORITHM + " Credential=" + accessKey + "/" + scope
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
        return SigV4Primitives.uriEncode(s, !slash);
    }

    /** Lower-case hex SHA-256 of {@code data}. */
    public static String sha256Hex(byte[] data) {
        return SigV4Primitives.sha256Hex(data);
    }
}

package org.mictlanx.xolo.sigv2;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.mictlanx.xolo.sigv4.UriEncoding;

/**
 * The Signature Version 2 string to sign, as S3 defines it:
 * {@code VERB \n Content-MD5 \n Content-Type \n Date-or-Expires \n CanonicalizedAmzHeaders CanonicalizedResource}.
 *
 * <p>CanonicalizedAmzHeaders: every {@code x-amz-*} header, name lower-cased, sorted by name, the
 * values of one name joined by {@code ,}, folded whitespace collapsed, each as {@code name:value\n}.
 * Every {@code x-amz-*} header the request carries is in it, so none can be added or altered
 * without breaking the signature. CanonicalizedResource: {@code /bucket} (virtual-hosted requests)
 * followed by the path as sent, then the sub-resources of {@link #SUBRESOURCES} present in the
 * query, sorted by name, with their decoded values ({@code ?acl}, {@code ?partNumber=2&uploadId=x}).
 */
public final class StringToSign {

    /** The query parameters that are part of the canonical resource (S3's list, as the SDKs sign it). */
    public static final Set<String> SUBRESOURCES = Set.of("accelerate", "acl", "analytics", "cors",
            "defaultObjectAcl", "delete", "inventory", "lifecycle", "location", "logging", "metrics", "notification",
            "object-lock", "partNumber", "policy", "replication", "requestPayment", "response-cache-control",
            "response-content-disposition", "response-content-encoding", "response-content-language",
            "response-content-type", "response-expires", "restore", "select", "select-type", "storageClass",
            "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website");

    private StringToSign() {
    }

    /**
     * @param method       upper-case HTTP method
     * @param bucketPrefix {@code /bucket} for a virtual-hosted request, else empty
     * @param rawPath      the path as sent (still percent-encoded)
     * @param rawQuery     the query as sent, without '?'
     * @param headers      lower-case header names (for query auth, the query's {@code x-amz-*},
     *                     Content-MD5 and Content-Type parameters already added)
     * @param dateLine     the Date header (empty when x-amz-date is present), or the Expires value for query auth
     */
    public static String build(String method, String bucketPrefix, String rawPath, String rawQuery,
                               Map<String, List<String>> headers, String dateLine) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append('\n');
        sb.append(first(headers, "content-md5")).append('\n');
        sb.append(first(headers, "content-type")).append('\n');
        sb.append(dateLine).append('\n');
        TreeMap<String, List<String>> amz = new TreeMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-")) {
                amz.computeIfAbsent(lower, k -> new ArrayList<>()).addAll(values);
            }
        });
        amz.forEach((name, values) -> sb.append(name).append(':')
                .append(String.join(",", values.stream().map(StringToSign::fold).toList())).append('\n'));
        sb.append(bucketPrefix).append(rawPath);
        TreeMap<String, String> sub = new TreeMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String piece : rawQuery.split("&")) {
                int eq = piece.indexOf('=');
                String name = UriEncoding.decode(eq < 0 ? piece : piece.substring(0, eq), true);
                if (SUBRESOURCES.contains(name)) {
                    sub.put(name, eq < 0 ? name : name + "=" + UriEncoding.decode(piece.substring(eq + 1), true));
                }
            }
        }
        if (!sub.isEmpty()) {
            sb.append('?').append(String.join("&", sub.values()));
        }
        return sb.toString();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? "" : v.get(0).strip();
    }

    /** Trims a header value and collapses folded whitespace to one space. */
    private static String fold(String value) {
        return value.strip().replaceAll("\\s*\\r?\\n\\s*", " ");
    }
}

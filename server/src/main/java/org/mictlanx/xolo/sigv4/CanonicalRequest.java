package org.mictlanx.xolo.sigv4;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Builds the SigV4 canonical request with S3's rules: the path is taken as sent (each segment
 * decoded once and re-encoded, never normalized nor double-encoded); query parameters are
 * encoded and sorted by name then value; each signed header's values are trimmed, inner runs of
 * spaces collapsed to one, and joined with ','.
 */
public final class CanonicalRequest {

    private CanonicalRequest() {
    }

    /**
     * @param params        decoded query parameters to sign (for presigned URLs, all but X-Amz-Signature)
     * @param headers       lower-case names to values in arrival order
     * @param signedHeaders lower-case names, in the order the client listed them
     * @param payloadHash   the last line: hex SHA-256, or a keyword such as UNSIGNED-PAYLOAD
     */
    public static String build(String method, String rawPath, List<UriEncoding.Param> params,
                               Map<String, List<String>> headers, List<String> signedHeaders, String payloadHash) {
        StringBuilder out = new StringBuilder(256);
        out.append(method).append('\n');
        out.append(UriEncoding.canonicalPath(rawPath)).append('\n');
        out.append(canonicalQuery(params)).append('\n');
        for (String name : signedHeaders) {
            out.append(name).append(':').append(canonicalHeaderValue(headers.get(name))).append('\n');
        }
        out.append('\n');
        out.append(String.join(";", signedHeaders)).append('\n');
        out.append(payloadHash);
        return out.toString();
    }

    public static String canonicalQuery(List<UriEncoding.Param> params) {
        List<String[]> encoded = new ArrayList<>(params.size());
        for (UriEncoding.Param p : params) {
            encoded.add(new String[] {UriEncoding.encode(p.name()), UriEncoding.encode(p.value())});
        }
        encoded.sort(Comparator.<String[], String>comparing(e -> e[0]).thenComparing(e -> e[1]));
        StringBuilder out = new StringBuilder();
        for (String[] e : encoded) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(e[0]).append('=').append(e[1]);
        }
        return out.toString();
    }

    /** Values trimmed, sequential spaces collapsed, joined by ','; a missing header gives "". */
    public static String canonicalHeaderValue(List<String> values) {
        if (values == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(collapse(values.get(i)));
        }
        return out.toString();
    }

    private static String collapse(String value) {
        String trimmed = value.strip();
        StringBuilder out = new StringBuilder(trimmed.length());
        boolean space = false;
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == ' ' || c == '\t') {
                if (!space) {
                    out.append(' ');
                }
                space = true;
            } else {
                out.append(c);
                space = false;
            }
        }
        return out.toString();
    }
}

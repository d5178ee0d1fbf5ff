package org.mictlanx.xolo.sigv4;

import java.util.List;
import java.util.Map;

/**
 * A request as it arrived on the wire, as much as SigV4 needs of it. No servlet types.
 *
 * @param method   the HTTP method, upper case
 * @param rawPath  the path exactly as sent (still percent-encoded), e.g. {@code /bucket/a%20b}
 * @param rawQuery the query string exactly as sent, without '?', or empty
 * @param headers  header names in lower case, each with its values in arrival order
 */
public record SigV4Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

    /** The first value of a header (name in any case), or null. */
    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}

package org.mictlanx.s3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.mictlanx.xolo.sigv4.PresignedQueryParser;
import org.mictlanx.xolo.sigv4.UriEncoding;

/**
 * The {@code x-amz-*} request headers a presigned URL carries in its query (e.g.
 * {@code ?x-amz-meta-a=1&x-amz-tagging=k%3Dv&X-Amz-Signature=...}, as presigners that hoist headers
 * into the URL produce; SigV4's X-Amz-Signature or SigV2's AWSAccessKeyId/Signature query auth). They
 * are signed by being part of the signed query (SigV4) or of the canonical x-amz headers (SigV2, which
 * folds them in exactly as here), so the store obeys them
 * exactly as the header of that name (metadata, tagging, copy source, checksums, refused features
 * alike). A name given both as a header and as a query parameter is refused ({@code InvalidRequest}):
 * the request would be ambiguous. The SigV4 parameters themselves ({@code X-Amz-Algorithm}, ...) are
 * not headers. Requests signed with the Authorization header are returned unchanged: S3 ignores
 * unknown query parameters there.
 */
final class PresignedHeaders {

    private static final Set<String> AUTH_PARAMETERS = Set.of("x-amz-algorithm", "x-amz-credential", "x-amz-date",
            "x-amz-expires", "x-amz-signedheaders", "x-amz-signature", "x-amz-security-token",
            "x-amz-content-sha256");

    private PresignedHeaders() {
    }

    /**
     * @param headers lower-case header names to values, as received
     * @return {@code headers} plus the query's {@code x-amz-*} parameters of a presigned URL
     */
    static Map<String, List<String>> withQueryHeaders(Map<String, List<String>> headers, String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return headers;
        }
        List<UriEncoding.Param> params = UriEncoding.parseQuery(rawQuery);
        if (!PresignedQueryParser.isPresigned(params) && !PresignedQueryParser.isSigV2(params)) {
            return headers;
        }
        Map<String, List<String>> out = null;
        for (UriEncoding.Param p : params) {
            String name = p.name().toLowerCase(Locale.ROOT);
            if (!name.startsWith("x-amz-") || AUTH_PARAMETERS.contains(name)) {
                continue;
            }
            if (headers.containsKey(name)) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        name + " was given both as a header and as a query parameter");
            }
            if (out == null) {
                out = new LinkedHashMap<>(headers);
            }
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(p.value());
        }
        return out == null ? headers : out;
    }
}

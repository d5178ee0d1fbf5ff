package org.mictlanx.s3.handler;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;

/**
 * Per-object website redirects ({@code x-amz-website-redirect-location}): stored with a ball's
 * system headers, returned on GET/HEAD, and answered by the website endpoint with a 301 to the
 * value. As S3: the value starts with {@code /}, {@code http://} or {@code https://} and is at most
 * 2 KB, else 400 InvalidRedirectLocation; it is unique to each object, so CopyObject never copies
 * the source's, under either metadata directive: the copy has the request's value or none.
 */
public final class WebsiteRedirects {

    /** The request/response header and the stored system header name (lower case). */
    public static final String HEADER = "x-amz-website-redirect-location";
    /** S3's limit on the value, in UTF-8 bytes. */
    static final int MAX_BYTES = 2048;

    private WebsiteRedirects() {
    }

    /** Throws 400 InvalidRedirectLocation unless {@code value} is a redirect location S3 accepts. */
    static void validate(String value) {
        if (!(value.startsWith("/") || value.startsWith("http://") || value.startsWith("https://"))) {
            throw new S3Exception(S3ErrorCode.INVALID_REDIRECT_LOCATION);
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new S3Exception(S3ErrorCode.INVALID_REDIRECT_LOCATION,
                    "The website redirect location must be at most " + MAX_BYTES + " bytes long.");
        }
    }

    /** The stored redirect of a ball's system headers, or null. */
    public static String of(Map<String, String> storedHeaders) {
        return storedHeaders.get(HEADER);
    }

    /** The request's redirect location, validated, or null when it asks for none. */
    static String requested(S3Request req) {
        String v = req.header(HEADER);
        if (v == null) {
            return null;
        }
        validate(v);
        return Metadata.fromWire(v);
    }

    /**
     * A copy's system headers from the source's (COPY directive): the source's redirect dropped and
     * {@code requested} (or none) in its place.
     */
    static Map<String, String> forCopy(Map<String, String> sourceHeaders, String requested) {
        Map<String, String> out = new LinkedHashMap<>(sourceHeaders);
        out.remove(HEADER);
        if (requested != null) {
            out.put(HEADER, requested);
        }
        return out;
    }
}

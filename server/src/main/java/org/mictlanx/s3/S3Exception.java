package org.mictlanx.s3;

import java.util.Map;

/**
 * The one failure type of the front door: an S3 error code with a message and optional extra
 * headers (e.g. {@code Content-Range} on 416). Rendered by {@link ErrorRenderer} only.
 */
public final class S3Exception extends RuntimeException {

    private final S3ErrorCode code;
    private final Map<String, String> headers;
    private final Elements elements;

    /**
     * Extra elements of the XML error body, each null when absent.
     *
     * @param region           {@code <Region>}: the region the request should have been signed for
     * @param headersNotSigned {@code <HeadersNotSigned>}: the unsigned headers, comma-separated
     */
    public record Elements(String region, String headersNotSigned) {
        public static final Elements NONE = new Elements(null, null);
    }

    public S3Exception(S3ErrorCode code) {
        this(code, code.defaultMessage());
    }

    public S3Exception(S3ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public S3Exception(S3ErrorCode code, String message, Map<String, String> headers, Throwable cause) {
        this(code, message, Elements.NONE, headers, cause);
    }

    /** An error whose XML body carries extra {@code elements}. */
    public S3Exception(S3ErrorCode code, String message, Elements elements) {
        this(code, message, elements, Map.of(), null);
    }

    private S3Exception(S3ErrorCode code, String message, Elements elements, Map<String, String> headers,
                        Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.headers = Map.copyOf(headers);
        this.elements = elements;
    }

    /** Extra elements of the XML body ({@link Elements#NONE} for most errors). */
    public Elements elements() {
        return elements;
    }

    public S3ErrorCode code() {
        return code;
    }

    /** Extra response headers that belong to this error. */
    public Map<String, String> headers() {
        return headers;
    }
}

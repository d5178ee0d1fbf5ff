package org.mictlanx.s3;

import java.util.Map;

/**
 * The one failure type of the front door: an S3 error code with a message and optional extra
 * headers (e.g. {@code Content-Range} on 416). Rendered by {@link ErrorRenderer} only.
 */
public final class S3Exception extends RuntimeException {

    private final S3ErrorCode code;
    private final Map<String, String> headers;

    public S3Exception(S3ErrorCode code) {
        this(code, code.defaultMessage());
    }

    public S3Exception(S3ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public S3Exception(S3ErrorCode code, String message, Map<String, String> headers, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public S3ErrorCode code() {
        return code;
    }

    /** Extra response headers that belong to this error. */
    public Map<String, String> headers() {
        return headers;
    }
}

package org.mictlanx.xolo.sigv4;

/**
 * Why a request failed authentication. The front door maps each reason to its S3 error code; this
 * package knows nothing of S3 error rendering.
 */
public final class SigV4Exception extends RuntimeException {

    public enum Reason {
        /** No Authorization header and no X-Amz-Signature query: anonymous. */
        MISSING_AUTHENTICATION,
        /** Authorization header present but not parseable, or a wrong credential scope. */
        AUTHORIZATION_HEADER_MALFORMED,
        /** Presigned query parameters missing or malformed. */
        AUTHORIZATION_QUERY_MALFORMED,
        /** An algorithm other than AWS4-HMAC-SHA256 (SigV2 included). */
        UNSUPPORTED_ALGORITHM,
        INVALID_ACCESS_KEY_ID,
        SIGNATURE_DOES_NOT_MATCH,
        /** x-amz-date / Date missing or not parseable. */
        MISSING_OR_BAD_DATE,
        /** Request time more than 15 minutes from the server's clock. */
        REQUEST_TIME_TOO_SKEWED,
        /** Presigned URL past X-Amz-Date + X-Amz-Expires. */
        PRESIGNED_EXPIRED,
        /** X-Amz-Expires outside 1 .. 604800 seconds. */
        PRESIGNED_EXPIRES_INVALID,
        /** x-amz-content-sha256 missing on a header-signed request. */
        MISSING_CONTENT_SHA256,
        /** x-amz-content-sha256 neither 64 hex digits nor a known keyword. */
        INVALID_CONTENT_SHA256,
        /** The body does not hash to the signed x-amz-content-sha256. */
        CONTENT_SHA256_MISMATCH,
        /** An aws-chunked body that does not follow the framing, or a wrong decoded length. */
        MALFORMED_CHUNKED_BODY,
        /** An aws-chunked chunk or trailer signature that does not verify. */
        CHUNK_SIGNATURE_DOES_NOT_MATCH,
        /** x-amz-* headers (or Content-MD5 under header auth) outside SignedHeaders; detail lists them. */
        HEADERS_NOT_SIGNED,
        /** The Authorization header's credential scope names another region; detail is the expected one. */
        WRONG_REGION_HEADER,
        /** The presigned X-Amz-Credential names another region; detail is the expected one. */
        WRONG_REGION_QUERY,
        /** A Signature Version 2 Authorization header (or mix of mechanisms) that does not parse. */
        SIGV2_MALFORMED,
        /** Signature Version 2 query auth without all of AWSAccessKeyId, Signature and a valid Expires. */
        SIGV2_QUERY_INCOMPLETE,
        /** POST object authentication fields missing or malformed; detail-free, the message says which. */
        POST_FORM_INVALID
    }

    private final Reason reason;
    private final String detail;

    public SigV4Exception(Reason reason, String message) {
        this(reason, message, null);
    }

    /**
     * @param detail the machine-readable part of the failure: the comma-separated unsigned header names
     *               for {@link Reason#HEADERS_NOT_SIGNED}, the store's region for the wrong-region reasons;
     *               null otherwise
     */
    public SigV4Exception(Reason reason, String message, String detail) {
        super(message);
        this.reason = reason;
        this.detail = detail;
    }

    public Reason reason() {
        return reason;
    }

    /** See {@link #SigV4Exception(Reason, String, String)}; may be null. */
    public String detail() {
        return detail;
    }
}

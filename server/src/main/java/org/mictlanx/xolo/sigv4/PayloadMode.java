package org.mictlanx.xolo.sigv4;

/** How the request body is protected, from {@code x-amz-content-sha256} (or the presigned form). */
public enum PayloadMode {
    /** The hex SHA-256 of the body was signed; the body must hash to it. */
    SIGNED,
    /** {@code UNSIGNED-PAYLOAD}, and every presigned URL. */
    UNSIGNED,
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: aws-chunked body with per-chunk signatures. */
    STREAMING_SIGNED,
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}: as above plus a signed trailer. */
    STREAMING_SIGNED_TRAILER,
    /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: aws-chunked body, unsigned chunks, trailing checksum. */
    STREAMING_UNSIGNED_TRAILER;

    public boolean chunked() {
        return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER || this == STREAMING_UNSIGNED_TRAILER;
    }
}

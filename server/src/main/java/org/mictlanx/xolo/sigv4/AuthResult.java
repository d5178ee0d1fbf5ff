package org.mictlanx.xolo.sigv4;

import java.time.Instant;

/**
 * A verified request signature.
 *
 * @param accessKeyId    who signed
 * @param payloadMode    how the body is protected
 * @param payloadSha256  the signed hex SHA-256 of the body when {@code payloadMode == SIGNED}, else null;
 *                       the caller must check the body against it before committing anything
 * @param streaming      what is needed to verify an aws-chunked body; null unless the mode is chunked
 * @param presigned      whether the signature came from the query string
 */
public record AuthResult(String accessKeyId, PayloadMode payloadMode, String payloadSha256,
                         StreamingContext streaming, boolean presigned) {

    /**
     * Signing material for chunk signatures: the seed signature from the Authorization header, the
     * derived signing key, the request timestamp and credential scope.
     */
    public record StreamingContext(String seedSignature, byte[] signingKey, Instant requestTime, String scope) {
    }
}

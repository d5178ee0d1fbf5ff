package org.mictlanx.xolo.sigv4;

import java.time.Instant;
import java.util.List;

/**
 * What a request claims about its signature, before any check against a secret.
 *
 * @param scope         the credential scope; its service is already known to be {@code s3}
 * @param signedHeaders lower-case names in the order listed (a list without {@code host} parses; the
 *                      verifier then refuses it as HeadersNotSigned, as S3 does)
 * @param signature     64 lower-case hex digits
 * @param presignedDate X-Amz-Date of a presigned URL, else null (header form reads the headers)
 * @param expiresSeconds X-Amz-Expires of a presigned URL (1..604800), else 0
 * @param presignedPayload X-Amz-Content-Sha256 of a presigned URL, or null
 */
public record ParsedSignature(CredentialScope scope, List<String> signedHeaders, String signature,
                              Instant presignedDate, long expiresSeconds, String presignedPayload) {

    public boolean presigned() {
        return presignedDate != null;
    }

    static List<String> parseSignedHeaders(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        List<String> names = List.of(value.split(";", -1));
        for (String name : names) {
            if (name.isEmpty() || !name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
                return null;
            }
        }
        return names;
    }

    static boolean isSignature(String s) {
        return SigV4Crypto.isHex64(s) && s.equals(s.toLowerCase(java.util.Locale.ROOT));
    }
}

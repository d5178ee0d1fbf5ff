package org.mictlanx.xolo.sigv4;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the presigned-URL query: X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires
 * (1..604800 seconds), X-Amz-SignedHeaders, X-Amz-Signature and the optional X-Amz-Content-Sha256.
 */
public final class PresignedQueryParser {

    public static final long MAX_EXPIRES_SECONDS = 604_800;
    private static final List<String> REQUIRED = List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
            "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature");

    private PresignedQueryParser() {
    }

    /** Whether the query carries any SigV4 presigning parameter. */
    public static boolean isPresigned(List<UriEncoding.Param> params) {
        return params.stream().anyMatch(p -> p.name().equals("X-Amz-Signature")
                || p.name().equals("X-Amz-Algorithm") || p.name().equals("X-Amz-Credential"));
    }

    /** Whether the query is a SigV2 presigned URL (AWSAccessKeyId and Signature). */
    public static boolean isSigV2(List<UriEncoding.Param> params) {
        return params.stream().anyMatch(p -> p.name().equals("AWSAccessKeyId"))
                && params.stream().anyMatch(p -> p.name().equals("Signature"));
    }

    public static ParsedSignature parse(List<UriEncoding.Param> params) {
        Map<String, String> fields = new HashMap<>();
        for (UriEncoding.Param p : params) {
            if (p.name().startsWith("X-Amz-") && fields.put(p.name(), p.value()) != null) {
                throw malformed("repeated parameter " + p.name());
            }
        }
        String algorithm = fields.get("X-Amz-Algorithm");
        if (algorithm != null && !Signatures.ALGORITHM.equals(algorithm)) {
            throw new SigV4Exception(SigV4Exception.Reason.UNSUPPORTED_ALGORITHM,
                    "X-Amz-Algorithm must be " + Signatures.ALGORITHM + ", not " + algorithm);
        }
        for (String name : REQUIRED) {
            if (fields.get(name) == null) {
                throw malformed("missing " + name);
            }
        }
        CredentialScope scope = CredentialScope.parse(fields.get("X-Amz-Credential"));
        if (scope == null || !"s3".equals(scope.service())) {
            throw malformed("X-Amz-Credential must be AccessKeyId/yyyyMMdd/region/s3/aws4_request");
        }
        Instant date = RequestDates.parseAmzDate(fields.get("X-Amz-Date"));
        if (date == null) {
            throw malformed("X-Amz-Date must be in the ISO 8601 basic format yyyyMMdd'T'HHmmss'Z'");
        }
        long expires;
        try {
            expires = Long.parseLong(fields.get("X-Amz-Expires"));
        } catch (NumberFormatException e) {
            expires = -1;
        }
        if (expires < 1 || expires > MAX_EXPIRES_SECONDS) {
            throw new SigV4Exception(SigV4Exception.Reason.PRESIGNED_EXPIRES_INVALID,
                    "X-Amz-Expires must be between 1 and 604800 seconds");
        }
        List<String> signed = ParsedSignature.parseSignedHeaders(fields.get("X-Amz-SignedHeaders"));
        if (signed == null) {
            throw malformed("X-Amz-SignedHeaders must be lower-case names separated by ';'");
        }
        String signature = fields.get("X-Amz-Signature");
        if (!ParsedSignature.isSignature(signature)) {
            throw malformed("X-Amz-Signature must be 64 lower-case hex digits");
        }
        return new ParsedSignature(scope, signed, signature, date, expires, fields.get("X-Amz-Content-Sha256"));
    }

    private static SigV4Exception malformed(String why) {
        return new SigV4Exception(SigV4Exception.Reason.AUTHORIZATION_QUERY_MALFORMED,
                "The presigned URL's query parameters are malformed: " + why);
    }
}

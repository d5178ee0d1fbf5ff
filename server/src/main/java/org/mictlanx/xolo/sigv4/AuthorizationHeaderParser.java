package org.mictlanx.xolo.sigv4;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code Authorization: AWS4-HMAC-SHA256 Credential=AK/date/region/s3/aws4_request,
 * SignedHeaders=a;b, Signature=hex}. Any other scheme (SigV2's {@code AWS AK:sig}, SigV4a) is
 * {@code UNSUPPORTED_ALGORITHM}; a SigV4 header that does not parse is {@code AUTHORIZATION_HEADER_MALFORMED}.
 */
public final class AuthorizationHeaderParser {

    private AuthorizationHeaderParser() {
    }

    public static ParsedSignature parse(String header) {
        String value = header.strip();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (scheme.isEmpty() || scheme.contains("=")) {
            throw malformed("no signing algorithm");
        }
        if (!Signatures.ALGORITHM.equals(scheme)) {
            throw new SigV4Exception(SigV4Exception.Reason.UNSUPPORTED_ALGORITHM,
                    "unsupported authorization scheme " + scheme + "; use " + Signatures.ALGORITHM);
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : value.substring(space < 0 ? value.length() : space + 1).split(",")) {
            String field = part.strip();
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw malformed("bad component '" + field + "'");
            }
            String name = field.substring(0, eq).strip();
            if (!List.of("Credential", "SignedHeaders", "Signature").contains(name)
                    || fields.put(name, field.substring(eq + 1).strip()) != null) {
                throw malformed("unexpected or repeated component " + name);
            }
        }
        CredentialScope scope = CredentialScope.parse(fields.get("Credential"));
        if (scope == null) {
            throw malformed("the Credential must be AccessKeyId/yyyyMMdd/region/s3/aws4_request");
        }
        if (!"s3".equals(scope.service())) {
            throw malformed("the credential scope's service must be s3, not " + scope.service());
        }
        List<String> signed = ParsedSignature.parseSignedHeaders(fields.get("SignedHeaders"));
        if (signed == null) {
            throw malformed("SignedHeaders must be lower-case names separated by ';'");
        }
        String signature = fields.get("Signature");
        if (!ParsedSignature.isSignature(signature)) {
            throw malformed("the Signature must be 64 lower-case hex digits");
        }
        return new ParsedSignature(scope, signed, signature, null, 0, null);
    }

    private static SigV4Exception malformed(String why) {
        return new SigV4Exception(SigV4Exception.Reason.AUTHORIZATION_HEADER_MALFORMED,
                "The authorization header is malformed: " + why);
    }
}

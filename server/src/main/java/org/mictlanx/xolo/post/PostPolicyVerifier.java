package org.mictlanx.xolo.post;

import java.util.Map;
import java.util.Optional;

import org.mictlanx.xolo.sigv2.SigV2Verifier;
import org.mictlanx.xolo.sigv4.CredentialScope;
import org.mictlanx.xolo.sigv4.RequestDates;
import org.mictlanx.xolo.sigv4.SecretLookup;
import org.mictlanx.xolo.sigv4.SigV4Crypto;
import org.mictlanx.xolo.sigv4.SigV4Exception;
import org.mictlanx.xolo.sigv4.Signatures;

/**
 * Verifies the signature of a POST object form (browser-based upload): the signature is over the
 * base64 {@code policy} field itself. SigV4: {@code x-amz-algorithm} AWS4-HMAC-SHA256,
 * {@code x-amz-credential} naming this store's region and service s3, {@code x-amz-date} on the
 * credential's date, {@code x-amz-signature} = hex HMAC-SHA256 under the derived signing key. SigV2
 * (when enabled): {@code AWSAccessKeyId} and {@code signature} = base64 HMAC-SHA1 under the secret.
 * The policy's own expiry and conditions are the caller's to check. Throws {@link SigV4Exception}.
 */
public final class PostPolicyVerifier {

    private final SecretLookup secrets;
    private final String region;
    private final boolean sigV2;

    public PostPolicyVerifier(SecretLookup secrets, String region, boolean sigV2) {
        this.secrets = secrets;
        this.region = region;
        this.sigV2 = sigV2;
    }

    /** Whether the form carries any signature field (else it is an anonymous POST). */
    public static boolean signed(Map<String, String> fields) {
        return fields.containsKey("x-amz-signature") || fields.containsKey("signature")
                || fields.containsKey("awsaccesskeyid") || fields.containsKey("x-amz-credential");
    }

    /**
     * @param fields the form fields by lower-case name
     * @return the access key that signed the policy
     */
    public String verify(Map<String, String> fields) {
        String policy = fields.get("policy");
        if (fields.containsKey("x-amz-signature") || fields.containsKey("x-amz-credential")) {
            return verifyV4(fields, policy);
        }
        if (!sigV2) {
            throw new SigV4Exception(SigV4Exception.Reason.UNSUPPORTED_ALGORITHM, "Signature Version 2 is turned off");
        }
        String key = fields.get("awsaccesskeyid");
        String signature = fields.get("signature");
        if (key == null || signature == null) {
            throw invalid("Bucket POST must contain a field named '" + (key == null ? "AWSAccessKeyId" : "signature")
                    + "'.  If it is specified, please check the order of the fields.");
        }
        requirePolicy(policy);
        String secret = secret(key);
        if (!SigV4Crypto.constantTimeEquals(SigV2Verifier.sign(secret, policy), signature.strip())) {
            throw new SigV4Exception(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH,
                    "The request signature we calculated does not match the signature you provided");
        }
        return key;
    }

    private String verifyV4(Map<String, String> fields, String policy) {
        for (String name : new String[] {"x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"}) {
            if (fields.get(name) == null) {
                throw invalid("Bucket POST must contain a field named '" + name
                        + "'.  If it is specified, please check the order of the fields.");
            }
        }
        if (!Signatures.ALGORITHM.equals(fields.get("x-amz-algorithm").strip())) {
            throw invalid("Invalid algorithm: " + fields.get("x-amz-algorithm")
                    + "; only AWS4-HMAC-SHA256 is supported for POST");
        }
        CredentialScope scope = CredentialScope.parse(fields.get("x-amz-credential").strip());
        if (scope == null || !"s3".equals(scope.service())) {
            throw invalid("Invalid x-amz-credential: " + fields.get("x-amz-credential"));
        }
        if (!region.equals(scope.region())) {
            throw new SigV4Exception(SigV4Exception.Reason.WRONG_REGION_HEADER, "Invalid x-amz-credential: the region '"
                    + scope.region() + "' is wrong; expecting '" + region + "'", region);
        }
        var date = RequestDates.parseAmzDate(fields.get("x-amz-date").strip());
        if (date == null || !Signatures.SCOPE_DATE.format(date).equals(scope.date())) {
            throw invalid("Invalid x-amz-date: " + fields.get("x-amz-date"));
        }
        requirePolicy(policy);
        String secret = secret(scope.accessKeyId());
        byte[] key = Signatures.signingKey(secret, scope.date(), scope.region(), scope.service());
        String expected = SigV4Crypto.hex(SigV4Crypto.hmac(key, policy));
        if (!SigV4Crypto.constantTimeEquals(expected, fields.get("x-amz-signature").strip())) {
            throw new SigV4Exception(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH,
                    "The request signature we calculated does not match the signature you provided");
        }
        return scope.accessKeyId();
    }

    private static void requirePolicy(String policy) {
        if (policy == null || policy.isBlank()) {
            throw invalid("Bucket POST must contain a field named 'policy'.  If it is specified, please check the"
                    + " order of the fields.");
        }
    }

    private String secret(String accessKeyId) {
        Optional<String> secret = secrets.secretFor(accessKeyId);
        if (secret.isEmpty()) {
            throw new SigV4Exception(SigV4Exception.Reason.INVALID_ACCESS_KEY_ID,
                    "The AWS Access Key Id you provided does not exist in our records");
        }
        return secret.get();
    }

    private static SigV4Exception invalid(String message) {
        return new SigV4Exception(SigV4Exception.Reason.POST_FORM_INVALID, message);
    }
}

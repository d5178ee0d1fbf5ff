package org.mictlanx.s3.post;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.xolo.post.PostPolicyVerifier;
import org.mictlanx.xolo.sigv4.SigV4Exception;

/**
 * AWS's documented SigV4 POST example ("Example: Browser-based upload using HTTP POST", 2013 edition:
 * examplebucket, AKIAIOSFODNN7EXAMPLE, 20130806): its policy, form fields and signature.
 */
class PostPolicyTest {

    static final String POLICY = "eyAiZXhwaXJhdGlvbiI6ICIyMDEzLTA4LTA3VDEyOjAwOjAwLjAwMFoiLA0KI"
            + "CAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJleGFtcGxlYnVja2V0In0sD"
            + "QogICAgWyJzdGFydHMtd2l0aCIsICIka2V5IiwgInVzZXIvdXNlcjEvIl0sDQogICAge"
            + "yJhY2wiOiAicHVibGljLXJlYWQifSwNCiAgICB7InN1Y2Nlc3NfYWN0aW9uX3JlZGlyZ"
            + "WN0IjogImh0dHA6Ly9leGFtcGxlYnVja2V0LnMzLmFtYXpvbmF3cy5jb20vc3VjY2Vzc"
            + "2Z1bF91cGxvYWQuaHRtbCJ9LA0KICAgIFsic3RhcnRzLXdpdGgiLCAiJENvbnRlbnQtV"
            + "HlwZSIsICJpbWFnZS8iXSwNCiAgICB7IngtYW16LW1ldGEtdXVpZCI6ICIxNDM2NTEyM"
            + "zY1MTI3NCJ9LA0KICAgIFsic3RhcnRzLXdpdGgiLCAiJHgtYW16LW1ldGEtdGFnIiwgI"
            + "iJdLA0KDQogICAgeyJ4LWFtei1jcmVkZW50aWFsIjogIkFLSUFJT1NGT0ROTjdFWEFNU"
            + "ExFLzIwMTMwODA2L3VzLWVhc3QtMS9zMy9hd3M0X3JlcXVlc3QifSwNCiAgICB7IngtY"
            + "W16LWFsZ29yaXRobSI6ICJBV1M0LUhNQUMtU0hBMjU2In0sDQogICAgeyJ4LWFtei1kY"
            + "XRlIjogIjIwMTMwODA2VDAwMDAwMFoiIH0NCiAgXQ0KfQ==";
    static final String SIGNATURE = "21496b44de44ccb73d545f1a995c68214c9cb0d41c45a17a5daeec0b1a6db047";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant WHEN = Instant.parse("2013-08-06T10:00:00Z");

    /** The example form's fields (lower-case names) plus the bucket. */
    static Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("key", "user/user1/${filename}");
        f.put("acl", "public-read");
        f.put("success_action_redirect", "http://examplebucket.s3.amazonaws.com/successful_upload.html");
        f.put("content-type", "image/jpeg");
        f.put("x-amz-meta-uuid", "14365123651274");
        f.put("x-amz-meta-tag", "");
        f.put("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20130806/us-east-1/s3/aws4_request");
        f.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        f.put("x-amz-date", "20130806T000000Z");
        f.put("policy", POLICY);
        f.put("x-amz-signature", SIGNATURE);
        f.put("bucket", "examplebucket");
        return f;
    }

    private static PostPolicyVerifier verifier() {
        return new PostPolicyVerifier(id -> Optional.ofNullable(id.equals("AKIAIOSFODNN7EXAMPLE") ? SECRET : null),
                "us-east-1", true);
    }

    @Test
    void theDocumentedSignatureVerifies() {
        assertEquals("AKIAIOSFODNN7EXAMPLE", verifier().verify(fields()));
        Map<String, String> tampered = fields();
        tampered.put("x-amz-signature", SIGNATURE.replace('2', '3'));
        assertEquals(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH,
                assertThrows(SigV4Exception.class, () -> verifier().verify(tampered)).reason());
        Map<String, String> otherRegion = fields();
        otherRegion.put("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20130806/eu-west-1/s3/aws4_request");
        assertEquals(SigV4Exception.Reason.WRONG_REGION_HEADER,
                assertThrows(SigV4Exception.class, () -> verifier().verify(otherRegion)).reason());
    }

    /** SigV2 form: base64 HMAC-SHA1 of the policy (expected value computed independently with openssl). */
    @Test
    void signatureVersion2FormsVerifyAndCanBeTurnedOff() {
        Map<String, String> v2 = new LinkedHashMap<>();
        v2.put("key", "user/user1/a");
        v2.put("awsaccesskeyid", "AKIAIOSFODNN7EXAMPLE");
        v2.put("policy", POLICY);
        v2.put("signature", "na1COhe9jDUJQ+xJJGIckOISFsw=");
        assertEquals("AKIAIOSFODNN7EXAMPLE", verifier().verify(v2));
        v2.put("signature", "na1COhe9jDUJQ+xJJGIckOISFsX=");
        assertEquals(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH,
                assertThrows(SigV4Exception.class, () -> verifier().verify(v2)).reason());
        PostPolicyVerifier off = new PostPolicyVerifier(id -> Optional.of(SECRET), "us-east-1", false);
        assertEquals(SigV4Exception.Reason.UNSUPPORTED_ALGORITHM,
                assertThrows(SigV4Exception.class, () -> off.verify(v2)).reason());
        v2.remove("signature");
        assertEquals(SigV4Exception.Reason.POST_FORM_INVALID,
                assertThrows(SigV4Exception.class, () -> verifier().verify(v2)).reason());
    }

    @Test
    void theDocumentedFormSatisfiesItsPolicy() {
        PostPolicy policy = PostPolicy.parse(POLICY);
        assertEquals(Instant.parse("2013-08-07T12:00:00Z"), policy.expiration());
        policy.check(fields(), WHEN);
    }

    @Test
    void violationsAreAccessDeniedWithS3sMessages() {
        PostPolicy policy = PostPolicy.parse(POLICY);
        S3Exception expired = assertThrows(S3Exception.class, () -> policy.check(fields(), Instant.parse("2013-08-08T00:00:00Z")));
        assertEquals(S3ErrorCode.ACCESS_DENIED, expired.code());
        assertEquals("Invalid according to Policy: Policy expired.", expired.getMessage());
        Map<String, String> key = fields();
        key.put("key", "user/user2/x");
        assertEquals("Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", \"user/user1/\"]",
                assertThrows(S3Exception.class, () -> policy.check(key, WHEN)).getMessage());
        Map<String, String> type = fields();
        type.put("content-type", "text/html");
        assertTrue(assertThrows(S3Exception.class, () -> policy.check(type, WHEN)).getMessage().contains("$Content-Type"));
        Map<String, String> extra = fields();
        extra.put("x-amz-meta-extra", "1");
        assertEquals("Invalid according to Policy: Extra input fields: x-amz-meta-extra",
                assertThrows(S3Exception.class, () -> policy.check(extra, WHEN)).getMessage());
        Map<String, String> ignored = fields();
        ignored.put("x-ignore-submit", "Upload");
        policy.check(ignored, WHEN);
        Map<String, String> missing = fields();
        missing.remove("x-amz-meta-uuid");
        assertThrows(S3Exception.class, () -> policy.check(missing, WHEN));
    }

    @Test
    void malformedPoliciesAreInvalidPolicyDocument() {
        for (String json : new String[] {"not json", "{\"conditions\": []}", "{\"expiration\": \"tomorrow\", \"conditions\": []}",
                "{\"expiration\": \"2030-01-01T00:00:00Z\"}",
                "{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"in\", \"$key\", \"a\"]]}",
                "{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"content-length-range\", 10, 1]]}",
                "{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [{\"a\": \"1\", \"b\": \"2\"}]}"}) {
            String b64 = java.util.Base64.getEncoder().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(S3ErrorCode.INVALID_POLICY_DOCUMENT,
                    assertThrows(S3Exception.class, () -> PostPolicy.parse(b64)).code(), json);
        }
    }
}

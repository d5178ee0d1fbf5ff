package org.mictlanx.xolo.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The evaluator against the examples of AWS's documentation ("Examples of Amazon S3 bucket
 * policies", "Policy evaluation logic", "The difference between explicit and implicit denies"),
 * each with the decision AWS documents for it.
 */
class PolicyEvaluatorTest {

    private static final String B = "amzn-s3-demo-bucket";
    private final PolicyParser parser = new PolicyParser();
    private final PolicyEvaluator evaluator = new PolicyEvaluator();
    private final Caller alice = Caller.user("alice", "AKIAALICE00000000000");
    private final Caller bob = Caller.user("bob", "AKIABOB0000000000000");

    private Policy bucketPolicy(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), new PolicyParser.Kind.Bucket(B));
    }

    private Policy userPolicy(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), new PolicyParser.Kind.Identity());
    }

    /** Condition keys from pairs; the caller's aws:username / aws:userid as the front door gives them. */
    private static ConditionKeys keys(Caller c, String... pairs) {
        Map<String, List<String>> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i].toLowerCase(), List.of(pairs[i + 1]));
        }
        if (c.kind() == Caller.Kind.USER) {
            m.put("aws:username", List.of(c.user()));
        }
        m.put("aws:userid", List.of(c.userId()));
        return key -> m.get(key.toLowerCase());
    }

    private Decision eval(Policy p, Caller c, String action, String resource, String... pairs) {
        return evaluator.evaluate(p, c, action, resource, keys(c, pairs));
    }

    @Test
    void grantReadOnlyPermissionToAnonymousUsers() {
        Policy p = bucketPolicy("""
                {"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*",
                 "Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":["arn:aws:s3:::%s/*"]}]}""".formatted(B));
        assertEquals(Decision.ALLOW, eval(p, Caller.ANONYMOUS, "s3:GetObject", "arn:aws:s3:::" + B + "/photo.jpg"));
        assertEquals(Decision.ALLOW, eval(p, bob, "s3:GetObject", "arn:aws:s3:::" + B + "/a/b"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, Caller.ANONYMOUS, "s3:PutObject", "arn:aws:s3:::" + B + "/photo.jpg"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, Caller.ANONYMOUS, "s3:ListBucket", "arn:aws:s3:::" + B));
        assertTrue(PublicPolicies.isPublic(p));
    }

    @Test
    void denyRequestsThatDoNotUseHttps() {
        Policy p = bucketPolicy("""
                {"Version":"2012-10-17","Statement":[{"Sid":"RestrictToTLSRequestsOnly","Effect":"Deny","Principal":"*",
                 "Action":"s3:*","Resource":["arn:aws:s3:::%s","arn:aws:s3:::%s/*"],
                 "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""".formatted(B, B));
        assertEquals(Decision.EXPLICIT_DENY, eval(p, alice, "s3:GetObject", "arn:aws:s3:::" + B + "/k", "aws:SecureTransport", "false"));
        assertEquals(Decision.EXPLICIT_DENY, eval(p, alice, "s3:ListBucket", "arn:aws:s3:::" + B, "aws:SecureTransport", "false"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, alice, "s3:GetObject", "arn:aws:s3:::" + B + "/k", "aws:SecureTransport", "true"));
        assertFalse(PublicPolicies.isPublic(p), "a Deny grants nothing");
    }

    @Test
    void limitAccessToSpecificIpAddresses() {
        // AWS: "Deny ... NotIpAddress aws:SourceIp 192.0.2.0/24": requests from elsewhere are denied.
        Policy p = bucketPolicy("""
                {"Version":"2012-10-17","Id":"S3PolicyId1","Statement":[{"Sid":"IPAllow","Effect":"Deny","Principal":"*",
                 "Action":"s3:*","Resource":["arn:aws:s3:::%s","arn:aws:s3:::%s/*"],
                 "Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}""".formatted(B, B));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, alice, "s3:GetObject", "arn:aws:s3:::" + B + "/k", "aws:SourceIp", "192.0.2.77"));
        assertEquals(Decision.EXPLICIT_DENY, eval(p, alice, "s3:GetObject", "arn:aws:s3:::" + B + "/k", "aws:SourceIp", "203.0.113.9"));
        Policy allow = bucketPolicy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
                 "Resource":"arn:aws:s3:::%s/*","Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}}]}"""
                .formatted(B));
        assertEquals(Decision.ALLOW, eval(allow, Caller.ANONYMOUS, "s3:GetObject", "arn:aws:s3:::" + B + "/k", "aws:SourceIp", "2001:db8::1"));
        assertEquals(Decision.IMPLICIT_DENY, eval(allow, Caller.ANONYMOUS, "s3:GetObject", "arn:aws:s3:::" + B + "/k", "aws:SourceIp", "10.0.0.1"));
        assertFalse(PublicPolicies.isPublic(allow), "pinned to fixed source addresses: not public (S3's rule)");
    }

    @Test
    void restrictAccessToASpecificHttpReferer() {
        Policy p = bucketPolicy("""
                {"Version":"2012-10-17","Statement":[{"Sid":"Allow get requests originating from www.example.com and example.com.",
                 "Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::%s/*",
                 "Condition":{"StringLike":{"aws:Referer":["http://www.example.com/*","http://example.com/*"]}}}]}""".formatted(B));
        assertEquals(Decision.ALLOW, eval(p, Caller.ANONYMOUS, "s3:GetObject", "arn:aws:s3:::" + B + "/k", "aws:Referer", "http://example.com/page"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, Caller.ANONYMOUS, "s3:GetObject", "arn:aws:s3:::" + B + "/k", "aws:Referer", "http://evil.example.net/"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, Caller.ANONYMOUS, "s3:GetObject", "arn:aws:s3:::" + B + "/k"));
    }

    @Test
    void explicitDenyOverridesAllowAndUnlistedActionsAreImplicitlyDenied() {
        // The IAM guide's AllowGetList / DenyReports example, with S3 actions.
        Policy p = userPolicy("""
                {"Version":"2012-10-17","Statement":[
                 {"Sid":"AllowGetList","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"},
                 {"Sid":"DenyTagging","Effect":"Deny","Action":"s3:*Tagging","Resource":"*"}]}""");
        assertEquals(Decision.ALLOW, eval(p, alice, "s3:GetObject", "arn:aws:s3:::x/k"));
        assertEquals(Decision.ALLOW, eval(p, alice, "s3:listbucket", "arn:aws:s3:::x"), "action names match case-insensitively");
        assertEquals(Decision.EXPLICIT_DENY, eval(p, alice, "s3:GetObjectTagging", "arn:aws:s3:::x/k"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, alice, "s3:PutObject", "arn:aws:s3:::x/k"));
    }

    @Test
    void perUserHomePrefixWithPolicyVariables() {
        Policy p = userPolicy(BuiltInPolicies.HOME_PREFIX);
        assertEquals(Decision.ALLOW, eval(p, alice, "s3:ListBucket", "arn:aws:s3:::" + B, "s3:prefix", "alice/"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, alice, "s3:ListBucket", "arn:aws:s3:::" + B, "s3:prefix", "bob/"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, alice, "s3:ListBucket", "arn:aws:s3:::" + B), "no prefix: whole bucket");
        assertEquals(Decision.ALLOW, eval(p, alice, "s3:PutObject", "arn:aws:s3:::" + B + "/alice/notes.txt"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, alice, "s3:GetObject", "arn:aws:s3:::" + B + "/bob/notes.txt"));
        assertEquals(Decision.ALLOW, eval(p, bob, "s3:GetObject", "arn:aws:s3:::" + B + "/bob/notes.txt"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, Caller.ANONYMOUS, "s3:GetObject", "arn:aws:s3:::" + B + "/anonymous/x"),
                "no aws:username: the variable matches nothing");
    }

    @Test
    void notPrincipalDeniesEveryoneElse() {
        Policy p = bucketPolicy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::000000000000:user/alice"]},
                 "Action":"s3:*","Resource":["arn:aws:s3:::%s","arn:aws:s3:::%s/*"]}]}""".formatted(B, B));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, alice, "s3:GetObject", "arn:aws:s3:::" + B + "/k"));
        assertEquals(Decision.EXPLICIT_DENY, eval(p, bob, "s3:GetObject", "arn:aws:s3:::" + B + "/k"));
        assertEquals(Decision.EXPLICIT_DENY, eval(p, Caller.ANONYMOUS, "s3:GetObject", "arn:aws:s3:::" + B + "/k"));
    }

    @Test
    void principalsByArnAccessKeyAndCanonicalId() {
        Policy p = bucketPolicy("""
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/a/*"},
                 {"Effect":"Allow","Principal":{"AWS":"AKIABOB0000000000000"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/b/*"},
                 {"Effect":"Allow","Principal":{"CanonicalUser":"%s"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/c/*"}]}"""
                .formatted(B, B, Caller.canonicalId("alice"), B));
        assertEquals(Decision.ALLOW, eval(p, alice, "s3:GetObject", "arn:aws:s3:::" + B + "/a/1"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, bob, "s3:GetObject", "arn:aws:s3:::" + B + "/a/1"));
        assertEquals(Decision.ALLOW, eval(p, bob, "s3:GetObject", "arn:aws:s3:::" + B + "/b/1"));
        assertEquals(Decision.ALLOW, eval(p, alice, "s3:GetObject", "arn:aws:s3:::" + B + "/c/1"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, Caller.ANONYMOUS, "s3:GetObject", "arn:aws:s3:::" + B + "/c/1"));
        assertFalse(PublicPolicies.isPublic(p));
    }

    @Test
    void requireBucketOwnerFullControlAndMaxKeysAndTags() {
        // "Grant cross-account permissions to upload objects while ensuring the bucket owner has full control".
        Policy acl = bucketPolicy("""
                {"Version":"2012-10-17","Statement":[{"Sid":"statement1","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},
                 "Action":"s3:PutObject","Resource":"arn:aws:s3:::%s/*",
                 "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}""".formatted(B));
        assertEquals(Decision.ALLOW, eval(acl, bob, "s3:PutObject", "arn:aws:s3:::" + B + "/k", "s3:x-amz-acl", "bucket-owner-full-control"));
        assertEquals(Decision.IMPLICIT_DENY, eval(acl, bob, "s3:PutObject", "arn:aws:s3:::" + B + "/k"));
        Policy maxKeys = bucketPolicy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::%s",
                 "Condition":{"NumericLessThanEquals":{"s3:max-keys":"10"}}}]}""".formatted(B));
        assertEquals(Decision.ALLOW, eval(maxKeys, bob, "s3:ListBucket", "arn:aws:s3:::" + B, "s3:max-keys", "10"));
        assertEquals(Decision.IMPLICIT_DENY, eval(maxKeys, bob, "s3:ListBucket", "arn:aws:s3:::" + B, "s3:max-keys", "1000"));
        // "Allow only objects with a specific tag": s3:ExistingObjectTag/environment = production.
        Policy tags = userPolicy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/*",
                 "Condition":{"StringEquals":{"s3:ExistingObjectTag/environment":"production"}}}]}""".formatted(B));
        assertEquals(Decision.ALLOW, eval(tags, alice, "s3:GetObject", "arn:aws:s3:::" + B + "/k", "s3:ExistingObjectTag/environment", "production"));
        assertEquals(Decision.IMPLICIT_DENY, eval(tags, alice, "s3:GetObject", "arn:aws:s3:::" + B + "/k", "s3:ExistingObjectTag/environment", "dev"));
    }

    @Test
    void datesIfExistsAndNegatedOperatorsOnMissingKeys() {
        Policy p = userPolicy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
                 "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2030-06-30T23:59:59Z"},
                  "StringEqualsIfExists":{"s3:x-amz-storage-class":"STANDARD"},"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}]}""");
        assertEquals(Decision.ALLOW, eval(p, alice, "s3:GetObject", "arn:aws:s3:::x/k", "aws:CurrentTime", "2026-12-03T10:00:00Z"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, alice, "s3:GetObject", "arn:aws:s3:::x/k", "aws:CurrentTime", "2031-01-01T00:00:00Z"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, alice, "s3:GetObject", "arn:aws:s3:::x/k", "aws:CurrentTime", "2026-12-03T10:00:00Z",
                "s3:x-amz-storage-class", "GLACIER"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, alice, "s3:GetObject", "arn:aws:s3:::x/k", "aws:CurrentTime", "2026-12-03T10:00:00Z",
                "s3:x-amz-server-side-encryption", "aws:kms"));
    }

    @Test
    void notActionAndNotResource() {
        Policy p = userPolicy("""
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"*"},
                 {"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::allowed","arn:aws:s3:::allowed/*"]}]}""");
        assertEquals(Decision.ALLOW, eval(p, alice, "s3:PutObject", "arn:aws:s3:::allowed/k"));
        assertEquals(Decision.IMPLICIT_DENY, eval(p, alice, "s3:DeleteObject", "arn:aws:s3:::allowed/k"));
        assertEquals(Decision.EXPLICIT_DENY, eval(p, alice, "s3:GetObject", "arn:aws:s3:::other/k"));
    }

    @Test
    void wildcards() {
        assertTrue(Wildcard.matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b/c", false));
        assertTrue(Wildcard.matches("a?c*", "abcdef", false));
        assertFalse(Wildcard.matches("a?c", "ac", false));
        assertFalse(Wildcard.matches("arn:aws:s3:::b/*", "arn:aws:s3:::B/x", false), "resources are case-sensitive");
        assertTrue(Wildcard.matches("S3:get*", "s3:GetObject", true));
        assertTrue(Wildcard.matches("*", "", false));
    }
}

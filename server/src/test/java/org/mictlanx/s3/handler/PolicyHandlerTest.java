package org.mictlanx.s3.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;
import static org.mictlanx.s3.S3Harness.ROOT;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.S3Harness;

/**
 * Bucket policies, the public access block, anonymous requests and user policies over HTTP against
 * the real router on in-process peers. Every refusal is 403 AccessDenied and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyHandlerTest {

    private static final String B = "/policed";
    private static final String PUBLIC_READ = """
            {"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*",
             "Action":"s3:GetObject","Resource":"arn:aws:s3:::policed/*"}]}""";
    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put(B, new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put(B + "/doc.txt", "hello").status());
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    @AfterEach
    void reset() {
        s3.as(ALICE).delete(B + "?policy");
        s3.as(ALICE).delete(B + "?publicAccessBlock");
        for (String p : s3.policies.users().attached("bob")) {
            s3.policies.users().detach("bob", p);
        }
    }

    @Test
    void putGetDeleteBucketPolicyAndStatus() {
        assertEquals("NoSuchBucketPolicy", s3.as(ALICE).get(B + "?policy").code());
        assertEquals("NoSuchBucketPolicy", s3.as(ALICE).get(B + "?policyStatus").code());
        assertEquals(204, s3.as(ALICE).put(B + "?policy", PUBLIC_READ).status());
        var got = s3.as(ALICE).get(B + "?policy");
        assertEquals(200, got.status());
        assertEquals(PUBLIC_READ, got.text(), "the policy as written");
        assertTrue(s3.as(ALICE).get(B + "?policyStatus").text().contains("<IsPublic>true</IsPublic>"));
        assertEquals(204, s3.as(ALICE).delete(B + "?policy").status());
        assertEquals(404, s3.as(ALICE).get(B + "?policy").status());
    }

    @Test
    void malformedPoliciesAreRefusedWithS3sMessage() {
        var r = s3.as(ALICE).put(B + "?policy", PUBLIC_READ.replace("s3:GetObject", "s3:GetObjekt"));
        assertEquals(400, r.status());
        assertEquals("MalformedPolicy", r.code());
        assertTrue(r.text().contains("<Message>Policy has invalid action</Message>"), r.text());
        assertEquals("MalformedPolicy", s3.as(ALICE).put(B + "?policy", "not json").code());
        assertEquals("NoSuchBucketPolicy", s3.as(ALICE).get(B + "?policy").code(), "nothing stored");
    }

    @Test
    void principalsMustExistInTheStore() {
        for (String unknown : new String[] {"\"arn:aws:iam::000000000000:user/nobody\"",
                "\"arn:aws:iam::111122223333:user/bob\"", "\"111122223333\"", "\"AKIANOSUCHKEY0000001\""}) {
            var r = s3.as(ALICE).put(B + "?policy", PUBLIC_READ.replace("\"Principal\":\"*\"",
                    "\"Principal\":{\"AWS\":[\"arn:aws:iam::000000000000:user/bob\"," + unknown + "]}"));
            assertEquals(400, r.status(), unknown);
            assertEquals("MalformedPolicy", r.code(), unknown);
            assertTrue(r.text().contains("<Message>Invalid principal in policy</Message>"), r.text());
        }
        assertEquals("NoSuchBucketPolicy", s3.as(ALICE).get(B + "?policy").code(), "nothing stored");
        assertEquals(204, s3.as(ALICE).put(B + "?policy", PUBLIC_READ.replace("\"Principal\":\"*\"",
                "\"Principal\":{\"AWS\":[\"arn:aws:iam::000000000000:user/bob\",\"" + BOB
                        + "\",\"000000000000\",\"arn:aws:iam::000000000000:root\"]}")).status(), "known principals");
        assertEquals(200, s3.as(BOB).get(B + "/doc.txt").status());
    }

    @Test
    void canonicalUserPrincipalsMustNameAUserOfTheStore() {
        String nobody = org.mictlanx.xolo.policy.Caller.canonicalId("nobody");
        var r = s3.as(ALICE).put(B + "?policy", PUBLIC_READ.replace("\"Principal\":\"*\"",
                "\"Principal\":{\"CanonicalUser\":\"" + nobody + "\"}"));
        assertEquals(400, r.status(), r.text());
        assertEquals("MalformedPolicy", r.code());
        assertTrue(r.text().contains("<Message>Invalid principal in policy</Message>"), r.text());
        assertEquals(204, s3.as(ALICE).put(B + "?policy", PUBLIC_READ.replace("\"Principal\":\"*\"",
                "\"Principal\":{\"CanonicalUser\":[\"" + org.mictlanx.xolo.policy.Caller.canonicalId("bob") + "\",\""
                        + org.mictlanx.xolo.policy.Caller.canonicalId("root") + "\"]}")).status(), "bob's and root's ids");
        assertEquals(200, s3.as(BOB).get(B + "/doc.txt").status(), "bob is the principal its canonical id names");
        assertEquals(204, s3.as(ALICE).delete(B + "?policy").status());
    }

    @Test
    void requestObjectTagConditionsSeeThePutObjectTaggingBody() {
        assertEquals(204, s3.as(ALICE).put(B + "?policy", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},"Action":"s3:PutObjectTagging",
                 "Resource":"arn:aws:s3:::policed/*",
                 "Condition":{"StringEquals":{"s3:RequestObjectTag/env":"prod"},
                  "ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["env","team"]}}}]}""").status());
        String prod = tagging("env", "prod", "team", "blue");
        assertEquals(200, s3.as(BOB).put(B + "/doc.txt?tagging", prod).status(), "tags from the body satisfy the condition");
        assertTrue(s3.as(ALICE).get(B + "/doc.txt?tagging").text().contains("<Value>prod</Value>"));
        assertEquals("AccessDenied", s3.as(BOB).put(B + "/doc.txt?tagging", tagging("env", "dev", "team", "blue")).code());
        assertEquals("AccessDenied", s3.as(BOB).put(B + "/doc.txt?tagging", tagging("env", "prod", "owner", "bob")).code(),
                "a tag key outside RequestObjectTagKeys");
        assertEquals("AccessDenied", s3.as(BOB).header("x-amz-tagging", "env=prod")
                .put(B + "/doc.txt?tagging", tagging("env", "dev", "team", "blue")).code(), "the header is not the tag set");
        assertEquals("AccessDenied", s3.as(BOB).put(B + "/doc.txt?tagging", "<Tagging><TagSet>").code(),
                "a refused caller learns nothing about its body");
        assertEquals("MalformedXML", s3.as(ALICE).put(B + "/doc.txt?tagging", "<Tagging><TagSet>").code());
        assertTrue(s3.as(ALICE).get(B + "/doc.txt?tagging").text().contains("<Value>prod</Value>"), "refusals changed nothing");
        s3.as(ALICE).delete(B + "/doc.txt?tagging");
    }

    private static String tagging(String k1, String v1, String k2, String v2) {
        return "<Tagging><TagSet><Tag><Key>" + k1 + "</Key><Value>" + v1 + "</Value></Tag><Tag><Key>" + k2
                + "</Key><Value>" + v2 + "</Value></Tag></TagSet></Tagging>";
    }

    @Test
    void onlyTheOwnerManagesThePolicy() {
        assertEquals("AccessDenied", s3.as(BOB).put(B + "?policy", PUBLIC_READ).code());
        assertEquals("NoSuchBucketPolicy", s3.as(ALICE).get(B + "?policy").code());
        assertEquals(204, s3.as(ROOT).put(B + "?policy", PUBLIC_READ).status(), "root may do everything");
    }

    @Test
    void anonymousRequestsAreEvaluatedAgainstTheBucketPolicy() {
        assertEquals("AccessDenied", s3.anonymous("GET", B + "/doc.txt", new byte[0]).code());
        s3.as(ALICE).put(B + "?policy", PUBLIC_READ);
        var read = s3.anonymous("GET", B + "/doc.txt", new byte[0]);
        assertEquals(200, read.status());
        assertEquals("hello", read.text());
        var write = s3.anonymous("PUT", B + "/intruder.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, write.status());
        assertEquals("AccessDenied", write.code());
        assertEquals(404, s3.as(ALICE).head(B + "/intruder.txt").status(), "a refusal changes nothing");
        assertEquals("AccessDenied", s3.anonymous("GET", B + "?list-type=2", new byte[0]).code());
        assertEquals("AccessDenied", s3.anonymous("DELETE", B + "/doc.txt", new byte[0]).code());
        assertEquals("AccessDenied", s3.anonymous("GET", "/no-such-bucket-here/k", new byte[0]).code(),
                "anonymous callers learn nothing about bucket names");
        assertEquals("AccessDenied", s3.anonymous("GET", "/", new byte[0]).code());
        s3.as(ALICE).delete(B + "?policy");
        assertEquals("AccessDenied", s3.anonymous("GET", B + "/doc.txt", new byte[0]).code());
    }

    @Test
    void anonymousUploadsWhereThePolicyAllowsThem() {
        s3.as(ALICE).put(B + "?policy", """
                {"Version":"2012-10-17","Statement":[{"Sid":"DropBox","Effect":"Allow","Principal":"*",
                 "Action":"s3:PutObject","Resource":"arn:aws:s3:::policed/incoming/*"}]}""");
        var put = s3.anonymous("PUT", B + "/incoming/form.txt", "from the web".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, put.status(), put.text());
        assertEquals("from the web", s3.as(ALICE).get(B + "/incoming/form.txt").text());
        assertEquals("AccessDenied", s3.anonymous("PUT", B + "/elsewhere.txt", "x".getBytes(StandardCharsets.UTF_8)).code());
        assertEquals("AccessDenied", s3.anonymous("GET", B + "/incoming/form.txt", new byte[0]).code());
        assertEquals(204, s3.as(ALICE).delete(B + "/incoming/form.txt").status());
    }

    @Test
    void explicitDenyBindsEvenTheOwner() {
        s3.as(ALICE).put(B + "?policy", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject",
                 "Resource":"arn:aws:s3:::policed/*"}]}""");
        assertEquals("AccessDenied", s3.as(ALICE).delete(B + "/doc.txt").code());
        assertEquals(200, s3.as(ALICE).get(B + "/doc.txt").status(), "still there; other actions still allowed");
        var batch = s3.as(ALICE).post(B + "?delete", ("<Delete><Object><Key>doc.txt</Key></Object></Delete>")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(200, batch.status());
        assertTrue(batch.text().contains("<Code>AccessDenied</Code>"), batch.text());
        assertEquals(200, s3.as(ALICE).head(B + "/doc.txt").status());
    }

    @Test
    void denyInsecureTransportOverPlainHttp() {
        s3.as(ALICE).put(B + "?policy", """
                {"Version":"2012-10-17","Statement":[{"Sid":"RestrictToTLSRequestsOnly","Effect":"Deny","Principal":"*",
                 "Action":"s3:*","Resource":["arn:aws:s3:::policed","arn:aws:s3:::policed/*"],
                 "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""");
        assertEquals("AccessDenied", s3.as(ALICE).get(B + "/doc.txt").code());
        assertEquals("AccessDenied", s3.as(ALICE).put(B + "/new.txt", "x").code());
        assertEquals(204, s3.as(ROOT).delete(B + "?policy").status(), "root undoes it");
        assertEquals(404, s3.as(ALICE).head(B + "/new.txt").status());
    }

    @Test
    void publicAccessBlockOverridesPublicPolicies() {
        assertEquals("NoSuchPublicAccessBlockConfiguration", s3.as(ALICE).get(B + "?publicAccessBlock").code());
        s3.as(ALICE).put(B + "?policy", PUBLIC_READ);
        assertEquals(200, s3.as(ALICE).put(B + "?publicAccessBlock", pab(false, true)).status());
        assertTrue(s3.as(ALICE).get(B + "?publicAccessBlock").text()
                .contains("<BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>"));
        assertEquals("AccessDenied", s3.anonymous("GET", B + "/doc.txt", new byte[0]).code(), "RestrictPublicBuckets");
        s3.as(ALICE).put(B + "?publicAccessBlock", pab(true, false));
        assertEquals(200, s3.anonymous("GET", B + "/doc.txt", new byte[0]).status());
        s3.as(ALICE).delete(B + "?policy");
        var blocked = s3.as(ALICE).put(B + "?policy", PUBLIC_READ);
        assertEquals(403, blocked.status(), "BlockPublicPolicy");
        assertEquals("AccessDenied", blocked.code());
        assertEquals("NoSuchBucketPolicy", s3.as(ALICE).get(B + "?policy").code());
        assertEquals(204, s3.as(ALICE).put(B + "?policy", PUBLIC_READ.replace("\"Principal\":\"*\"",
                "\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:user/bob\"}")).status(), "a non-public policy passes");
        assertEquals(200, s3.as(BOB).get(B + "/doc.txt").status(), "granted to bob by name");
        assertEquals(204, s3.as(ALICE).delete(B + "?publicAccessBlock").status());
        assertEquals(404, s3.as(ALICE).get(B + "?publicAccessBlock").status());
    }

    private static String pab(boolean blockPolicy, boolean restrict) {
        return "<PublicAccessBlockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls>"
                + "<BlockPublicPolicy>" + blockPolicy + "</BlockPublicPolicy>"
                + "<RestrictPublicBuckets>" + restrict + "</RestrictPublicBuckets></PublicAccessBlockConfiguration>";
    }

    @Test
    void readOnlyUserListsAndGetsButCannotWrite() {
        assertEquals("AccessDenied", s3.as(BOB).get(B + "/doc.txt").code(), "no policy: only its own buckets");
        s3.policies.users().attach("bob", "readonly");
        assertEquals(200, s3.as(BOB).get(B + "/doc.txt").status());
        assertTrue(s3.as(BOB).get(B + "?list-type=2").text().contains("<Key>doc.txt</Key>"));
        assertTrue(s3.as(BOB).get("/").text().contains("<Name>policed</Name>"), "ListBuckets shows the account's buckets");
        assertEquals("AccessDenied", s3.as(BOB).put(B + "/bob.txt", "x").code());
        assertEquals("AccessDenied", s3.as(BOB).delete(B + "/doc.txt").code());
        assertEquals("AccessDenied", s3.as(BOB).put("/bobs-own-bucket", new byte[0]).code(), "readonly cannot create buckets");
        assertEquals(404, s3.as(ALICE).head(B + "/bob.txt").status());
        assertEquals(200, s3.as(ALICE).head(B + "/doc.txt").status());
    }

    @Test
    void prefixScopedUserSeesOnlyItsPrefix() {
        s3.policies.users().attach("bob", "home-prefix");
        assertEquals(200, s3.as(BOB).put(B + "/bob/notes.txt", "mine").status());
        assertEquals("AccessDenied", s3.as(BOB).put(B + "/alice/notes.txt", "x").code());
        assertEquals("AccessDenied", s3.as(BOB).get(B + "/doc.txt").code());
        var listing = s3.as(BOB).get(B + "?list-type=2&prefix=bob/");
        assertEquals(200, listing.status());
        assertTrue(listing.text().contains("<Key>bob/notes.txt</Key>"));
        assertEquals("AccessDenied", s3.as(BOB).get(B + "?list-type=2").code());
        assertEquals("AccessDenied", s3.as(BOB).get(B + "?list-type=2&prefix=alice/").code());
        var batch = s3.as(BOB).post(B + "?delete", ("<Delete><Object><Key>bob/notes.txt</Key></Object>"
                + "<Object><Key>doc.txt</Key></Object></Delete>").getBytes(StandardCharsets.UTF_8));
        assertTrue(batch.text().contains("<Deleted><Key>bob/notes.txt</Key></Deleted>"), batch.text());
        assertTrue(batch.text().contains("<Key>doc.txt</Key><Code>AccessDenied</Code>"), batch.text());
        assertEquals(200, s3.as(ALICE).head(B + "/doc.txt").status());
    }

    @Test
    void aRecreatedBucketDoesNotInheritThePolicy() {
        assertEquals(200, s3.as(ALICE).put("/ephemeral", new byte[0]).status());
        s3.as(ALICE).put("/ephemeral?policy", PUBLIC_READ.replace("policed", "ephemeral"));
        assertEquals(204, s3.as(ALICE).delete("/ephemeral").status());
        assertEquals(200, s3.as(BOB).put("/ephemeral", new byte[0]).status());
        assertEquals("NoSuchBucketPolicy", s3.as(BOB).get("/ephemeral?policy").code());
        assertFalse(s3.as(ALICE).get("/").text().contains("<Name>ephemeral</Name>"));
    }
}

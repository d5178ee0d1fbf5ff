package org.mictlanx.s3.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;
import static org.mictlanx.s3.S3Harness.ROOT;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.S3Harness;

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BucketHandlerTest {

    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    @Test
    void createHeadLocationDelete() {
        var created = s3.as(ALICE).put("/alpha-bucket", new byte[0]);
        assertEquals(200, created.status(), created.text());
        assertEquals("/alpha-bucket", created.header("Location"));
        String requestId = created.header("x-amz-request-id");
        assertTrue(requestId != null && requestId.matches("[0-9A-F]{16}"), "S3's request id shape: " + requestId);
        assertEquals(48, java.util.Base64.getDecoder().decode(created.header("x-amz-id-2")).length, "a base64 host id");
        var head = s3.as(ALICE).head("/alpha-bucket");
        assertEquals(200, head.status());
        assertTrue(head.header("x-amz-request-id").matches("[0-9A-F]{16}"));
        assertNotEquals(requestId, head.header("x-amz-request-id"), "every request has its own id");
        assertEquals("us-east-1", head.header("x-amz-bucket-region"));
        var location = s3.as(ALICE).get("/alpha-bucket?location");
        assertEquals(200, location.status());
        assertTrue(location.text().contains("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""),
                location.text());
        assertEquals(204, s3.as(ALICE).delete("/alpha-bucket").status());
        var gone = s3.as(ALICE).head("/alpha-bucket");
        assertEquals(404, gone.status());
        assertEquals(0, gone.body().length, "HEAD errors have no body");
        assertEquals("NoSuchBucket", s3.as(ALICE).get("/alpha-bucket?location").code());
    }

    @Test
    void nameClashesAndOwnership() {
        assertEquals(200, s3.as(ALICE).put("/shared-name", new byte[0]).status());
        var again = s3.as(ALICE).put("/shared-name", new byte[0]);
        assertEquals(200, again.status(), "us-east-1: S3's legacy 200 for the owner's repeated create");
        var other = s3.as(BOB).put("/shared-name", new byte[0]);
        assertEquals(409, other.status());
        assertEquals("BucketAlreadyExists", other.code());
        var denied = s3.as(BOB).get("/shared-name?list-type=2");
        assertEquals(403, denied.status());
        assertEquals("AccessDenied", denied.code());
        assertTrue(denied.text().contains("<RequestId>" + denied.header("x-amz-request-id") + "</RequestId>"));
        assertTrue(denied.text().contains("<Resource>/shared-name</Resource>"), denied.text());
        assertEquals(403, s3.as(BOB).delete("/shared-name").status());
        assertEquals(200, s3.as(ROOT).head("/shared-name").status(), "root may act on every bucket");
    }

    @Test
    void listBucketsShowsOnlyYourOwn() {
        s3.as(ALICE).put("/alice-list-1", new byte[0]);
        s3.as(BOB).put("/bob-list-1", new byte[0]);
        String alice = s3.as(ALICE).get("/").text();
        assertTrue(alice.contains("<Name>alice-list-1</Name>"), alice);
        assertFalse(alice.contains("bob-list-1"), alice);
        assertTrue(alice.contains("<ID>" + org.mictlanx.xolo.policy.Caller.canonicalId("alice") + "</ID><DisplayName>alice</DisplayName>"), alice);
        assertTrue(alice.matches("(?s).*<CreationDate>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z</CreationDate>.*"),
                alice);
        String root = s3.as(ROOT).get("/").text();
        assertTrue(root.contains("alice-list-1") && root.contains("bob-list-1"), root);
    }

    @Test
    void bucketNameRules() {
        for (String bad : new String[] {"/ab", "/Upper-Case", "/bad_underscore", "/192.168.1.1", "/-dash",
                "/a..b", "/" + "x".repeat(64)}) {
            var r = s3.as(ALICE).put(bad, new byte[0]);
            assertEquals(400, r.status(), bad);
            assertEquals("InvalidBucketName", r.code(), bad);
        }
    }

    @Test
    void locationConstraint() {
        String ok = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>";
        assertEquals(200, s3.as(ALICE).put("/located-ok", ok).status());
        String other = ok.replace("us-east-1", "eu-west-1");
        var r = s3.as(ALICE).put("/located-bad", other);
        assertEquals(400, r.status());
        assertEquals("InvalidLocationConstraint", r.code());
        assertEquals(404, s3.as(ALICE).head("/located-bad").status(), "a rejected create leaves nothing");
        var malformed = s3.as(ALICE).put("/located-bad", "<CreateBucketConfiguration><LocationConstraint>");
        assertEquals("MalformedXML", malformed.code());
    }

    @Test
    void deleteNonEmptyBucket() {
        s3.as(ALICE).put("/full-bucket", new byte[0]);
        assertEquals(200, s3.as(ALICE).put("/full-bucket/k", "x").status());
        var r = s3.as(ALICE).delete("/full-bucket");
        assertEquals(409, r.status());
        assertEquals("BucketNotEmpty", r.code());
        assertEquals(204, s3.as(ALICE).delete("/full-bucket/k").status());
        assertEquals(204, s3.as(ALICE).delete("/full-bucket").status());
    }

    @Test
    void virtualHostedStyle() throws Exception {
        s3.as(ALICE).put("/hosted-bucket", new byte[0]);
        String hostHeader = "hosted-bucket.s3.test:" + s3.host.split(":")[1];
        String headers = s3.signedHeaderBlock(ALICE, "GET", "/", "location", hostHeader, java.util.Map.of(), new byte[0]);
        String response = s3.socket("GET /?location HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.contains("<LocationConstraint"), response);
    }
}

package org.mictlanx.s3.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.S3Harness;
import org.mictlanx.xolo.policy.Caller;

/**
 * ACLs and object ownership over HTTP: disabled under BucketOwnerEnforced (the default), evaluated
 * alongside policies otherwise; canned ACLs, grant headers and AccessControlPolicy bodies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclHandlerTest {

    private static final String BOB_ID = Caller.canonicalId("bob");
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
    void bucketOwnerEnforcedIsTheDefaultAndDisablesAcls() {
        assertEquals(200, s3.as(ALICE).put("/enforced", new byte[0]).status());
        assertTrue(s3.as(ALICE).get("/enforced?ownershipControls").text()
                .contains("<Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule>"));
        String acl = s3.as(ALICE).get("/enforced?acl").text();
        assertTrue(acl.contains("<Owner><ID>" + Caller.canonicalId("alice") + "</ID><DisplayName>alice</DisplayName></Owner>"), acl);
        assertTrue(acl.contains("xsi:type=\"CanonicalUser\""), acl);
        assertTrue(acl.contains("<Permission>FULL_CONTROL</Permission>"), acl);
        assertEquals("AccessControlListNotSupported", s3.as(ALICE).header("x-amz-acl", "public-read").put("/enforced?acl", new byte[0]).code());
        assertEquals(200, s3.as(ALICE).header("x-amz-acl", "private").put("/enforced?acl", new byte[0]).status());
        assertEquals("AccessControlListNotSupported", s3.as(ALICE).header("x-amz-grant-read", "id=\"" + BOB_ID + "\"")
                .put("/enforced/k", "x").code());
        assertEquals(404, s3.as(ALICE).head("/enforced/k").status());
        assertEquals("AccessDenied", s3.as(BOB).get("/enforced?list-type=2").code());
    }

    @Test
    void cannedPublicReadBucketUnderObjectWriter() {
        var created = s3.as(ALICE).header("x-amz-object-ownership", "ObjectWriter").header("x-amz-acl", "public-read")
                .put("/listed", new byte[0]);
        assertEquals(200, created.status(), created.text());
        assertEquals(200, s3.as(ALICE).put("/listed/k", "v").status());
        assertTrue(s3.as(ALICE).get("/listed?acl").text().contains("<URI>http://acs.amazonaws.com/groups/global/AllUsers</URI>"));
        assertEquals(200, s3.anonymous("GET", "/listed?list-type=2", new byte[0]).status(), "bucket READ lists");
        assertEquals("AccessDenied", s3.anonymous("GET", "/listed/k", new byte[0]).code(), "the ball's own ACL is private");
        assertEquals("AccessDenied", s3.anonymous("PUT", "/listed/x", "x".getBytes(StandardCharsets.UTF_8)).code());
    }

    @Test
    void objectAclGrantToASecondUser() {
        assertEquals(200, s3.as(ALICE).header("x-amz-object-ownership", "BucketOwnerPreferred").put("/granting", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/granting/report", "numbers").status());
        assertEquals("AccessDenied", s3.as(BOB).get("/granting/report").code());
        assertEquals(200, s3.as(ALICE).header("x-amz-grant-read", "id=\"" + BOB_ID + "\"").put("/granting/report?acl", new byte[0]).status());
        assertTrue(s3.as(ALICE).get("/granting/report?acl").text().contains("<ID>" + BOB_ID + "</ID>"));
        assertEquals("numbers", s3.as(BOB).get("/granting/report").text());
        assertEquals("AccessDenied", s3.as(BOB).put("/granting/report", "tampered").code());
        assertEquals("AccessDenied", s3.as(BOB).get("/granting/report?acl").code(), "READ is not READ_ACP");
        assertEquals(200, s3.as(ALICE).put("/granting/report", "v2").status());
        assertEquals("AccessDenied", s3.as(BOB).get("/granting/report").code(), "a new version is private");
        assertEquals(200, s3.as(ALICE).header("x-amz-acl", "public-read").put("/granting/public", "all").status());
        assertEquals("all", s3.anonymous("GET", "/granting/public", new byte[0]).text());
    }

    @Test
    void bucketAclBodyGrantsWriteAndPublicAccessBlockGovernsAcls() {
        assertEquals(200, s3.as(ALICE).header("x-amz-object-ownership", "BucketOwnerPreferred").put("/dropbox", new byte[0]).status());
        String body = "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>"
                + Caller.canonicalId("alice") + "</ID></Owner><AccessControlList><Grant>"
                + "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>" + BOB_ID
                + "</ID></Grantee><Permission>WRITE</Permission></Grant></AccessControlList></AccessControlPolicy>";
        var put = s3.as(ALICE).put("/dropbox?acl", body);
        assertEquals(200, put.status(), put.text());
        assertEquals(200, s3.as(BOB).put("/dropbox/from-bob", "hi").status(), "bucket WRITE");
        assertEquals("AccessDenied", s3.as(BOB).get("/dropbox?list-type=2").code());
        assertEquals("InvalidBucketAclWithObjectOwnership", s3.as(ALICE).put("/dropbox?ownershipControls",
                "<OwnershipControls><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>").code());

        assertEquals(200, s3.as(ALICE).put("/dropbox?publicAccessBlock", "<PublicAccessBlockConfiguration>"
                + "<BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlockConfiguration>").status());
        assertEquals("AccessDenied", s3.as(ALICE).header("x-amz-acl", "public-read").put("/dropbox/pub", "x").code());
        assertEquals(404, s3.as(ALICE).head("/dropbox/pub").status(), "a refusal changes nothing");
        assertEquals("AccessDenied", s3.as(ALICE).header("x-amz-acl", "public-read-write").put("/dropbox?acl", new byte[0]).code());
        assertEquals(200, s3.as(ALICE).put("/dropbox?publicAccessBlock", "<PublicAccessBlockConfiguration></PublicAccessBlockConfiguration>").status());
        assertEquals(200, s3.as(ALICE).header("x-amz-acl", "public-read").put("/dropbox/pub", "x").status());
        assertEquals(200, s3.anonymous("GET", "/dropbox/pub", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/dropbox?publicAccessBlock", "<PublicAccessBlockConfiguration>"
                + "<IgnorePublicAcls>true</IgnorePublicAcls></PublicAccessBlockConfiguration>").status());
        assertEquals("AccessDenied", s3.anonymous("GET", "/dropbox/pub", new byte[0]).code(), "IgnorePublicAcls");
    }

    @Test
    void writerOwnsItsBallsUnderObjectWriterAndBucketOwnerPreferred() {
        String aliceId = Caller.canonicalId("alice");
        String grantWrite = "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>" + aliceId
                + "</ID></Owner><AccessControlList><Grant>"
                + "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>" + BOB_ID
                + "</ID></Grantee><Permission>WRITE</Permission></Grant></AccessControlList></AccessControlPolicy>";
        assertEquals(200, s3.as(ALICE).header("x-amz-object-ownership", "ObjectWriter").put("/writers", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/writers?acl", grantWrite).status());
        assertEquals(200, s3.as(BOB).put("/writers/bobs", "mine").status());
        var acl = s3.as(BOB).get("/writers/bobs?acl");
        assertEquals(200, acl.status(), "the writer owns the ball: it may read its ACL");
        assertTrue(acl.text().contains("<Owner><ID>" + BOB_ID + "</ID>"), acl.text());
        assertEquals("mine", s3.as(BOB).get("/writers/bobs").text(), "and the ball, without any grant");
        assertEquals(200, s3.as(BOB).header("x-amz-acl", "public-read").put("/writers/bobs?acl", new byte[0]).status());
        assertTrue(s3.as(BOB).get("/writers/bobs?acl").text().contains("<Owner><ID>" + BOB_ID + "</ID>"),
                "PutObjectAcl keeps the owner");
        assertEquals(200, s3.as(ALICE).put("/writers/alices", "hers").status());
        assertTrue(s3.as(ALICE).get("/writers/alices?acl").text().contains("<Owner><ID>" + aliceId + "</ID>"));
        assertEquals("AccessDenied", s3.as(BOB).get("/writers/alices?acl").code());
        String v1 = s3.as(ALICE).get("/writers").text();
        assertTrue(v1.contains("<Key>bobs</Key>") && v1.indexOf("<ID>" + BOB_ID + "</ID>") > v1.indexOf("<Key>bobs</Key>")
                && v1.indexOf("<ID>" + aliceId + "</ID>") > v1.indexOf("<Key>alices</Key>"), v1);
        assertTrue(s3.as(ALICE).get("/writers?list-type=2&fetch-owner=true&prefix=bobs").text()
                .contains("<Owner><ID>" + BOB_ID + "</ID>"), "ListObjectsV2 fetch-owner");
        assertTrue(s3.as(ALICE).get("/writers?versions&prefix=bobs").text().contains("<ID>" + BOB_ID + "</ID>"));

        assertEquals(200, s3.as(ALICE).header("x-amz-object-ownership", "BucketOwnerPreferred").put("/preferring", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/preferring?acl", grantWrite).status());
        assertEquals(200, s3.as(BOB).put("/preferring/plain", "p").status());
        assertTrue(s3.as(BOB).get("/preferring/plain?acl").text().contains("<Owner><ID>" + BOB_ID + "</ID>"));
        assertEquals(200, s3.as(BOB).header("x-amz-acl", "bucket-owner-full-control").put("/preferring/handed", "h").status());
        assertTrue(s3.as(ALICE).get("/preferring/handed?acl").text().contains("<Owner><ID>" + aliceId + "</ID>"),
                "bucket-owner-full-control hands the ball to the bucket owner");
        assertEquals("AccessDenied", s3.as(BOB).get("/preferring/handed").code());
    }

    @Test
    void ownershipControlsLifecycleAndBadGrants() {
        assertEquals(200, s3.as(ALICE).put("/owned", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/owned?ownershipControls",
                "<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>").status());
        assertTrue(s3.as(ALICE).get("/owned?ownershipControls").text().contains("ObjectWriter"));
        assertEquals("MalformedXML", s3.as(ALICE).put("/owned?ownershipControls",
                "<OwnershipControls><Rule><ObjectOwnership>Mine</ObjectOwnership></Rule></OwnershipControls>").code());
        assertEquals(204, s3.as(ALICE).delete("/owned?ownershipControls").status());
        assertEquals("OwnershipControlsNotFoundError", s3.as(ALICE).get("/owned?ownershipControls").code());
        assertEquals("InvalidArgument", s3.as(ALICE).header("x-amz-acl", "world-writable").put("/owned?acl", new byte[0]).code());
        assertEquals("UnresolvableGrantByEmailAddress", s3.as(ALICE).header("x-amz-grant-read", "emailAddress=\"a@b.c\"")
                .put("/owned?acl", new byte[0]).code());
        assertEquals("InvalidRequest", s3.as(ALICE).header("x-amz-acl", "private").header("x-amz-grant-read", "id=\"" + BOB_ID + "\"")
                .put("/owned?acl", new byte[0]).code());
        assertEquals("AccessDenied", s3.as(BOB).put("/owned?ownershipControls",
                "<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>").code());
    }
}

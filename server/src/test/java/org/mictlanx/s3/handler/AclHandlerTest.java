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

    private static final String ALICE_ID = Caller.canonicalId("alice");

    /** An ObjectWriter bucket of alice's where bob may write (bucket WRITE by ACL). */
    private void writableByBob(String bucket) {
        assertEquals(200, s3.as(ALICE).header("x-amz-object-ownership", "ObjectWriter").put("/" + bucket, new byte[0]).status());
        assertEquals(200, s3.as(ALICE).header("x-amz-grant-write", "id=\"" + BOB_ID + "\"")
                .put("/" + bucket + "?acl", new byte[0]).status());
    }

    @Test
    void theBucketOwnerMayDeleteButNotReadBallsAnotherUserOwns() {
        writableByBob("foreign");
        assertEquals(200, s3.as(BOB).put("/foreign/bobs", "secret").status());
        assertEquals(200, s3.as(BOB).put("/foreign/bobs?tagging", "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag>"
                + "</TagSet></Tagging>").status());
        assertEquals("AccessDenied", s3.as(ALICE).get("/foreign/bobs").code(), "no implicit read for the bucket owner");
        assertEquals(403, s3.as(ALICE).head("/foreign/bobs").status());
        assertEquals("AccessDenied", s3.as(ALICE).get("/foreign/bobs?acl").code());
        assertEquals("AccessDenied", s3.as(ALICE).get("/foreign/bobs?tagging").code());
        assertEquals("AccessDenied", s3.as(ALICE).header("x-amz-object-attributes", "ETag").get("/foreign/bobs?attributes").code());
        assertEquals("AccessDenied", s3.as(ALICE).header("x-amz-acl", "private").put("/foreign/bobs?acl", new byte[0]).code());
        assertEquals("AccessDenied", s3.as(ALICE).header("x-amz-copy-source", "/foreign/bobs").put("/foreign/copy", new byte[0]).code(),
                "a copy reads its source");
        assertEquals(404, s3.as(ALICE).head("/foreign/copy").status());
        assertTrue(s3.as(ALICE).get("/foreign?list-type=2&fetch-owner=true").text().contains("<ID>" + BOB_ID + "</ID>"),
                "listing the bucket still shows it");

        assertEquals(200, s3.as(BOB).header("x-amz-grant-read", "id=\"" + ALICE_ID + "\"").put("/foreign/bobs?acl", new byte[0]).status());
        assertEquals("secret", s3.as(ALICE).get("/foreign/bobs").text(), "a READ grant of the object ACL");
        assertEquals("AccessDenied", s3.as(ALICE).get("/foreign/bobs?acl").code(), "READ is not READ_ACP");

        assertEquals(200, s3.as(BOB).header("x-amz-acl", "bucket-owner-full-control").put("/foreign/shared", "s").status());
        assertTrue(s3.as(BOB).get("/foreign/shared?acl").text().contains("<Owner><ID>" + BOB_ID + "</ID>"),
                "under ObjectWriter bucket-owner-full-control grants, it does not hand over");
        assertEquals("s", s3.as(ALICE).get("/foreign/shared").text());
        assertEquals(200, s3.as(ALICE).get("/foreign/shared?acl").status());

        assertEquals(204, s3.as(ALICE).delete("/foreign/bobs").status(), "the bucket owner may delete it");
        assertEquals(404, s3.as(ALICE).head("/foreign/bobs").status());
        assertEquals(200, s3.as(BOB).put("/foreign/over", "bob's").status());
        assertEquals(200, s3.as(ALICE).put("/foreign/over", "alice's").status(), "and overwrite it");
        assertEquals("alice's", s3.as(ALICE).get("/foreign/over").text(), "the new ball is hers");
        assertEquals("AccessDenied", s3.as(BOB).get("/foreign/over").code());

        assertEquals(204, s3.as(ALICE).delete("/foreign?ownershipControls").status());
        assertEquals(200, s3.as(BOB).put("/foreign/legacy", "l").status());
        assertTrue(s3.as(BOB).get("/foreign/legacy?acl").text().contains("<Owner><ID>" + BOB_ID + "</ID>"),
                "without ownership controls the writer owns what it writes, as on S3 before them");
        assertEquals("AccessDenied", s3.as(ALICE).get("/foreign/legacy").code());
    }

    @Test
    void anonymousWritesAreOwnedAsS3OwnsThem() {
        assertEquals(200, s3.as(ALICE).header("x-amz-object-ownership", "ObjectWriter").header("x-amz-acl", "public-read-write")
                .put("/openwriters", new byte[0]).status());
        assertEquals(200, s3.anonymous("PUT", "/openwriters/anon", "from nobody".getBytes(StandardCharsets.UTF_8)).status());
        String listing = s3.as(ALICE).get("/openwriters?list-type=2&fetch-owner=true").text();
        assertTrue(listing.contains("<Owner><ID>" + Caller.ANONYMOUS_CANONICAL_ID + "</ID><DisplayName>anonymous</DisplayName></Owner>"),
                listing);
        assertEquals("AccessDenied", s3.as(ALICE).get("/openwriters/anon").code(), "not the bucket owner's to read");
        assertEquals("from nobody", s3.anonymous("GET", "/openwriters/anon", new byte[0]).text(), "the anonymous user owns it");
        assertTrue(s3.anonymous("GET", "/openwriters/anon?acl", new byte[0]).text()
                .contains("<Owner><ID>" + Caller.ANONYMOUS_CANONICAL_ID + "</ID>"));
        assertEquals(204, s3.as(ALICE).delete("/openwriters/anon").status());

        // Under BucketOwnerEnforced (a bucket policy lets everyone put) the bucket owner owns what anyone writes.
        assertEquals(200, s3.as(ALICE).put("/enforcedinbox", new byte[0]).status());
        assertEquals(204, s3.as(ALICE).put("/enforcedinbox?policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::enforcedinbox/*\"}]}").status());
        assertEquals(200, s3.anonymous("PUT", "/enforcedinbox/drop", "d".getBytes(StandardCharsets.UTF_8)).status());
        assertTrue(s3.as(ALICE).get("/enforcedinbox/drop?acl").text().contains("<Owner><ID>" + ALICE_ID + "</ID>"));
        assertEquals("d", s3.as(ALICE).get("/enforcedinbox/drop").text());
        assertEquals("AccessDenied", s3.anonymous("GET", "/enforcedinbox/drop", new byte[0]).code());

        // Under ObjectWriter with the same policy, the anonymous user owns it.
        assertEquals(200, s3.as(ALICE).header("x-amz-object-ownership", "ObjectWriter").put("/writerinbox", new byte[0]).status());
        assertEquals(204, s3.as(ALICE).put("/writerinbox?policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::writerinbox/*\"}]}").status());
        assertEquals(200, s3.anonymous("PUT", "/writerinbox/drop", "d".getBytes(StandardCharsets.UTF_8)).status());
        assertTrue(s3.as(ALICE).get("/writerinbox?list-type=2&fetch-owner=true").text()
                .contains("<ID>" + Caller.ANONYMOUS_CANONICAL_ID + "</ID>"));
        assertEquals("AccessDenied", s3.as(ALICE).get("/writerinbox/drop").code());
    }

    @Test
    void aCompletedUploadIsOwnedByItsInitiator() {
        writableByBob("uploads");
        String created = s3.as(BOB).post("/uploads/big?uploads", new byte[0]).text();
        String uploadId = created.replaceAll("(?s).*<UploadId>([^<]+)</UploadId>.*", "$1");
        var part = s3.as(BOB).put("/uploads/big?partNumber=1&uploadId=" + uploadId, "part one");
        assertEquals(200, part.status(), part.text());
        String listed = s3.as(ALICE).get("/uploads?uploads").text();
        assertTrue(listed.contains("<Initiator><ID>arn:aws:iam::000000000000:user/bob</ID><DisplayName>bob</DisplayName></Initiator>"
                + "<Owner><ID>" + BOB_ID + "</ID><DisplayName>bob</DisplayName></Owner>"), listed);
        String parts = s3.as(BOB).get("/uploads/big?uploadId=" + uploadId).text();
        assertTrue(parts.contains("<Initiator><ID>arn:aws:iam::000000000000:user/bob</ID>") && parts.contains("<Owner><ID>" + BOB_ID),
                parts);
        String complete = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + part.header("etag")
                + "</ETag></Part></CompleteMultipartUpload>";
        var done = s3.as(ALICE).post("/uploads/big?uploadId=" + uploadId, complete.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, done.status(), "the bucket owner may complete it (s3:PutObject): " + done.text());
        assertTrue(s3.as(BOB).get("/uploads/big?acl").text().contains("<Owner><ID>" + BOB_ID + "</ID>"),
                "the initiator owns the ball, not the sender of the completion");
        assertEquals("AccessDenied", s3.as(ALICE).get("/uploads/big").code());
        assertEquals("part one", s3.as(BOB).get("/uploads/big").text());

        String mine = s3.as(ALICE).post("/uploads/hers?uploads", new byte[0]).text();
        String hersId = mine.replaceAll("(?s).*<UploadId>([^<]+)</UploadId>.*", "$1");
        String hers = s3.as(ALICE).get("/uploads?uploads").text();
        assertTrue(hers.contains("<Initiator><ID>arn:aws:iam::000000000000:user/alice</ID>") && hers.contains(hersId), hers);
        assertEquals(204, s3.as(ALICE).delete("/uploads/hers?uploadId=" + hersId).status());
    }

    @Test
    void grantsNameUsersThatExist() {
        assertEquals(200, s3.as(ALICE).header("x-amz-object-ownership", "ObjectWriter").put("/grantees", new byte[0]).status());
        String nobody = Caller.canonicalId("nobody");
        var unknown = s3.as(ALICE).header("x-amz-grant-read", "id=\"" + nobody + "\"").put("/grantees?acl", new byte[0]);
        assertEquals("InvalidArgument", unknown.code(), unknown.text());
        assertTrue(unknown.text().contains("<Message>Invalid id</Message>"), unknown.text());
        assertEquals("InvalidArgument", s3.as(ALICE).header("x-amz-grant-read", "id=\"" + nobody + "\"")
                .put("/grantees/k", "x").code(), "on object writes too");
        assertEquals(404, s3.as(ALICE).head("/grantees/k").status(), "a refusal writes nothing");
        String body = "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>" + ALICE_ID
                + "</ID></Owner><AccessControlList><Grant>"
                + "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>" + nobody
                + "</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>";
        assertEquals("InvalidArgument", s3.as(ALICE).put("/grantees?acl", body).code());
        String byEmail = body.replace("xsi:type=\"CanonicalUser\"><ID>" + nobody + "</ID>",
                "xsi:type=\"AmazonCustomerByEmail\"><EmailAddress>nobody@example.com</EmailAddress>");
        assertEquals("UnresolvableGrantByEmailAddress", s3.as(ALICE).put("/grantees?acl", byEmail).code());
        assertEquals(200, s3.as(ALICE).header("x-amz-grant-read", "id=\"" + BOB_ID + "\", uri=\"http://acs.amazonaws.com/groups/s3/LogDelivery\"")
                .put("/grantees?acl", new byte[0]).status());
        String acl = s3.as(ALICE).get("/grantees?acl").text();
        assertTrue(acl.contains("<ID>" + BOB_ID + "</ID><DisplayName>bob</DisplayName>"), "the grantee's name is shown: " + acl);
        assertTrue(acl.contains("<URI>http://acs.amazonaws.com/groups/s3/LogDelivery</URI>"), acl);
    }
}

package org.mictlanx.s3.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.S3Harness;

/** Bucket configuration reads ("not configured" replies), bucket tagging and CreateBucket outside us-east-1, over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BucketConfigurationHandlerTest {

    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put("/conf", new byte[0]).status());
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    @Test
    void unconfiguredReadsAnswerS3sErrors() {
        Map<String, String> errors = Map.of(
                "cors", "NoSuchCORSConfiguration", "website", "NoSuchWebsiteConfiguration",
                "replication", "ReplicationConfigurationNotFoundError",
                // answered by the access control handlers: nothing configured yet
                "publicAccessBlock", "NoSuchPublicAccessBlockConfiguration",
                "lifecycle", "NoSuchLifecycleConfiguration", "policy", "NoSuchBucketPolicy",
                "object-lock", "ObjectLockConfigurationNotFoundError", "tagging", "NoSuchTagSet");
        errors.forEach((q, code) -> {
            var r = s3.as(ALICE).get("/conf?" + q);
            assertEquals(404, r.status(), q);
            assertEquals(code, r.code(), q);
        });
        assertEquals("AccessDenied", s3.as(BOB).get("/conf?cors").code(), "configuration reads are the owner's");
        // New buckets are BucketOwnerEnforced, as on S3 since 2023: their ownership controls say so.
        var ownership = s3.as(ALICE).get("/conf?ownershipControls");
        assertEquals(200, ownership.status(), ownership.text());
        assertTrue(ownership.text().contains("<ObjectOwnership>BucketOwnerEnforced</ObjectOwnership>"), ownership.text());
        assertEquals("NoSuchBucket", s3.as(ALICE).get("/absent-conf?cors").code());
    }

    @Test
    void unconfiguredReadsAnswerS3sDocuments() {
        String ns = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
        assertDocument("logging", "<BucketLoggingStatus xmlns=\"http://doc.s3.amazonaws.com/2006-03-01\"/>");
        assertDocument("notification", "<NotificationConfiguration " + ns + "/>");
        assertDocument("accelerate", "<AccelerateConfiguration " + ns + "/>");
        assertDocument("versioning", "<VersioningConfiguration " + ns + "/>");
        assertDocument("requestPayment", "<RequestPaymentConfiguration " + ns + "><Payer>BucketOwner</Payer>"
                + "</RequestPaymentConfiguration>");
        assertDocument("encryption", "<ServerSideEncryptionConfiguration " + ns + "><Rule><ApplyServerSideEncryptionByDefault>"
                + "<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false"
                + "</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>");
    }

    private void assertDocument(String query, String body) {
        var r = s3.as(ALICE).get("/conf?" + query);
        assertEquals(200, r.status(), query + ": " + r.text());
        assertTrue(r.text().endsWith(body), query + ": " + r.text());
    }

    @Test
    void bucketTaggingIsStoredInTheBucketRecord() {
        String doc = "<Tagging><TagSet><Tag><Key>team</Key><Value>core</Value></Tag>"
                + "<Tag><Key>cost center</Key><Value>ñ 42</Value></Tag></TagSet></Tagging>";
        var put = s3.as(ALICE).put("/conf?tagging", doc);
        assertEquals(204, put.status(), put.text());
        var got = s3.as(ALICE).get("/conf?tagging");
        assertEquals(200, got.status());
        assertTrue(got.text().contains("<TagSet><Tag><Key>team</Key><Value>core</Value></Tag><Tag><Key>cost center</Key>"
                + "<Value>ñ 42</Value></Tag></TagSet>"), got.text());
        assertEquals("core", s3.store.bucket("conf").orElseThrow().tags().get("team"));
        StringBuilder many = new StringBuilder("<Tagging><TagSet>");
        for (int i = 0; i < 51; i++) many.append("<Tag><Key>k").append(i).append("</Key><Value>v</Value></Tag>");
        many.append("</TagSet></Tagging>");
        assertEquals("InvalidTag", s3.as(ALICE).put("/conf?tagging", many.toString()).code());
        assertEquals("InvalidTag", s3.as(ALICE).put("/conf?tagging",
                "<Tagging><TagSet><Tag><Key>aws:x</Key><Value>v</Value></Tag></TagSet></Tagging>").code());
        assertEquals("MalformedXML", s3.as(ALICE).put("/conf?tagging", "<Tagging/>").code());
        assertEquals("AccessDenied", s3.as(BOB).put("/conf?tagging", doc).code());
        assertTrue(s3.as(ALICE).get("/conf?tagging").text().contains("<Key>team</Key>"), "refused changes changed nothing");
        assertEquals(204, s3.as(ALICE).delete("/conf?tagging").status());
        assertEquals("NoSuchTagSet", s3.as(ALICE).get("/conf?tagging").code());
        assertEquals(204, s3.as(ALICE).delete("/conf?tagging").status(), "deleting no tags is fine");
    }

    @Test
    void unbuiltConfigurationWritesStayNotImplemented() {
        for (String q : new String[] {"replication"}) { // logging is built (AccessLogsCompatTest)
            var r = s3.as(ALICE).put("/conf?" + q, "<x/>");
            assertEquals(501, r.status(), q);
            assertEquals("NotImplemented", r.code(), q);
        }
        // bucket encryption is built (SseKmsCompatTest): a document that is not one is MalformedXML
        var enc = s3.as(ALICE).put("/conf?encryption", "<x/>");
        assertEquals(400, enc.status(), enc.text());
        assertEquals("MalformedXML", enc.code());
        assertEquals(204, s3.as(ALICE).delete("/conf?encryption").status());
    }

    @Test
    void ownersRepeatedCreateOutsideUsEast1IsBucketAlreadyOwnedByYou() throws Exception {
        try (S3Harness eu = S3Harness.inRegion("eu-west-1")) {
            assertEquals(200, eu.as(ALICE).put("/eu-bucket", new byte[0]).status());
            var again = eu.as(ALICE).put("/eu-bucket", new byte[0]);
            assertEquals(409, again.status());
            assertEquals("BucketAlreadyOwnedByYou", again.code());
            assertEquals("BucketAlreadyExists", eu.as(BOB).put("/eu-bucket", new byte[0]).code());
        }
    }
}

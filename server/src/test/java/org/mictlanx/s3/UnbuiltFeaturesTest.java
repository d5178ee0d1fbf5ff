package org.mictlanx.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 12 item 6: headers asking for features the store does not build are refused with S3's
 * error (or 501 NotImplemented naming the header), never accepted and ignored; nothing is written.
 * One test per header.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnbuiltFeaturesTest {

    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put("/unbuilt", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/unbuilt/src", "source").status());
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    /** PutObject, CopyObject and CreateMultipartUpload with {@code name: value} are all refused with {@code code}. */
    private void assertObjectWritesRefused(String name, String value, int status, String code) {
        S3Harness.Reply put = s3.as(ALICE).header(name, value).put("/unbuilt/new", "x");
        assertRefused(put, status, code, name);
        S3Harness.Reply copy = s3.as(ALICE).header("x-amz-copy-source", "/unbuilt/src").header(name, value)
                .put("/unbuilt/new", new byte[0]);
        assertRefused(copy, status, code, name);
        S3Harness.Reply mpu = s3.as(ALICE).header(name, value).post("/unbuilt/new?uploads", new byte[0]);
        assertRefused(mpu, status, code, name);
        assertEquals(404, s3.as(ALICE).head("/unbuilt/new").status());
        assertTrue(!s3.as(ALICE).get("/unbuilt?uploads").text().contains("<Key>new</Key>"));
    }

    private static void assertRefused(S3Harness.Reply r, int status, String code, String header) {
        assertEquals(status, r.status(), r.text());
        assertEquals(code, r.code(), r.text());
        if (code.equals("NotImplemented")) {
            assertTrue(r.text().contains(header), r.text());
        }
    }

    @Test
    void bucketObjectLockEnabled() {
        // object lock is built: a lock-enabled bucket is created (versioned, lock on); a bad value is refused
        assertEquals(200, s3.as(ALICE).header("x-amz-bucket-object-lock-enabled", "true").put("/locked", new byte[0])
                .status());
        assertTrue(s3.as(ALICE).get("/locked?object-lock").text().contains("<ObjectLockEnabled>Enabled</ObjectLockEnabled>"));
        assertTrue(s3.as(ALICE).get("/locked?versioning").text().contains("<Status>Enabled</Status>"));
        assertRefused(s3.as(ALICE).header("x-amz-bucket-object-lock-enabled", "maybe").put("/locked2", new byte[0]),
                400, "InvalidArgument", "x-amz-bucket-object-lock-enabled");
        assertEquals(404, s3.as(ALICE).head("/locked2").status());
        assertEquals(200, s3.as(ALICE).header("x-amz-bucket-object-lock-enabled", "false").put("/unlocked", new byte[0])
                .status());
        assertEquals(204, s3.as(ALICE).delete("/unlocked").status());
    }

    @Test
    void objectLockMode() {
        assertObjectWritesRefused("x-amz-object-lock-mode", "COMPLIANCE", 400, "InvalidRequest");
    }

    @Test
    void objectLockRetainUntilDate() {
        assertObjectWritesRefused("x-amz-object-lock-retain-until-date", "2030-01-01T00:00:00Z", 400, "InvalidRequest");
    }

    @Test
    void objectLockLegalHold() {
        assertObjectWritesRefused("x-amz-object-lock-legal-hold", "ON", 400, "InvalidRequest");
    }

    /** SSE-C is built, but S3 accepts customer keys only over TLS: over plain HTTP every SSE-C header is refused. */
    @Test
    void sseCustomerKeyHeadersOverPlainHttpOnEveryOperation() {
        for (String h : new String[] {"x-amz-server-side-encryption-customer-algorithm",
                "x-amz-server-side-encryption-customer-key", "x-amz-server-side-encryption-customer-key-md5"}) {
            assertObjectWritesRefused(h, "AES256", 400, "InvalidRequest");
            assertRefused(s3.as(ALICE).header(h, "AES256").get("/unbuilt/src"), 400, "InvalidRequest", "secure connection");
            assertEquals(400, s3.as(ALICE).header(h, "AES256").head("/unbuilt/src").status());
        }
    }

    @Test
    void copySourceSseCustomerKeyHeadersOverPlainHttp() {
        for (String h : new String[] {"x-amz-copy-source-server-side-encryption-customer-algorithm",
                "x-amz-copy-source-server-side-encryption-customer-key",
                "x-amz-copy-source-server-side-encryption-customer-key-md5"}) {
            assertRefused(s3.as(ALICE).header("x-amz-copy-source", "/unbuilt/src").header(h, "AES256")
                    .put("/unbuilt/new", new byte[0]), 400, "InvalidRequest", "secure connection");
        }
        assertEquals(404, s3.as(ALICE).head("/unbuilt/new").status());
    }

    /** SSE-KMS is built (SseKmsCompatTest); dual-layer DSSE is not, and S3's other refusals stay. */
    @Test
    void sseKms() {
        assertObjectWritesRefused("x-amz-server-side-encryption", "aws:kms:dsse", 501, "NotImplemented");
        assertObjectWritesRefused("x-amz-server-side-encryption", "rot13", 400, "InvalidArgument");
        // aws:kms without a key id is built: the AWS managed key aws/s3 (as S3)
        S3Harness.Reply managed = s3.as(ALICE).header("x-amz-server-side-encryption", "aws:kms").put("/unbuilt/managed", "m");
        assertEquals(200, managed.status(), managed.text());
        assertTrue(managed.header("x-amz-server-side-encryption-aws-kms-key-id").startsWith("arn:aws:kms:"));
        assertEquals(204, s3.as(ALICE).delete("/unbuilt/managed").status());
    }

    @Test
    void sseKmsKeyIdOrContextWithoutAwsKms() {
        assertObjectWritesRefused("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:k", 400, "InvalidArgument");
        assertObjectWritesRefused("x-amz-server-side-encryption-context", "e30=", 400, "InvalidArgument");
    }

    @Test
    void sseBucketKeyEnabledMustBeABoolean() {
        assertObjectWritesRefused("x-amz-server-side-encryption-bucket-key-enabled", "maybe", 400, "InvalidArgument");
    }

    @Test
    void sseAes256IsWhatTheStoreDoesAnyway() {
        assertEquals(200, s3.as(ALICE).header("x-amz-server-side-encryption", "AES256").put("/unbuilt/aes", "a").status());
        assertEquals("a", s3.as(ALICE).get("/unbuilt/aes").text());
        assertEquals(204, s3.as(ALICE).delete("/unbuilt/aes").status());
    }

    @Test
    void cannedAclOtherThanPrivate() {
        assertObjectWritesRefused("x-amz-acl", "public-read", 400, "AccessControlListNotSupported");
        assertRefused(s3.as(ALICE).header("x-amz-acl", "public-read-write").put("/public", new byte[0]),
                400, "InvalidBucketAclWithObjectOwnership", "x-amz-acl");
        assertEquals(404, s3.as(ALICE).head("/public").status());
        assertEquals(200, s3.as(ALICE).header("x-amz-acl", "private").put("/unbuilt/priv", "p").status());
        assertEquals(200, s3.as(ALICE).header("x-amz-acl", "bucket-owner-full-control").put("/unbuilt/priv", "p")
                .status());
        assertEquals(204, s3.as(ALICE).delete("/unbuilt/priv").status());
    }

    @Test
    void grants() {
        for (String h : new String[] {"x-amz-grant-read", "x-amz-grant-read-acp", "x-amz-grant-write-acp",
                "x-amz-grant-full-control"}) {
            assertObjectWritesRefused(h, "id=\"someone\"", 400, "AccessControlListNotSupported");
        }
        assertRefused(s3.as(ALICE).header("x-amz-grant-write", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")
                .put("/granted", new byte[0]), 400, "InvalidBucketAclWithObjectOwnership", "x-amz-grant-write");
        assertEquals(404, s3.as(ALICE).head("/granted").status());
    }

    @Test
    void unknownObjectOwnershipIsInvalidArgument() {
        var r = s3.as(ALICE).header("x-amz-object-ownership", "Whoever").put("/writer", new byte[0]);
        assertEquals(400, r.status());
        assertEquals("InvalidArgument", r.code());
        assertEquals(404, s3.as(ALICE).head("/writer").status());
    }

    @Test
    void storageClasses() {
        assertObjectWritesRefused("x-amz-storage-class", "GLACIER", 400, "InvalidStorageClass");
        assertObjectWritesRefused("x-amz-storage-class", "STANDARD_IA", 400, "InvalidStorageClass");
        assertObjectWritesRefused("x-amz-storage-class", "CHEAP", 400, "InvalidStorageClass");
        assertEquals(200, s3.as(ALICE).header("x-amz-storage-class", "STANDARD").put("/unbuilt/std", "s").status());
        assertEquals(200, s3.as(ALICE).header("x-amz-storage-class", "REDUCED_REDUNDANCY").put("/unbuilt/rr", "s").status());
        assertTrue(s3.as(ALICE).get("/unbuilt?list-type=2&prefix=std").text()
                .contains("<StorageClass>STANDARD</StorageClass>"));
        assertEquals(204, s3.as(ALICE).delete("/unbuilt/std").status());
    }

    @Test
    void nothingWasWritten() {
        assertEquals("source", new String(s3.as(ALICE).get("/unbuilt/src").body(), StandardCharsets.UTF_8));
    }
}

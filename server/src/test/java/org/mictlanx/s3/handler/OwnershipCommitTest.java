package org.mictlanx.s3.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.router.MetaTable;
import org.mictlanx.s3.S3Harness;
import org.mictlanx.xolo.identity.InMemoryMetaTable;
import org.mictlanx.xolo.policy.Caller;
import org.mictlanx.xolo.policy.PolicyStore;

/**
 * A ball's owner and ACL are committed with the ball itself: with every write of object ACL records
 * failing (a fault injected where the owner record used to be written, after the commit; a crash
 * there would have left the version bucket-owned), PutObject, CopyObject and multipart uploads
 * still commit a writer-owned version with the ACL it asked for, atomically.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnershipCommitTest {

    private static final String BOB_ID = Caller.canonicalId("bob");
    private static final String ALICE_ID = Caller.canonicalId("alice");

    /** Fails every write of the object ACL partition while {@code failing} is set; counts the attempts. */
    private static final class FailingAclTable implements MetaTable {
        final MetaTable inner = new InMemoryMetaTable();
        volatile boolean failing;
        final AtomicInteger attempts = new AtomicInteger();

        private void check(String partition) {
            if (failing && partition.equals(PolicyStore.OBJECT_ACL)) {
                attempts.incrementAndGet();
                throw new IllegalStateException("injected: the router crashed after the commit");
            }
        }

        @Override
        public void put(String partition, String sortKey, byte[] value) {
            check(partition);
            inner.put(partition, sortKey, value);
        }

        @Override
        public Optional<byte[]> get(String partition, String sortKey) {
            return inner.get(partition, sortKey);
        }

        @Override
        public boolean delete(String partition, String sortKey) {
            check(partition);
            return inner.delete(partition, sortKey);
        }

        @Override
        public List<Entry> scan(String partition, String prefix, String startAfter, int limit) {
            return inner.scan(partition, prefix, startAfter, limit);
        }
    }

    private final FailingAclTable table = new FailingAclTable();
    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = S3Harness.withPolicyTable(table);
        assertEquals(200, s3.as(ALICE).header("x-amz-object-ownership", "ObjectWriter").put("/wrote", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).header("x-amz-grant-write", "id=\"" + BOB_ID + "\"").put("/wrote?acl", new byte[0]).status());
        table.failing = true;
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    private void ownedByBob(String key) {
        var acl = s3.as(BOB).get("/wrote/" + key + "?acl");
        assertEquals(200, acl.status(), key + ": the writer owns it, so it may read its ACL: " + acl.text());
        assertTrue(acl.text().contains("<Owner><ID>" + BOB_ID + "</ID>"), acl.text());
        assertEquals("AccessDenied", s3.as(ALICE).get("/wrote/" + key).code(),
                key + ": under ObjectWriter the bucket owner reads another's ball only with a grant");
    }

    @Test
    void putObjectCommitsItsWriterAsOwner() {
        assertEquals(200, s3.as(BOB).put("/wrote/put", "bob's").status());
        ownedByBob("put");
        assertEquals("bob's", s3.as(BOB).get("/wrote/put").text());
        assertTrue(s3.as(ALICE).get("/wrote?list-type=2&fetch-owner=true&prefix=put").text()
                .contains("<Owner><ID>" + BOB_ID + "</ID>"), "listings see the committed owner");
    }

    @Test
    void aCannedAclIsCommittedWithTheVersion() {
        assertEquals(200, s3.as(BOB).header("x-amz-acl", "public-read").put("/wrote/public", "for all").status());
        assertTrue(s3.as(BOB).get("/wrote/public?acl").text().contains("<Owner><ID>" + BOB_ID + "</ID>"));
        assertTrue(s3.as(BOB).get("/wrote/public?acl").text().contains("AllUsers"), "the ACL committed with it");
        assertEquals("for all", s3.anonymous("GET", "/wrote/public", new byte[0]).text());
        // an overwrite without an ACL is private again, and still bob's
        assertEquals(200, s3.as(BOB).put("/wrote/public", "for bob").status());
        assertEquals("AccessDenied", s3.anonymous("GET", "/wrote/public", new byte[0]).code());
        ownedByBob("public");
    }

    @Test
    void aCopyIsOwnedByWhoeverCopiedIt() {
        table.failing = false;
        assertEquals(200, s3.as(ALICE).put("/wrote/alices", "hers").status());
        table.failing = true;
        assertEquals(200, s3.as(ALICE).header("x-amz-grant-read", "id=\"" + BOB_ID + "\"")
                .header("x-amz-copy-source", "/wrote/alices").put("/wrote/alices-shared", new byte[0]).status());
        assertTrue(s3.as(ALICE).get("/wrote/alices-shared?acl").text().contains("<Owner><ID>" + ALICE_ID + "</ID>"));
        assertEquals("hers", s3.as(BOB).get("/wrote/alices-shared").text(), "the copy's grant was committed with it");
        var copied = s3.as(BOB).header("x-amz-grant-read", "id=\"" + ALICE_ID + "\"")
                .header("x-amz-copy-source", "/wrote/alices-shared").put("/wrote/bobs-copy", new byte[0]);
        assertEquals(200, copied.status(), copied.text());
        assertTrue(s3.as(BOB).get("/wrote/bobs-copy?acl").text().contains("<Owner><ID>" + BOB_ID + "</ID>"),
                "the copier owns the copy, not the source's owner");
        assertEquals("hers", s3.as(ALICE).get("/wrote/bobs-copy").text(), "with the grant bob gave");
        // copied back by alice: hers again, the source's owner header is never inherited
        assertEquals(200, s3.as(ALICE).header("x-amz-grant-read", "id=\"" + BOB_ID + "\"")
                .header("x-amz-copy-source", "/wrote/bobs-copy").put("/wrote/back", new byte[0]).status());
        assertTrue(s3.as(ALICE).get("/wrote/back?acl").text().contains("<Owner><ID>" + ALICE_ID + "</ID>"));
    }

    @Test
    void aCompletedUploadIsOwnedByItsInitiator() {
        var created = s3.as(BOB).post("/wrote/mp?uploads", new byte[0]);
        assertEquals(200, created.status(), created.text());
        Matcher m = Pattern.compile("<UploadId>([^<]+)</UploadId>").matcher(created.text());
        assertTrue(m.find());
        String id = m.group(1);
        var part = s3.as(BOB).put("/wrote/mp?partNumber=1&uploadId=" + id, "the only part");
        assertEquals(200, part.status());
        String done = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + part.header("etag")
                + "</ETag></Part></CompleteMultipartUpload>";
        var completed = s3.as(BOB).post("/wrote/mp?uploadId=" + id, done.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, completed.status(), completed.text());
        ownedByBob("mp");
        assertEquals("the only part", s3.as(BOB).get("/wrote/mp").text());
    }

    @Test
    void theFaultIsReallyInjected() {
        int before = table.attempts.get();
        // PutObjectAcl still writes the version's ACL record: it fails, visibly, and changes nothing
        assertEquals(200, s3.as(BOB).put("/wrote/acl-later", "x").status());
        assertTrue(s3.as(BOB).header("x-amz-acl", "public-read").put("/wrote/acl-later?acl", new byte[0]).status() >= 500);
        assertTrue(table.attempts.get() > before);
        assertEquals("AccessDenied", s3.anonymous("GET", "/wrote/acl-later", new byte[0]).code());
        ownedByBob("acl-later");
    }
}

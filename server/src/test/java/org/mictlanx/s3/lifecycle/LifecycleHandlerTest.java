package org.mictlanx.s3.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3Harness;

/**
 * Put/Get/DeleteBucketLifecycleConfiguration over HTTP against the real router: the stored
 * document as S3 returns it, S3's errors as XML, the required and verified integrity check of the
 * document, the owner-only permission, and the {@code x-amz-expiration} header (next midnight UTC
 * after Last-Modified plus Days) on PUT, GET, HEAD, CopyObject and CompleteMultipartUpload.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifecycleHandlerTest {

    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put("/lcb", new byte[0]).status());
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    /** A PutBucketLifecycleConfiguration with Content-MD5, as S3 requires. */
    private S3Harness.Reply putRules(String who, String path, String doc) {
        byte[] body = doc.getBytes(StandardCharsets.UTF_8);
        return s3.as(who).header("Content-MD5", md5(body)).put(path, body);
    }

    private static String md5(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void theConfigurationMustCarryAVerifiedIntegrityCheck() {
        assertEquals(200, s3.as(ALICE).put("/lci", new byte[0]).status());
        byte[] doc = LifecycleRulesTest.AND_FILTER.getBytes(StandardCharsets.UTF_8);
        var none = s3.as(ALICE).put("/lci?lifecycle", doc);
        assertEquals(400, none.status());
        assertEquals("InvalidRequest", none.code());
        assertTrue(none.text().contains("<Message>Missing required header for this request: Content-MD5</Message>"), none.text());
        var wrongMd5 = s3.as(ALICE).header("Content-MD5", md5("other".getBytes(StandardCharsets.UTF_8))).put("/lci?lifecycle", doc);
        assertEquals(400, wrongMd5.status());
        assertEquals("BadDigest", wrongMd5.code());
        assertEquals("InvalidDigest", s3.as(ALICE).header("Content-MD5", "not base64!").put("/lci?lifecycle", doc).code());
        var wrongCrc = s3.as(ALICE).header("x-amz-checksum-crc32", crc32("other".getBytes(StandardCharsets.UTF_8)))
                .put("/lci?lifecycle", doc);
        assertEquals(400, wrongCrc.status());
        assertEquals("BadDigest", wrongCrc.code());
        assertEquals("NoSuchLifecycleConfiguration", s3.as(ALICE).get("/lci?lifecycle").code(), "nothing refused was stored");
        // what the SDKs send: a checksum header (SDK v2, CLI v2), or one in an aws-chunked trailer
        assertEquals(200, s3.as(ALICE).header("x-amz-checksum-crc32", crc32(doc)).put("/lci?lifecycle", doc).status());
        assertEquals(204, s3.as(ALICE).delete("/lci?lifecycle").status());
        var trailer = s3.as(ALICE).chunked(org.mictlanx.xolo.sigv4.PayloadMode.STREAMING_UNSIGNED_TRAILER, 64,
                Map.of("x-amz-checksum-crc32", crc32(doc))).put("/lci?lifecycle", doc);
        assertEquals(200, trailer.status(), trailer.text());
        assertTrue(s3.as(ALICE).get("/lci?lifecycle").text().contains("example-id"));
        assertEquals(200, putRules(ALICE, "/lci?lifecycle", LifecycleRulesTest.AND_FILTER).status(), "Content-MD5 (SDK v1, CLI v1)");
    }

    @Test
    void uploadsACoveringAbortRuleWillAbortAnnounceTheirAbortDate() {
        assertEquals(200, s3.as(ALICE).put("/lca", new byte[0]).status());
        assertEquals(200, putRules(ALICE, "/lca?lifecycle", "<LifecycleConfiguration><Rule><ID>stale-uploads</ID>"
                + "<Filter><Prefix>mp/</Prefix></Filter><Status>Enabled</Status>"
                + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>"
                + "</Rule></LifecycleConfiguration>").status());
        Instant before = Instant.now();
        var created = s3.as(ALICE).post("/lca/mp/big?uploads", new byte[0]);
        Instant after = Instant.now();
        assertEquals(200, created.status(), created.text());
        String date = created.header("x-amz-abort-date");
        assertEquals("stale-uploads", created.header("x-amz-abort-rule-id"));
        Instant at = HttpFormats.parseHttpDate(date).orElseThrow();
        assertTrue(!at.isBefore(LifecycleRules.due(before, 7, LifecycleWorker.DAY_MILLIS))
                && !at.isAfter(LifecycleRules.due(after, 7, LifecycleWorker.DAY_MILLIS)), date);
        assertTrue(date.endsWith(" 00:00:00 GMT"), date);
        String uploadId = created.text().replaceAll("(?s).*<UploadId>(.*)</UploadId>.*", "$1");
        var parts = s3.as(ALICE).get("/lca/mp/big?uploadId=" + uploadId);
        assertEquals(200, parts.status(), parts.text());
        assertEquals(date, parts.header("x-amz-abort-date"));
        assertEquals("stale-uploads", parts.header("x-amz-abort-rule-id"));
        var other = s3.as(ALICE).post("/lca/other/big?uploads", new byte[0]);
        assertEquals(200, other.status());
        assertNull(other.header("x-amz-abort-date"));
        assertNull(other.header("x-amz-abort-rule-id"));
    }

    @Test
    void putGetDeleteOverTheWire() {
        var none = s3.as(ALICE).get("/lcb?lifecycle");
        assertEquals(404, none.status());
        assertEquals("NoSuchLifecycleConfiguration", none.code());
        var put = putRules(ALICE, "/lcb?lifecycle", LifecycleRulesTest.AND_FILTER);
        assertEquals(200, put.status(), put.text());
        assertEquals("all_storage_classes_128K", put.header("x-amz-transition-default-minimum-object-size"));
        var got = s3.as(ALICE).get("/lcb?lifecycle");
        assertEquals(200, got.status());
        assertEquals("<?xml version='1.0' encoding='UTF-8'?>"
                + "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ID>example-id</ID>"
                + "<Filter><And><Prefix>tax/</Prefix><Tag><Key>key1</Key><Value>value1</Value></Tag>"
                + "<Tag><Key>key2</Key><Value>value2</Value></Tag><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan>"
                + "<ObjectSizeLessThan>64000</ObjectSizeLessThan></And></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>365</Days></Expiration></Rule></LifecycleConfiguration>", got.text());
        var bad = putRules(ALICE, "/lcb?lifecycle", "<LifecycleConfiguration><Rule><ID>x</ID><Filter/><Status>On</Status>"
                + "<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>");
        assertEquals(400, bad.status());
        assertEquals("MalformedXML", bad.code());
        var transition = putRules(ALICE, "/lcb?lifecycle", "<LifecycleConfiguration><Rule><ID>x</ID><Filter/><Status>Enabled</Status>"
                + "<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition></Rule></LifecycleConfiguration>");
        assertEquals(400, transition.status());
        assertEquals("InvalidStorageClass", transition.code());
        assertEquals("MalformedXML", putRules(ALICE, "/lcb?lifecycle", "<CORSConfiguration/>").code());
        assertTrue(s3.as(ALICE).get("/lcb?lifecycle").text().contains("example-id"), "refused documents change nothing");
        assertEquals(204, s3.as(ALICE).delete("/lcb?lifecycle").status());
        assertEquals("NoSuchLifecycleConfiguration", s3.as(ALICE).get("/lcb?lifecycle").code());
        assertEquals(204, s3.as(ALICE).delete("/lcb?lifecycle").status(), "deleting no configuration is fine, as S3");
    }

    @Test
    void onlyTheOwnerConfiguresLifecycle() {
        assertEquals("AccessDenied", putRules(BOB, "/lcb?lifecycle", LifecycleRulesTest.AND_FILTER).code());
        assertEquals("AccessDenied", s3.as(BOB).get("/lcb?lifecycle").code());
        assertEquals("AccessDenied", s3.as(BOB).delete("/lcb?lifecycle").code());
    }

    @Test
    void expirationHeaderNamesTheEarliestCoveringRule() {
        assertEquals(200, s3.as(ALICE).put("/lch", new byte[0]).status());
        assertEquals(200, putRules(ALICE, "/lch?lifecycle", "<LifecycleConfiguration>"
                + "<Rule><ID>logs-30</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule>"
                + "<Rule><ID>logs-2</ID><Filter><Prefix>logs/tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule>"
                + "</LifecycleConfiguration>").status());
        var put = s3.as(ALICE).put("/lch/logs/tmp/a", "a");
        var head = s3.as(ALICE).head("/lch/logs/tmp/a");
        Instant modified = HttpFormats.parseHttpDate(head.header("last-modified")).orElseThrow();
        String expected = "expiry-date=\"" + HttpFormats.httpDate(LifecycleRules.due(modified, 2, LifecycleWorker.DAY_MILLIS))
                + "\", rule-id=\"logs-2\"";
        assertTrue(expected.contains(" 00:00:00 GMT"), expected);
        assertEquals(expected, put.header("x-amz-expiration"));
        assertEquals(expected, head.header("x-amz-expiration"));
        assertEquals(expected, s3.as(ALICE).get("/lch/logs/tmp/a").header("x-amz-expiration"));
        s3.as(ALICE).put("/lch/logs/b", "b");
        assertTrue(s3.as(ALICE).head("/lch/logs/b").header("x-amz-expiration").endsWith("rule-id=\"logs-30\""));
        s3.as(ALICE).put("/lch/data/c", "c");
        assertNull(s3.as(ALICE).head("/lch/data/c").header("x-amz-expiration"));
        assertNull(s3.as(ALICE).put("/lch/data/d", "d").header("x-amz-expiration"));
        // CopyObject and CompleteMultipartUpload answer it for the ball they committed, as S3
        var copy = s3.as(ALICE).header("x-amz-copy-source", "/lch/data/c").put("/lch/logs/tmp/copy", new byte[0]);
        assertEquals(200, copy.status(), copy.text());
        assertTrue(copy.header("x-amz-expiration").endsWith("rule-id=\"logs-2\""), copy.header("x-amz-expiration"));
        assertNull(s3.as(ALICE).header("x-amz-copy-source", "/lch/logs/b").put("/lch/data/copy", new byte[0]).header("x-amz-expiration"));
        var created = s3.as(ALICE).post("/lch/logs/mp?uploads", new byte[0]);
        String uploadId = created.text().replaceAll("(?s).*<UploadId>(.*)</UploadId>.*", "$1");
        var part = s3.as(ALICE).put("/lch/logs/mp?partNumber=1&uploadId=" + uploadId, "part one");
        var completed = s3.as(ALICE).post("/lch/logs/mp?uploadId=" + uploadId, ("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>"
                + "<ETag>" + part.header("etag") + "</ETag></Part></CompleteMultipartUpload>").getBytes(StandardCharsets.UTF_8));
        assertEquals(200, completed.status(), completed.text());
        assertTrue(completed.header("x-amz-expiration").endsWith("rule-id=\"logs-30\""), completed.header("x-amz-expiration"));
        assertEquals(completed.header("x-amz-expiration"), s3.as(ALICE).head("/lch/logs/mp").header("x-amz-expiration"));
    }
}

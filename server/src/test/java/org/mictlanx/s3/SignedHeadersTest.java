package org.mictlanx.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.xolo.sigv4.SigV4Crypto;
import org.mictlanx.xolo.sigv4.SigV4Request;
import org.mictlanx.xolo.sigv4.SigV4Signer;

/**
 * Issue 12 item 1: every {@code x-amz-*} header must be signed (header auth and presigned URLs), Host
 * always, Content-MD5 under header auth; the credential scope must name the store's region. For
 * every operation family an otherwise valid request plus one unsigned header is refused with S3's
 * {@code AccessDenied} + {@code HeadersNotSigned} and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignedHeadersTest {

    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put("/signed", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/signed/keep", "keep").status());
        assertEquals(200, s3.as(ALICE).put("/signed/secret", "top secret").status());
        assertEquals(200, s3.as(ALICE).put("/signed-empty", new byte[0]).status());
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    private static void assertNotSigned(S3Harness.Reply r, String header) {
        assertEquals(403, r.status(), r.text());
        if (r.body().length > 0) {
            assertEquals("AccessDenied", r.code());
            assertTrue(r.text().contains("<Message>There were headers present in the request which were not signed"
                    + "</Message>"), r.text());
            assertTrue(r.text().contains("<HeadersNotSigned>" + header + "</HeadersNotSigned>"), r.text());
        }
    }

    private void assertUnchanged() {
        assertEquals(2, s3.count("signed"));
        assertEquals("keep", s3.as(ALICE).get("/signed/keep").text());
        assertEquals("top secret", s3.as(ALICE).get("/signed/secret").text());
        assertNull(s3.as(ALICE).head("/signed/keep").header("x-amz-meta-evil"));
        assertFalse(s3.as(ALICE).get("/signed/keep?tagging").text().contains("<Tag>"));
        assertEquals(200, s3.as(ALICE).head("/signed-empty").status());
        assertEquals(404, s3.as(ALICE).head("/signed-new").status());
    }

    @Test
    void objectPutGetHeadDeleteWithAnUnsignedHeaderAreRefused() {
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-meta-evil", "1").put("/signed/new", "x"), "x-amz-meta-evil");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-tagging", "a=b").put("/signed/keep", "over"), "x-amz-tagging");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-website-redirect-location", "/x").put("/signed/keep", "o"),
                "x-amz-website-redirect-location");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-checksum-mode", "ENABLED").get("/signed/keep"),
                "x-amz-checksum-mode");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-checksum-mode", "ENABLED").head("/signed/keep"),
                "x-amz-checksum-mode");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-bypass-governance-retention", "true").delete("/signed/keep"),
                "x-amz-bypass-governance-retention");
        assertUnchanged();
    }

    @Test
    void copyWithAnUnsignedHeaderIsRefused() {
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-copy-source", "/signed/secret").put("/signed/new", ""),
                "x-amz-copy-source");
        assertNotSigned(s3.as(ALICE).header("x-amz-copy-source", "/signed/secret")
                .unsignedHeader("x-amz-metadata-directive", "REPLACE").put("/signed/new", ""), "x-amz-metadata-directive");
        assertUnchanged();
    }

    @Test
    void multipartWithAnUnsignedHeaderIsRefused() {
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-meta-evil", "1").post("/signed/mp?uploads", new byte[0]),
                "x-amz-meta-evil");
        assertFalse(s3.as(ALICE).get("/signed?uploads").text().contains("<Key>mp</Key>"));
        String create = s3.as(ALICE).post("/signed/mp?uploads", new byte[0]).text();
        String uploadId = create.substring(create.indexOf("<UploadId>") + 10, create.indexOf("</UploadId>"));
        byte[] part = "part one".getBytes(StandardCharsets.UTF_8);
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-checksum-crc32", "AAAAAA==")
                .put("/signed/mp?partNumber=1&uploadId=" + uploadId, part), "x-amz-checksum-crc32");
        assertFalse(s3.as(ALICE).get("/signed/mp?uploadId=" + uploadId).text().contains("<PartNumber>1</PartNumber>"));
        S3Harness.Reply put = s3.as(ALICE).put("/signed/mp?partNumber=1&uploadId=" + uploadId, part);
        assertEquals(200, put.status());
        String complete = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + put.header("etag")
                + "</ETag></Part></CompleteMultipartUpload>";
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-meta-evil", "1")
                .post("/signed/mp?uploadId=" + uploadId, complete.getBytes(StandardCharsets.UTF_8)), "x-amz-meta-evil");
        assertEquals(404, s3.as(ALICE).head("/signed/mp").status());
        assertNotSigned(s3.as(ALICE).header("x-amz-copy-source", "/signed/secret")
                .unsignedHeader("x-amz-copy-source-range", "bytes=0-2")
                .put("/signed/mp?partNumber=2&uploadId=" + uploadId, new byte[0]), "x-amz-copy-source-range");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-expected-bucket-owner", "1")
                .get("/signed/mp?uploadId=" + uploadId), "x-amz-expected-bucket-owner");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-expected-bucket-owner", "1").get("/signed?uploads"),
                "x-amz-expected-bucket-owner");
        assertFalse(s3.as(ALICE).get("/signed/mp?uploadId=" + uploadId).text().contains("<PartNumber>2</PartNumber>"));
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-expected-bucket-owner", "1")
                .delete("/signed/mp?uploadId=" + uploadId), "x-amz-expected-bucket-owner");
        assertEquals(200, s3.as(ALICE).get("/signed/mp?uploadId=" + uploadId).status());
        assertEquals(204, s3.as(ALICE).delete("/signed/mp?uploadId=" + uploadId).status());
        assertUnchanged();
    }

    @Test
    void taggingWithAnUnsignedHeaderIsRefused() {
        String tags = "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>";
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-expected-bucket-owner", "1")
                .put("/signed/keep?tagging", tags), "x-amz-expected-bucket-owner");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-expected-bucket-owner", "1").get("/signed/keep?tagging"),
                "x-amz-expected-bucket-owner");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-expected-bucket-owner", "1").delete("/signed/keep?tagging"),
                "x-amz-expected-bucket-owner");
        assertUnchanged();
    }

    @Test
    void bucketOperationsDeleteObjectsAndListingsWithAnUnsignedHeaderAreRefused() {
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-acl", "private").put("/signed-new", new byte[0]), "x-amz-acl");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-expected-bucket-owner", "1").delete("/signed-empty"),
                "x-amz-expected-bucket-owner");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-expected-bucket-owner", "1").head("/signed"),
                "x-amz-expected-bucket-owner");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-expected-bucket-owner", "1").get("/signed?location"),
                "x-amz-expected-bucket-owner");
        String delete = "<Delete><Object><Key>keep</Key></Object><Object><Key>secret</Key></Object></Delete>";
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-bypass-governance-retention", "true")
                .post("/signed?delete", delete.getBytes(StandardCharsets.UTF_8)), "x-amz-bypass-governance-retention");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-request-payer", "requester").get("/signed?list-type=2"),
                "x-amz-request-payer");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-request-payer", "requester").get("/signed"),
                "x-amz-request-payer");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-request-payer", "requester").get("/signed?versions"),
                "x-amz-request-payer");
        assertNotSigned(s3.as(ALICE).unsignedHeader("x-amz-request-payer", "requester").get("/"), "x-amz-request-payer");
        assertNotSigned(s3.as(ALICE).header("x-amz-object-attributes", "ObjectSize")
                .unsignedHeader("x-amz-max-parts", "1").get("/signed/keep?attributes"), "x-amz-max-parts");
        assertUnchanged();
    }

    @Test
    void contentMd5MustBeSignedUnderHeaderAuth() {
        byte[] body = "md5 body".getBytes(StandardCharsets.UTF_8);
        String md5 = java.util.Base64.getEncoder().encodeToString(md5(body));
        assertNotSigned(s3.as(ALICE).unsignedHeader("content-md5", md5).put("/signed/new", body), "content-md5");
        assertUnchanged();
        assertEquals(200, s3.as(ALICE).header("content-md5", md5).put("/signed/md5", body).status());
        assertEquals(204, s3.as(ALICE).delete("/signed/md5").status());
    }

    @Test
    void presignedPutWithAnUnsignedCopySourceCannotExfiltrate() {
        SigV4Request url = s3.presign(ALICE, "PUT", "/signed/new", "");
        S3Harness.Reply r = s3.raw("PUT", "/signed/new?" + url.rawQuery(),
                with(url, "x-amz-copy-source", "signed/secret"), new byte[0]);
        assertNotSigned(r, "x-amz-copy-source");
        SigV4Request over = s3.presign(ALICE, "PUT", "/signed/keep", "");
        assertNotSigned(s3.raw("PUT", "/signed/keep?" + over.rawQuery(),
                with(over, "x-amz-copy-source", "/signed/secret"), new byte[0]), "x-amz-copy-source");
        assertNotSigned(s3.raw("PUT", "/signed/keep?" + over.rawQuery(),
                with(over, "x-amz-meta-evil", "1"), "x".getBytes(StandardCharsets.UTF_8)), "x-amz-meta-evil");
        assertUnchanged();
        // the same URL without the extra header works
        assertEquals(200, s3.raw("PUT", "/signed/new?" + url.rawQuery(), url, "new".getBytes(StandardCharsets.UTF_8))
                .status());
        assertEquals("new", s3.as(ALICE).get("/signed/new").text());
        assertEquals(204, s3.as(ALICE).delete("/signed/new").status());
    }

    @Test
    void presignedQueryHeadersAreObeyedAsTheHeader() {
        SigV4Request url = s3.presign(ALICE, "PUT", "/signed/q",
                "x-amz-meta-color=blue&x-amz-tagging=team%3Dred&x-amz-storage-class=STANDARD");
        assertEquals(200, s3.raw("PUT", "/signed/q?" + url.rawQuery(), url, "q".getBytes(StandardCharsets.UTF_8))
                .status());
        assertEquals("blue", s3.as(ALICE).head("/signed/q").header("x-amz-meta-color"));
        assertTrue(s3.as(ALICE).get("/signed/q?tagging").text().contains("<Key>team</Key><Value>red</Value>"));
        SigV4Request copy = s3.presign(ALICE, "PUT", "/signed/q2", "x-amz-copy-source=%2Fsigned%2Fq");
        assertEquals(200, s3.raw("PUT", "/signed/q2?" + copy.rawQuery(), copy, new byte[0]).status());
        assertEquals("q", s3.as(ALICE).get("/signed/q2").text());
        // a refused feature asked through the query is refused like the header
        SigV4Request glacier = s3.presign(ALICE, "PUT", "/signed/q3", "x-amz-storage-class=GLACIER");
        S3Harness.Reply r = s3.raw("PUT", "/signed/q3?" + glacier.rawQuery(), glacier, "q".getBytes());
        assertEquals(400, r.status(), r.text());
        assertEquals("InvalidStorageClass", r.code());
        // the same name as header and query parameter is ambiguous
        SigV4Request both = s3.presign(ALICE, "PUT", "/signed/q3", "x-amz-meta-color=blue");
        S3Harness.Reply ambiguous = s3.raw("PUT", "/signed/q3?" + both.rawQuery(),
                with(both, "x-amz-meta-color", "red"), "q".getBytes());
        assertEquals(400, ambiguous.status(), ambiguous.text());
        assertEquals("InvalidRequest", ambiguous.code());
        assertEquals(404, s3.as(ALICE).head("/signed/q3").status());
        // an unsigned x-amz-content-sha256 is tolerated on a presigned URL, as S3 does (and not used)
        SigV4Request get = s3.presign(ALICE, "GET", "/signed/q", "");
        assertEquals("q", s3.raw("GET", "/signed/q?" + get.rawQuery(),
                with(get, "x-amz-content-sha256", SigV4Crypto.sha256Hex("other")), new byte[0]).text());
        assertEquals(204, s3.as(ALICE).delete("/signed/q").status());
        assertEquals(204, s3.as(ALICE).delete("/signed/q2").status());
    }

    @Test
    void aCredentialScopeForAnotherRegionIsRefusedNamingTheStoresRegion() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", s3.host);
        SigV4Request wrong = new SigV4Signer(ALICE, "aliceSecretKey/0123456789+abcdefghijklmn", "eu-west-1")
                .sign("PUT", "/signed/new", "", h, SigV4Crypto.sha256Hex("x"), Instant.now()).request();
        S3Harness.Reply r = s3.raw("PUT", "/signed/new", wrong, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.status());
        assertEquals("AuthorizationHeaderMalformed", r.code());
        assertTrue(r.text().contains("<Message>The authorization header is malformed; the region 'eu-west-1' is wrong;"
                + " expecting 'us-east-1'</Message>"), r.text());
        assertTrue(r.text().contains("<Region>us-east-1</Region>"), r.text());
        SigV4Request url = new SigV4Signer(ALICE, "aliceSecretKey/0123456789+abcdefghijklmn", "eu-west-1")
                .presign("GET", "/signed/keep", "", s3.host, Instant.now(), 600);
        S3Harness.Reply q = s3.raw("GET", "/signed/keep?" + url.rawQuery(), url, new byte[0]);
        assertEquals(400, q.status());
        assertEquals("AuthorizationQueryParametersError", q.code());
        assertTrue(q.text().contains("<Message>Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is"
                + " wrong; expecting 'us-east-1'</Message>"), q.text());
        assertTrue(q.text().contains("<Region>us-east-1</Region>"), q.text());
        assertUnchanged();
    }

    private static SigV4Request with(SigV4Request r, String name, String value) {
        Map<String, List<String>> h = new LinkedHashMap<>(r.headers());
        h.put(name, List.of(value));
        return new SigV4Request(r.method(), r.rawPath(), r.rawQuery(), h);
    }

    private static byte[] md5(byte[] body) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.mictlanx.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mictlanx.s3.S3Harness.ALICE;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Per-object website redirects on the S3 endpoint: {@code x-amz-website-redirect-location} is
 * validated as S3 does (400 InvalidRedirectLocation, nothing written), stored on PutObject, CopyObject
 * (the request's value under either directive, never the source's) and multipart uploads (applied at
 * Complete), and returned by GET and HEAD. The website endpoint's 301 is in {@code WebsiteTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebsiteRedirectLocationTest {

    private static final String HEADER = "x-amz-website-redirect-location";
    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put("/wredir", new byte[0]).status());
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    private void assertInvalid(String value) {
        S3Harness.Reply put = s3.as(ALICE).header(HEADER, value).put("/wredir/bad", "x");
        assertEquals(400, put.status(), put.text());
        assertEquals("InvalidRedirectLocation", put.code());
        assertEquals("InvalidRedirectLocation", s3.as(ALICE).header("x-amz-copy-source", "/wredir/plain").header(HEADER, value)
                .put("/wredir/bad", new byte[0]).code());
        assertEquals("InvalidRedirectLocation", s3.as(ALICE).header(HEADER, value).post("/wredir/bad?uploads", new byte[0]).code());
        assertEquals(404, s3.as(ALICE).head("/wredir/bad").status());
        assertFalse(s3.as(ALICE).get("/wredir?uploads").text().contains("<Key>bad</Key>"));
    }

    @Test
    void invalidLocationsAreRefused() {
        assertEquals(200, s3.as(ALICE).put("/wredir/plain", "p").status());
        assertInvalid("other.html");
        assertInvalid("ftp://example.com/");
        assertInvalid("HTTP://example.com/");
        assertInvalid("/" + "a".repeat(2048));
    }

    @Test
    void putStoresItAndGetAndHeadReturnIt() {
        String longest = "/" + "b".repeat(2047);
        assertEquals(200, s3.as(ALICE).header(HEADER, "/other.html").put("/wredir/page.html", "old page").status());
        S3Harness.Reply get = s3.as(ALICE).get("/wredir/page.html");
        assertEquals("old page", get.text());
        assertEquals("/other.html", get.header(HEADER));
        assertEquals("/other.html", s3.as(ALICE).head("/wredir/page.html").header(HEADER));
        assertEquals(200, s3.as(ALICE).header(HEADER, "https://example.com/x?y=1").put("/wredir/ext", "e").status());
        assertEquals("https://example.com/x?y=1", s3.as(ALICE).head("/wredir/ext").header(HEADER));
        assertEquals(200, s3.as(ALICE).header(HEADER, longest).put("/wredir/long", "l").status());
        assertEquals(longest, s3.as(ALICE).head("/wredir/long").header(HEADER));
        assertEquals(200, s3.as(ALICE).put("/wredir/none", "n").status());
        assertNull(s3.as(ALICE).head("/wredir/none").header(HEADER));
    }

    @Test
    void copyTakesTheRequestsValueNeverTheSources() {
        assertEquals(200, s3.as(ALICE).header(HEADER, "/src-target").header("x-amz-meta-m", "1").put("/wredir/src", "s").status());
        // COPY directive: metadata is copied, the redirect is not.
        assertEquals(200, s3.as(ALICE).header("x-amz-copy-source", "/wredir/src").put("/wredir/c1", new byte[0]).status());
        S3Harness.Reply c1 = s3.as(ALICE).head("/wredir/c1");
        assertEquals("1", c1.header("x-amz-meta-m"));
        assertNull(c1.header(HEADER));
        assertEquals(200, s3.as(ALICE).header("x-amz-copy-source", "/wredir/src").header(HEADER, "/c2-target")
                .put("/wredir/c2", new byte[0]).status());
        S3Harness.Reply c2 = s3.as(ALICE).head("/wredir/c2");
        assertEquals("1", c2.header("x-amz-meta-m"));
        assertEquals("/c2-target", c2.header(HEADER));
        // REPLACE directive: the request's headers, redirect included.
        assertEquals(200, s3.as(ALICE).header("x-amz-copy-source", "/wredir/src").header("x-amz-metadata-directive", "REPLACE")
                .header(HEADER, "http://example.com/").put("/wredir/c3", new byte[0]).status());
        assertEquals("http://example.com/", s3.as(ALICE).head("/wredir/c3").header(HEADER));
        assertEquals(200, s3.as(ALICE).header("x-amz-copy-source", "/wredir/src").header("x-amz-metadata-directive", "REPLACE")
                .put("/wredir/c4", new byte[0]).status());
        assertNull(s3.as(ALICE).head("/wredir/c4").header(HEADER));
        // A copy onto itself that only changes the redirect is legal.
        assertEquals(200, s3.as(ALICE).header("x-amz-copy-source", "/wredir/src").header(HEADER, "/changed")
                .put("/wredir/src", new byte[0]).status());
        assertEquals("/changed", s3.as(ALICE).head("/wredir/src").header(HEADER));
        assertEquals("InvalidRequest", s3.as(ALICE).header("x-amz-copy-source", "/wredir/src").put("/wredir/src", new byte[0]).code());
    }

    @Test
    void multipartAppliesItAtComplete() {
        String create = s3.as(ALICE).header(HEADER, "/mp-target").post("/wredir/mp?uploads", new byte[0]).text();
        String uploadId = create.substring(create.indexOf("<UploadId>") + 10, create.indexOf("</UploadId>"));
        S3Harness.Reply part = s3.as(ALICE).put("/wredir/mp?partNumber=1&uploadId=" + uploadId,
                "only part".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, part.status());
        assertEquals(404, s3.as(ALICE).head("/wredir/mp").status());
        String complete = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + part.header("etag")
                + "</ETag></Part></CompleteMultipartUpload>";
        S3Harness.Reply done = s3.as(ALICE).post("/wredir/mp?uploadId=" + uploadId, complete.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, done.status(), done.text());
        S3Harness.Reply get = s3.as(ALICE).get("/wredir/mp");
        assertEquals("only part", get.text());
        assertEquals("/mp-target", get.header(HEADER));
    }
}

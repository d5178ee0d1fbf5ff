package org.mictlanx.s3.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.S3Harness;

/** DeleteObjects: verbose and quiet, limits, hostile bodies. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeleteObjectsHandlerTest {

    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        s3.as(ALICE).put("/multi", new byte[0]);
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    private static byte[] delete(boolean quiet, String... keys) {
        StringBuilder sb = new StringBuilder("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        if (quiet) {
            sb.append("<Quiet>true</Quiet>");
        }
        for (String k : keys) {
            sb.append("<Object><Key>").append(k).append("</Key></Object>");
        }
        return sb.append("</Delete>").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void verboseAndQuiet() throws Exception {
        for (String k : new String[] {"d1", "d2", "d3", "d4"}) {
            s3.as(ALICE).put("/multi/" + k, k);
        }
        byte[] body = delete(false, "d1", "d2", "never-existed", "a &amp; b");
        var r = s3.as(ALICE).header("content-md5", ObjectHandlerTest.md5B64(body)).post("/multi?delete", body);
        assertEquals(200, r.status(), r.text());
        assertTrue(r.text().contains("<Deleted><Key>d1</Key></Deleted>"), r.text());
        assertTrue(r.text().contains("<Key>never-existed</Key>"), "absent keys count as deleted");
        assertTrue(r.text().contains("<Key>a &amp; b</Key>"), r.text());
        assertEquals(404, s3.as(ALICE).head("/multi/d1").status());
        var quiet = s3.as(ALICE).post("/multi?delete", delete(true, "d3", "d4"));
        assertEquals(200, quiet.status());
        assertFalse(quiet.text().contains("<Deleted>"), quiet.text());
        assertEquals(404, s3.as(ALICE).head("/multi/d4").status());
    }

    @Test
    void limitsAndMalformedBodies() throws Exception {
        s3.as(ALICE).put("/multi/keep", "keep");
        String[] many = new String[1001];
        java.util.Arrays.fill(many, "keep");
        assertEquals("MalformedXML", s3.as(ALICE).post("/multi?delete", delete(false, many)).code());
        assertEquals("MalformedXML", s3.as(ALICE).post("/multi?delete", delete(false)).code());
        assertEquals("MalformedXML", s3.as(ALICE).post("/multi?delete", delete(false, "")).code());
        assertEquals("MalformedXML", s3.as(ALICE).post("/multi?delete", "<Delete><Object>".getBytes()).code());
        assertEquals("MalformedXML", s3.as(ALICE).post("/multi?delete", "not xml at all".getBytes()).code());
        var badMd5 = s3.as(ALICE).header("content-md5", ObjectHandlerTest.md5B64("x".getBytes()))
                .post("/multi?delete", delete(false, "keep"));
        assertEquals("BadDigest", badMd5.code());
        byte[] huge = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        var tooBig = s3.as(ALICE).post("/multi?delete", huge);
        assertEquals(400, tooBig.status());
        assertEquals("MaxMessageLengthExceeded", tooBig.code());
        assertEquals("keep", s3.as(ALICE).get("/multi/keep").text(), "no rejected request deleted anything");
        String[] thousand = new String[1000];
        java.util.Arrays.fill(thousand, "keep");
        assertEquals(200, s3.as(ALICE).post("/multi?delete", delete(true, thousand)).status());
    }

    @Test
    void perKeyErrors() {
        String longKey = "k".repeat(1025);
        var r = s3.as(ALICE).post("/multi?delete", delete(false, longKey));
        assertEquals(200, r.status());
        assertTrue(r.text().contains("<Code>KeyTooLongError</Code>"), r.text());
    }
}

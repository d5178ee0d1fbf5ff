package org.mictlanx.s3.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;
import static org.mictlanx.s3.handler.MultipartHandlerTest.tag;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.S3Harness;

/** Object tagging over HTTP against the real router on in-process peers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaggingHandlerTest {

    private static final String B = "/tagging";
    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put(B, new byte[0]).status());
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    /** The (key, value) pairs of a Tagging document, in order. */
    static List<Map.Entry<String, String>> tags(String xml) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        Matcher m = Pattern.compile("<Tag><Key>([^<]*)</Key><Value>([^<]*)</Value></Tag>").matcher(xml);
        while (m.find()) {
            out.add(Map.entry(m.group(1), m.group(2)));
        }
        return out;
    }

    static String document(String... kv) {
        StringBuilder sb = new StringBuilder("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>");
        for (int i = 0; i < kv.length; i += 2) {
            sb.append("<Tag><Key>").append(kv[i]).append("</Key><Value>").append(kv[i + 1]).append("</Value></Tag>");
        }
        return sb.append("</TagSet></Tagging>").toString();
    }

    private List<Map.Entry<String, String>> getTags(String key) {
        var r = s3.as(ALICE).get(B + "/" + key + "?tagging");
        assertEquals(200, r.status(), r.text());
        return tags(r.text());
    }

    @Test
    void putWithHeaderThenReplaceReadAndDeleteTags() {
        var put = s3.as(ALICE).header("x-amz-tagging", "project=mictlanx&team=core%20storage&empty=&plus=a+b")
                .put(B + "/k", "body");
        assertEquals(200, put.status(), put.text());
        assertEquals(List.of(Map.entry("project", "mictlanx"), Map.entry("team", "core storage"), Map.entry("empty", ""),
                Map.entry("plus", "a b")), getTags("k"));
        var head = s3.as(ALICE).head(B + "/k");
        assertEquals("4", head.header("x-amz-tagging-count"));
        assertEquals("4", s3.as(ALICE).get(B + "/k").header("x-amz-tagging-count"));
        String etag = head.header("ETag");
        String modified = head.header("Last-Modified");

        var replaced = s3.as(ALICE).put(B + "/k?tagging", document("a", "1", "ñandú", "☃ snow"));
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals(List.of(Map.entry("a", "1"), Map.entry("ñandú", "☃ snow")), getTags("k"));
        var after = s3.as(ALICE).get(B + "/k");
        assertEquals("2", after.header("x-amz-tagging-count"));
        assertEquals(etag, after.header("ETag"), "tagging changes neither the ETag");
        assertEquals(modified, after.header("Last-Modified"), "nor Last-Modified");
        assertEquals("body", after.text());

        var deleted = s3.as(ALICE).delete(B + "/k?tagging");
        assertEquals(204, deleted.status(), deleted.text());
        var empty = s3.as(ALICE).get(B + "/k?tagging");
        assertEquals(200, empty.status());
        assertTrue(empty.text().contains("<TagSet/>") || empty.text().contains("<TagSet></TagSet>"), empty.text());
        assertNull(s3.as(ALICE).head(B + "/k").header("x-amz-tagging-count"));
        assertEquals(204, s3.as(ALICE).delete(B + "/k?tagging").status(), "deleting no tags is fine");
        assertEquals(200, s3.as(ALICE).put(B + "/k?tagging", "<Tagging><TagSet/></Tagging>").status());
        assertEquals(List.of(), getTags("k"));
        s3.as(ALICE).put(B + "/k?tagging", document("x", "y"));
        s3.as(ALICE).put(B + "/k", "overwritten");
        assertEquals(List.of(), getTags("k"), "an overwrite starts with its own (no) tags");
    }

    @Test
    void missingKeyVersionsAndPermissions() {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            var r = s3.as(ALICE).send(method, B + "/absent?tagging", method.equals("PUT")
                    ? document("a", "b").getBytes() : new byte[0]);
            assertEquals(404, r.status(), method);
            assertEquals("NoSuchKey", r.code(), method);
        }
        s3.as(ALICE).header("x-amz-tagging", "owner=alice").put(B + "/mine", "x");
        assertEquals("AccessDenied", s3.as(BOB).get(B + "/mine?tagging").code());
        assertEquals("AccessDenied", s3.as(BOB).put(B + "/mine?tagging", document("a", "b")).code());
        assertEquals("AccessDenied", s3.as(BOB).delete(B + "/mine?tagging").code());
        assertEquals(List.of(Map.entry("owner", "alice")), getTags("mine"));
        assertEquals("InvalidArgument", s3.as(ALICE).get(B + "/mine?tagging&versionId=abc").code());
        assertEquals(200, s3.as(ALICE).get(B + "/mine?tagging&versionId=null").status());
        assertEquals("NoSuchBucket", s3.as(ALICE).get("/no-such-tag-bucket/k?tagging").code());
    }

    @Test
    void invalidTagsAreRefusedAndNothingChanges() {
        s3.as(ALICE).header("x-amz-tagging", "keep=me").put(B + "/v", "v");
        String eleven = "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11";
        String[] badHeaders = {eleven, "k=1&k=2", "aws:reserved=x", "=v", "k".repeat(129) + "=v",
            "k=" + "v".repeat(257), "k=%01"};
        for (String h : badHeaders) {
            var r = s3.as(ALICE).header("x-amz-tagging", h).put(B + "/v", "new body");
            assertEquals(400, r.status(), h);
            assertEquals("InvalidTag", r.code(), h);
            var mp = s3.as(ALICE).header("x-amz-tagging", h).post(B + "/v2?uploads", new byte[0]);
            assertEquals("InvalidTag", mp.code(), h);
        }
        assertEquals("InvalidArgument", s3.as(ALICE).header("x-amz-tagging", "k=%zz").put(B + "/v", "x").code());
        // limits are in Unicode characters, not bytes
        String k128 = "ñ".repeat(128);
        String v256 = "☃".repeat(256);
        String encoded = URLEncoder.encode(k128, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v256, StandardCharsets.UTF_8);
        assertEquals(200, s3.as(ALICE).header("x-amz-tagging", encoded).put(B + "/max", "m").status());
        assertEquals("InvalidTag", s3.as(ALICE).header("x-amz-tagging", encoded.replace("=", "%C3%B1=")).put(B + "/max", "m").code());
        assertEquals(List.of(Map.entry(k128, v256)), getTags("max"));
        assertEquals(200, s3.as(ALICE).header("x-amz-tagging", "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10")
                .put(B + "/ten", "t").status());
        assertEquals("10", s3.as(ALICE).head(B + "/ten").header("x-amz-tagging-count"));

        String[] badDocuments = {document("a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6", "g", "7", "h", "8",
                "i", "9", "j", "10", "k", "11"), document("dup", "1", "dup", "2"), document("aws:x", "1"),
            document("", "v"), document("k".repeat(129), "v"), document("k", "v".repeat(257))};
        for (String d : badDocuments) {
            var r = s3.as(ALICE).put(B + "/v?tagging", d);
            assertEquals(400, r.status(), d);
            assertEquals("InvalidTag", r.code(), d);
        }
        String[] malformed = {"<Tagging/>", "<Tagging></Tagging>", "not xml", "<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>",
            "<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>", "<Tagging><TagSet>",
            "<!DOCTYPE t [<!ENTITY e \"x\">]><Tagging><TagSet><Tag><Key>&e;</Key><Value>v</Value></Tag></TagSet></Tagging>"};
        for (String d : malformed) {
            assertEquals("MalformedXML", s3.as(ALICE).put(B + "/v?tagging", d).code(), d);
        }
        assertEquals("v", s3.as(ALICE).get(B + "/v").text());
        assertEquals(List.of(Map.entry("keep", "me")), getTags("v"));
        var badMd5 = s3.as(ALICE).header("content-md5", "AAAAAAAAAAAAAAAAAAAAAA==").put(B + "/v?tagging", document("a", "b"));
        assertEquals("BadDigest", badMd5.code(), "the body's digests are checked before the tags are applied");
        assertEquals(List.of(Map.entry("keep", "me")), getTags("v"));
    }

    @Test
    void multipartAppliesTagsAtCompletion() {
        var created = s3.as(ALICE).header("x-amz-tagging", "stage=mp&n=1").post(B + "/mp?uploads", new byte[0]);
        assertEquals(200, created.status(), created.text());
        String upload = tag(created.text(), "UploadId");
        var part = s3.as(ALICE).put(B + "/mp?partNumber=1&uploadId=" + upload, "part one");
        assertEquals("NoSuchKey", s3.as(ALICE).get(B + "/mp?tagging").code(), "no ball before completion");
        String body = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + part.header("ETag")
                + "</ETag></Part></CompleteMultipartUpload>";
        assertEquals(200, s3.as(ALICE).post(B + "/mp?uploadId=" + upload, body.getBytes()).status());
        assertEquals(List.of(Map.entry("stage", "mp"), Map.entry("n", "1")), getTags("mp"));
        assertEquals("2", s3.as(ALICE).head(B + "/mp").header("x-amz-tagging-count"));
    }

    @Test
    void copyKeepsOrReplacesTagsByDirective() {
        byte[] data = MultipartHandlerTest.random(70_000, 9);
        s3.as(ALICE).header("x-amz-tagging", "src=yes").put(B + "/src", data);
        var copied = s3.as(ALICE).header("x-amz-copy-source", B + "/src").put(B + "/copy", new byte[0]);
        assertEquals(200, copied.status(), copied.text());
        assertEquals(List.of(Map.entry("src", "yes")), getTags("copy"));
        var explicitCopy = s3.as(ALICE).header("x-amz-copy-source", B + "/src").header("x-amz-tagging-directive", "COPY")
                .header("x-amz-tagging", "ignored=1").put(B + "/copy2", new byte[0]);
        assertEquals(200, explicitCopy.status(), explicitCopy.text());
        assertEquals(List.of(Map.entry("src", "yes")), getTags("copy2"), "x-amz-tagging is ignored with COPY");
        var replaced = s3.as(ALICE).header("x-amz-copy-source", B + "/src").header("x-amz-tagging-directive", "REPLACE")
                .header("x-amz-tagging", "dst=new&n=2").put(B + "/copy3", new byte[0]);
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals(List.of(Map.entry("dst", "new"), Map.entry("n", "2")), getTags("copy3"));
        var none = s3.as(ALICE).header("x-amz-copy-source", B + "/src").header("x-amz-tagging-directive", "replace")
                .put(B + "/copy4", new byte[0]);
        assertEquals(200, none.status(), none.text());
        assertEquals(List.of(), getTags("copy4"));
        assertArrayEquals(data, s3.as(ALICE).get(B + "/copy4").body());
        assertEquals("InvalidArgument", s3.as(ALICE).header("x-amz-copy-source", B + "/src")
                .header("x-amz-tagging-directive", "MERGE").put(B + "/copy5", new byte[0]).code());
        assertEquals("InvalidTag", s3.as(ALICE).header("x-amz-copy-source", B + "/src")
                .header("x-amz-tagging-directive", "REPLACE").header("x-amz-tagging", "aws:no=1").put(B + "/copy5", new byte[0]).code());
        assertEquals(404, s3.as(ALICE).head(B + "/copy5").status());
        assertEquals(List.of(Map.entry("src", "yes")), getTags("src"), "the source keeps its tags");
    }
}

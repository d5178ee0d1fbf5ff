package org.mictlanx.s3.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.S3Harness;

/** The multipart operations over HTTP against the real router on in-process peers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultipartHandlerTest {

    static final int MIB = 1024 * 1024;
    private static final String B = "/multipart";
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

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] md5(byte[] b) throws Exception {
        return MessageDigest.getInstance("MD5").digest(b);
    }

    static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    static List<String> tags(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static byte[] crc32(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return ByteBuffer.allocate(4).putInt((int) c.getValue()).array();
    }

    static byte[] crc32c(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return ByteBuffer.allocate(4).putInt((int) c.getValue()).array();
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    String create(String key, String... headers) {
        var call = s3.as(ALICE);
        for (int i = 0; i < headers.length; i += 2) {
            call.header(headers[i], headers[i + 1]);
        }
        var r = call.post(B + "/" + key + "?uploads", new byte[0]);
        assertEquals(200, r.status(), r.text());
        return tag(r.text(), "UploadId");
    }

    String part(String key, String id, int n, byte[] body) {
        var r = s3.as(ALICE).put(B + "/" + key + "?partNumber=" + n + "&uploadId=" + id, body);
        assertEquals(200, r.status(), r.text());
        return r.header("ETag");
    }

    static String completeXml(Object... numberAndEtag) {
        StringBuilder sb = new StringBuilder("<CompleteMultipartUpload>");
        for (int i = 0; i < numberAndEtag.length; i += 2) {
            sb.append("<Part><PartNumber>").append(numberAndEtag[i]).append("</PartNumber><ETag>")
                    .append(numberAndEtag[i + 1]).append("</ETag></Part>");
        }
        return sb.append("</CompleteMultipartUpload>").toString();
    }

    S3Harness.Reply complete(String key, String id, String xml) {
        return s3.as(ALICE).post(B + "/" + key + "?uploadId=" + id, xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void uploadCompleteAndReadBackWithPartNumbers() throws Exception {
        byte[] p1 = random(5 * MIB, 1);
        byte[] p2 = random(5 * MIB, 2);
        byte[] p3 = random(1000, 3);
        String id = create("big.bin", "content-type", "application/x-test", "x-amz-meta-color", "blue");
        String e1 = part("big.bin", id, 1, random(5 * MIB, 99));
        e1 = part("big.bin", id, 1, p1); // re-upload: the last upload wins
        assertEquals('"' + HexFormat.of().formatHex(md5(p1)) + '"', e1);
        String e2 = part("big.bin", id, 2, p2);
        String e3 = part("big.bin", id, 5, p3); // part numbers need not be contiguous
        var list = s3.as(ALICE).get(B + "/big.bin?uploadId=" + id + "&max-parts=2");
        assertEquals(200, list.status(), list.text());
        assertEquals(List.of("1", "2"), tags(list.text(), "PartNumber"));
        assertEquals("true", tag(list.text(), "IsTruncated"));
        assertEquals("2", tag(list.text(), "NextPartNumberMarker"));
        var rest = s3.as(ALICE).get(B + "/big.bin?uploadId=" + id + "&part-number-marker=2");
        assertEquals(List.of("5"), tags(rest.text(), "PartNumber"));
        assertEquals("false", tag(rest.text(), "IsTruncated"));

        var done = complete("big.bin", id, completeXml(1, e1, 2, e2, 5, e3));
        assertEquals(200, done.status(), done.text());
        ByteArrayOutputStream md5s = new ByteArrayOutputStream();
        md5s.write(md5(p1));
        md5s.write(md5(p2));
        md5s.write(md5(p3));
        String etag = '"' + HexFormat.of().formatHex(md5(md5s.toByteArray())) + "-3\"";
        assertEquals(etag, tag(done.text(), "ETag").replace("&quot;", "\""));
        assertEquals("NoSuchUpload", s3.as(ALICE).get(B + "/big.bin?uploadId=" + id).code(), "completed uploads are gone");

        var get = s3.as(ALICE).get(B + "/big.bin");
        assertEquals(200, get.status());
        assertEquals(etag, get.header("ETag"));
        assertEquals("application/x-test", get.header("Content-Type"));
        assertEquals("blue", get.header("x-amz-meta-color"));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(p1);
        all.write(p2);
        all.write(p3);
        assertArrayEquals(all.toByteArray(), get.body());

        var second = s3.as(ALICE).get(B + "/big.bin?partNumber=2");
        assertEquals(206, second.status());
        assertEquals("3", second.header("x-amz-mp-parts-count"));
        assertEquals("bytes " + 5 * MIB + "-" + (10 * MIB - 1) + "/" + all.size(), second.header("Content-Range"));
        assertArrayEquals(p2, second.body());
        var headLast = s3.as(ALICE).head(B + "/big.bin?partNumber=3");
        assertEquals(206, headLast.status());
        assertEquals("1000", headLast.header("Content-Length"));
        assertEquals("InvalidPartNumber", s3.as(ALICE).get(B + "/big.bin?partNumber=4").code());
        assertEquals(416, s3.as(ALICE).get(B + "/big.bin?partNumber=4").status());
        assertEquals("InvalidRequest", s3.as(ALICE).header("range", "bytes=0-1").get(B + "/big.bin?partNumber=1").code());

        var attrs = s3.as(ALICE).header("x-amz-object-attributes", "ETag,ObjectParts,ObjectSize,StorageClass")
                .header("x-amz-max-parts", "2").get(B + "/big.bin?attributes");
        assertEquals(200, attrs.status(), attrs.text());
        assertEquals(etag.replace("\"", ""), tag(attrs.text(), "ETag"));
        assertEquals(Integer.toString(all.size()), tag(attrs.text(), "ObjectSize"));
        assertEquals("3", tag(attrs.text(), "PartsCount"));
        assertEquals(List.of("1", "2"), tags(attrs.text(), "PartNumber"));
        assertEquals("true", tag(attrs.text(), "IsTruncated"));
        assertEquals("STANDARD", tag(attrs.text(), "StorageClass"));

        var single = s3.as(ALICE).get(B + "/big.bin?partNumber=1");
        assertArrayEquals(p1, single.body());
        s3.as(ALICE).put(B + "/small", "small");
        var whole = s3.as(ALICE).get(B + "/small?partNumber=1");
        assertEquals(200, whole.status());
        assertEquals("small", whole.text());
        assertNull(whole.header("x-amz-mp-parts-count"));
        assertEquals("InvalidPartNumber", s3.as(ALICE).get(B + "/small?partNumber=2").code());
    }

    @Test
    void completionErrors() throws Exception {
        byte[] small = random(1024, 5);
        byte[] big = random(5 * MIB, 6);
        String id = create("errors");
        String eSmall = part("errors", id, 1, small);
        String eBig = part("errors", id, 2, big);
        String e3 = part("errors", id, 3, small);
        var tooSmall = complete("errors", id, completeXml(1, eSmall, 2, eBig));
        assertEquals("EntityTooSmall", tooSmall.code(), tooSmall.text());
        assertEquals("InvalidPartOrder", complete("errors", id, completeXml(2, eBig, 1, eSmall)).code());
        assertEquals("InvalidPart", complete("errors", id, completeXml(2, eBig, 4, e3)).code(), "never uploaded");
        assertEquals("InvalidPart", complete("errors", id, completeXml(2, eBig, 3, eBig)).code(), "wrong ETag");
        assertEquals("MalformedXML", complete("errors", id, "<CompleteMultipartUpload/>").code());
        assertEquals("MalformedXML", complete("errors", id, "<Complete").code());
        assertEquals(404, s3.as(ALICE).head(B + "/errors").status(), "nothing committed by failed completions");
        var ok = complete("errors", id, completeXml(2, eBig, 3, e3));
        assertEquals(200, ok.status(), ok.text());
        assertEquals(5 * MIB + 1024, s3.as(ALICE).get(B + "/errors").body().length);
        var retried = complete("errors", id, completeXml(2, eBig, 3, e3));
        assertEquals(200, retried.status(), "a retried completion gets the same answer, as S3");
        assertEquals(ok.text().replaceAll("(?s).*(<ETag>.*</ETag>).*", "$1"),
                retried.text().replaceAll("(?s).*(<ETag>.*</ETag>).*", "$1"));
        assertTrue(retried.text().contains("<ETag>"), retried.text());
        assertEquals("NoSuchUpload", complete("errors", id, completeXml(2, eBig)).code(), "other parts");
        assertEquals(404, complete("errors", "0123456789abcdef0123456789abcdef", completeXml(1, eBig)).status());
        assertEquals("NoSuchUpload", s3.as(ALICE).put(B + "/errors?partNumber=1&uploadId=nope", small).code());
        assertEquals("NoSuchUpload", s3.as(ALICE).delete(B + "/errors?uploadId=nope").code());
    }

    @Test
    void abortRemovesTheUpload() {
        String id = create("aborted");
        part("aborted", id, 1, random(1000, 7));
        assertEquals(204, s3.as(ALICE).delete(B + "/aborted?uploadId=" + id).status());
        assertEquals("NoSuchUpload", s3.as(ALICE).get(B + "/aborted?uploadId=" + id).code());
        var late = complete("aborted", id, completeXml(1, "\"x\""));
        assertEquals("NoSuchUpload", late.code(), late.text());
        assertFalse(s3.as(ALICE).get(B + "?uploads").text().contains(id));
    }

    @Test
    void listUploadsWithPrefixDelimiterAndPaging() {
        String bucket = "/uploads-list";
        assertEquals(200, s3.as(ALICE).put(bucket, new byte[0]).status());
        List<String> keys = List.of("a", "dir/x", "dir/y", "dir/sub/z", "e", "e");
        List<String> ids = new ArrayList<>();
        for (String k : keys) {
            var r = s3.as(ALICE).post(bucket + "/" + k + "?uploads", new byte[0]);
            ids.add(tag(r.text(), "UploadId"));
        }
        var all = s3.as(ALICE).get(bucket + "?uploads").text();
        assertEquals(List.of("a", "dir/sub/z", "dir/x", "dir/y", "e", "e"), tags(all, "Key"));
        var rolled = s3.as(ALICE).get(bucket + "?uploads&delimiter=/").text();
        assertEquals(List.of("a", "e", "e"), tags(rolled, "Key"));
        assertEquals(List.of("dir/"), tags(rolled, "Prefix").stream().filter(p -> !p.isEmpty()).toList());
        var under = s3.as(ALICE).get(bucket + "?uploads&prefix=dir/&delimiter=/").text();
        assertEquals(List.of("dir/x", "dir/y"), tags(under, "Key"));
        assertTrue(under.contains("<Prefix>dir/sub/</Prefix>"), under);
        // Paging two at a time visits every upload exactly once.
        List<String> seen = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        for (int page = 0; page < 10; page++) {
            String q = bucket + "?uploads&max-uploads=2" + (keyMarker == null ? ""
                    : "&key-marker=" + keyMarker.replace("/", "%2F") + "&upload-id-marker=" + idMarker);
            String text = s3.as(ALICE).get(q).text();
            seen.addAll(tags(text, "UploadId"));
            if (!"true".equals(tag(text, "IsTruncated"))) {
                break;
            }
            keyMarker = tag(text, "NextKeyMarker");
            idMarker = tag(text, "NextUploadIdMarker");
        }
        assertEquals(ids.size(), seen.size(), seen.toString());
        assertTrue(seen.containsAll(ids));
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(204, s3.as(ALICE).delete(bucket + "/" + keys.get(i) + "?uploadId=" + ids.get(i)).status());
        }
        assertEquals(List.of(), tags(s3.as(ALICE).get(bucket + "?uploads").text(), "UploadId"));
    }

    @Test
    void compositeAndFullObjectChecksums() throws Exception {
        byte[] p1 = random(5 * MIB, 11);
        byte[] p2 = random(4000, 12);
        String id = create("crc-composite", "x-amz-checksum-algorithm", "CRC32");
        var r1 = s3.as(ALICE).header("x-amz-checksum-crc32", b64(crc32(p1)))
                .put(B + "/crc-composite?partNumber=1&uploadId=" + id, p1);
        assertEquals(200, r1.status(), r1.text());
        assertEquals(b64(crc32(p1)), r1.header("x-amz-checksum-crc32"));
        var bad = s3.as(ALICE).header("x-amz-checksum-crc32", b64(crc32(p1)))
                .put(B + "/crc-composite?partNumber=2&uploadId=" + id, p2);
        assertEquals("BadDigest", bad.code());
        var wrongAlgorithm = s3.as(ALICE).header("x-amz-checksum-crc32c", b64(crc32c(p2)))
                .put(B + "/crc-composite?partNumber=2&uploadId=" + id, p2);
        assertEquals("InvalidRequest", wrongAlgorithm.code());
        var r2 = s3.as(ALICE).header("x-amz-checksum-crc32", b64(crc32(p2)))
                .put(B + "/crc-composite?partNumber=2&uploadId=" + id, p2);
        assertEquals(200, r2.status(), r2.text());
        String xml = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + r1.header("ETag")
                + "</ETag><ChecksumCRC32>" + b64(crc32(p1)) + "</ChecksumCRC32></Part><Part><PartNumber>2</PartNumber>"
                + "<ETag>" + r2.header("ETag") + "</ETag><ChecksumCRC32>" + b64(crc32(p2)) + "</ChecksumCRC32></Part>"
                + "</CompleteMultipartUpload>";
        var done = complete("crc-composite", id, xml);
        assertEquals(200, done.status(), done.text());
        ByteArrayOutputStream crcs = new ByteArrayOutputStream();
        crcs.write(crc32(p1));
        crcs.write(crc32(p2));
        String composite = b64(crc32(crcs.toByteArray())) + "-2";
        assertEquals(composite, tag(done.text(), "ChecksumCRC32"));
        assertEquals("COMPOSITE", tag(done.text(), "ChecksumType"));
        var head = s3.as(ALICE).header("x-amz-checksum-mode", "ENABLED").head(B + "/crc-composite");
        assertEquals(composite, head.header("x-amz-checksum-crc32"));
        assertEquals("COMPOSITE", head.header("x-amz-checksum-type"));
        assertNull(s3.as(ALICE).header("x-amz-checksum-mode", "ENABLED").header("range", "bytes=0-9")
                .get(B + "/crc-composite").header("x-amz-checksum-crc32"), "no checksum for a range");
        var part2 = s3.as(ALICE).header("x-amz-checksum-mode", "ENABLED").head(B + "/crc-composite?partNumber=2");
        assertEquals(b64(crc32(p2)), part2.header("x-amz-checksum-crc32"));
        var attrs = s3.as(ALICE).header("x-amz-object-attributes", "Checksum,ObjectParts")
                .get(B + "/crc-composite?attributes").text();
        assertEquals(List.of(composite, b64(crc32(p1)), b64(crc32(p2))), tags(attrs, "ChecksumCRC32"));

        String full = create("crc-full", "x-amz-checksum-algorithm", "CRC32C", "x-amz-checksum-type", "FULL_OBJECT");
        var f1 = s3.as(ALICE).header("x-amz-checksum-crc32c", b64(crc32c(p1))).put(B + "/crc-full?partNumber=1&uploadId=" + full, p1);
        var f2 = s3.as(ALICE).header("x-amz-checksum-crc32c", b64(crc32c(p2))).put(B + "/crc-full?partNumber=2&uploadId=" + full, p2);
        var fdone = complete("crc-full", full, completeXml(1, f1.header("ETag"), 2, f2.header("ETag")));
        assertEquals(200, fdone.status(), fdone.text());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(p1);
        body.write(p2);
        assertEquals(b64(crc32c(body.toByteArray())), tag(fdone.text(), "ChecksumCRC32C"));
        assertEquals("FULL_OBJECT", tag(fdone.text(), "ChecksumType"));
        var fhead = s3.as(ALICE).header("x-amz-checksum-mode", "ENABLED").head(B + "/crc-full");
        assertEquals(b64(crc32c(body.toByteArray())), fhead.header("x-amz-checksum-crc32c"));
        assertEquals("FULL_OBJECT", fhead.header("x-amz-checksum-type"));
        assertEquals("InvalidRequest", s3.as(ALICE).header("x-amz-checksum-algorithm", "MD4")
                .post(B + "/bad?uploads", new byte[0]).code());
        assertEquals("InvalidRequest", s3.as(ALICE).header("x-amz-checksum-algorithm", "SHA256")
                .header("x-amz-checksum-type", "FULL_OBJECT").post(B + "/bad?uploads", new byte[0]).code());
    }

    @Test
    void conditionalCompletion() {
        byte[] p = random(2000, 21);
        s3.as(ALICE).put(B + "/cond", "existing");
        String id = create("cond");
        String e = part("cond", id, 1, p);
        var refused = s3.as(ALICE).header("if-none-match", "*").post(B + "/cond?uploadId=" + id,
                completeXml(1, e).getBytes(StandardCharsets.UTF_8));
        assertEquals(412, refused.status(), refused.text());
        assertEquals("PreconditionFailed", refused.code());
        assertEquals("existing", s3.as(ALICE).get(B + "/cond").text());
        String current = s3.as(ALICE).head(B + "/cond").header("ETag");
        var ok = s3.as(ALICE).header("if-match", current).post(B + "/cond?uploadId=" + id,
                completeXml(1, e).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, ok.status(), ok.text());
        assertArrayEquals(p, s3.as(ALICE).get(B + "/cond").body());
    }

    @Test
    void uploadPartCopyWithRanges() throws Exception {
        byte[] src = random(6 * MIB + 100, 31);
        assertEquals(200, s3.as(ALICE).put(B + "/copy-src", src).status());
        String id = create("copied");
        var c1 = s3.as(ALICE).header("x-amz-copy-source", B + "/copy-src")
                .header("x-amz-copy-source-range", "bytes=0-" + (5 * MIB - 1))
                .put(B + "/copied?partNumber=1&uploadId=" + id, new byte[0]);
        assertEquals(200, c1.status(), c1.text());
        byte[] first = java.util.Arrays.copyOfRange(src, 0, 5 * MIB);
        assertEquals("\"" + HexFormat.of().formatHex(md5(first)) + "\"", tag(c1.text(), "ETag").replace("&quot;", "\""));
        var c2 = s3.as(ALICE).header("x-amz-copy-source", B.substring(1) + "/copy-src")
                .header("x-amz-copy-source-range", "bytes=" + 5 * MIB + "-" + (src.length - 1))
                .put(B + "/copied?partNumber=2&uploadId=" + id, new byte[0]);
        assertEquals(200, c2.status(), c2.text());
        assertEquals("InvalidRange", s3.as(ALICE).header("x-amz-copy-source", B + "/copy-src")
                .header("x-amz-copy-source-range", "bytes=0-" + src.length)
                .put(B + "/copied?partNumber=3&uploadId=" + id, new byte[0]).code());
        assertEquals("NoSuchKey", s3.as(ALICE).header("x-amz-copy-source", B + "/absent")
                .put(B + "/copied?partNumber=3&uploadId=" + id, new byte[0]).code());
        assertEquals("PreconditionFailed", s3.as(ALICE).header("x-amz-copy-source", B + "/copy-src")
                .header("x-amz-copy-source-if-match", "\"nope\"")
                .put(B + "/copied?partNumber=3&uploadId=" + id, new byte[0]).code());
        var done = complete("copied", id, completeXml(1, tag(c1.text(), "ETag").replace("&quot;", "\""),
                2, tag(c2.text(), "ETag").replace("&quot;", "\"")));
        assertEquals(200, done.status(), done.text());
        assertArrayEquals(src, s3.as(ALICE).get(B + "/copied").body());
    }
}

package org.mictlanx.s3.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.router.RouterException;
import org.mictlanx.s3.S3Harness;
import org.mictlanx.xolo.sigv4.PayloadMode;

/** PutObject, GetObject, HeadObject, DeleteObject over HTTP, with every payload mode. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectHandlerTest {

    private static final String B = "/objects";
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

    static String md5Hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    static String md5B64(byte[] b) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(b));
    }

    static String crc32B64(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
    }

    @Test
    void putGetHeadDeleteRoundTrip() throws Exception {
        byte[] body = "hello, mictlanx".getBytes(StandardCharsets.UTF_8);
        var put = s3.as(ALICE).header("content-type", "text/plain").put(B + "/greeting.txt", body);
        assertEquals(200, put.status(), put.text());
        assertEquals('"' + md5Hex(body) + '"', put.header("ETag"));
        var get = s3.as(ALICE).get(B + "/greeting.txt");
        assertEquals(200, get.status());
        assertArrayEquals(body, get.body());
        assertEquals("text/plain", get.header("Content-Type"));
        assertEquals(Integer.toString(body.length), get.header("Content-Length"));
        assertEquals('"' + md5Hex(body) + '"', get.header("ETag"));
        assertTrue(get.header("Last-Modified").matches("[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT"),
                get.header("Last-Modified"));
        assertEquals("bytes", get.header("Accept-Ranges"));
        var head = s3.as(ALICE).head(B + "/greeting.txt");
        assertEquals(200, head.status());
        assertEquals(Integer.toString(body.length), head.header("Content-Length"));
        assertEquals(0, head.body().length);
        assertEquals(204, s3.as(ALICE).delete(B + "/greeting.txt").status());
        assertEquals(204, s3.as(ALICE).delete(B + "/greeting.txt").status(), "absent key deletes are 204 too");
        var missing = s3.as(ALICE).get(B + "/greeting.txt");
        assertEquals(404, missing.status());
        assertEquals("NoSuchKey", missing.code());
        var missingHead = s3.as(ALICE).head(B + "/greeting.txt");
        assertEquals(404, missingHead.status());
        assertEquals(0, missingHead.body().length);
        assertEquals("binary/octet-stream", headerOf(s3.as(ALICE).put(B + "/untyped", "x"), B + "/untyped"));
    }

    private String headerOf(S3Harness.Reply ignored, String path) {
        return s3.as(ALICE).head(path).header("Content-Type");
    }

    @Test
    void metadataAndSystemHeadersAreStoredAndReturned() {
        var put = s3.as(ALICE)
                .header("x-amz-meta-color", "blue")
                .header("x-amz-meta-encoded", "=?UTF-8?B?w7FhbmTDug==?=")
                .header("content-encoding", "gzip")
                .header("content-disposition", "attachment; filename=\"a.txt\"")
                .header("content-language", "es-MX")
                .header("cache-control", "max-age=60")
                .header("expires", "Thu, 01 Dec 2094 16:00:00 GMT")
                .put(B + "/meta", "m");
        assertEquals(200, put.status(), put.text());
        var head = s3.as(ALICE).head(B + "/meta");
        assertEquals("blue", head.header("x-amz-meta-color"));
        assertEquals("=?UTF-8?B?w7FhbmTDug==?=", head.header("x-amz-meta-encoded"), "RFC 2047 values come back as stored");
        assertEquals("gzip", head.header("Content-Encoding"));
        assertEquals("attachment; filename=\"a.txt\"", head.header("Content-Disposition"));
        assertEquals("es-MX", head.header("Content-Language"));
        assertEquals("max-age=60", head.header("Cache-Control"));
        assertEquals("Thu, 01 Dec 2094 16:00:00 GMT", head.header("Expires"));
    }

    @Test
    void rawUtf8MetadataIsStoredAsCharactersAndReturnedRfc2047() throws Exception {
        String hostHeader = s3.host;
        byte[] body = "u".getBytes(StandardCharsets.UTF_8);
        String value = "ñandú";
        String headers = s3.signedHeaderBlock(ALICE, "PUT", B + "/utf8meta", "", hostHeader,
                Map.of("x-amz-meta-bird", new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)),
                body);
        String response = s3.socket("PUT " + B + "/utf8meta HTTP/1.1\r\n" + headers
                + "Content-Length: 1\r\nConnection: close\r\n\r\nu");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        String returned = s3.as(ALICE).head(B + "/utf8meta").header("x-amz-meta-bird");
        assertEquals("=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=",
                returned);
    }

    @Test
    void contentMd5() throws Exception {
        byte[] body = "integrity".getBytes(StandardCharsets.UTF_8);
        assertEquals(200, s3.as(ALICE).header("content-md5", md5B64(body)).put(B + "/md5", body).status());
        var bad = s3.as(ALICE).header("content-md5", md5B64("other".getBytes())).put(B + "/md5-bad", body);
        assertEquals(400, bad.status());
        assertEquals("BadDigest", bad.code());
        assertEquals(404, s3.as(ALICE).head(B + "/md5-bad").status(), "a bad digest stores nothing");
        var invalid = s3.as(ALICE).header("content-md5", "not-base64!!").put(B + "/md5-bad", body);
        assertEquals("InvalidDigest", invalid.code());
        var shortDigest = s3.as(ALICE).header("content-md5", "AAAA").put(B + "/md5-bad", body);
        assertEquals("InvalidDigest", shortDigest.code());
    }

    @Test
    void payloadModes() throws Exception {
        byte[] body = new byte[200_000];
        new java.util.Random(7).nextBytes(body);
        for (PayloadMode mode : new PayloadMode[] {PayloadMode.SIGNED, PayloadMode.UNSIGNED}) {
            var r = s3.as(ALICE).mode(mode).put(B + "/mode-" + mode, body);
            assertEquals(200, r.status(), mode + " " + r.text());
            assertArrayEquals(body, s3.as(ALICE).get(B + "/mode-" + mode).body(), mode.toString());
        }
        var streamed = s3.as(ALICE).chunked(PayloadMode.STREAMING_SIGNED, 65_536, Map.of())
                .put(B + "/mode-streaming", body);
        assertEquals(200, streamed.status(), streamed.text());
        assertArrayEquals(body, s3.as(ALICE).get(B + "/mode-streaming").body());
        assertNull(s3.as(ALICE).head(B + "/mode-streaming").header("Content-Encoding"), "aws-chunked is transport only");
        for (PayloadMode mode : new PayloadMode[] {PayloadMode.STREAMING_UNSIGNED_TRAILER,
                PayloadMode.STREAMING_SIGNED_TRAILER}) {
            var ok = s3.as(ALICE).header("x-amz-sdk-checksum-algorithm", "CRC32")
                    .chunked(mode, 65_536, Map.of("x-amz-checksum-crc32", crc32B64(body)))
                    .put(B + "/trailer-" + mode, body);
            assertEquals(200, ok.status(), mode + " " + ok.text());
            assertEquals(crc32B64(body), ok.header("x-amz-checksum-crc32"));
            var checksum = s3.as(ALICE).header("x-amz-checksum-mode", "ENABLED").get(B + "/trailer-" + mode);
            assertEquals(crc32B64(body), checksum.header("x-amz-checksum-crc32"));
            var bad = s3.as(ALICE).header("x-amz-sdk-checksum-algorithm", "CRC32")
                    .chunked(mode, 65_536, Map.of("x-amz-checksum-crc32", crc32B64("nope".getBytes())))
                    .put(B + "/trailer-bad-" + mode, body);
            assertEquals(400, bad.status(), mode.toString());
            assertEquals("BadDigest", bad.code());
            assertEquals(404, s3.as(ALICE).head(B + "/trailer-bad-" + mode).status());
        }
        var headerChecksum = s3.as(ALICE).header("x-amz-checksum-crc32", crc32B64("nope".getBytes()))
                .put(B + "/header-checksum-bad", body);
        assertEquals("BadDigest", headerChecksum.code());
    }

    @Test
    void signedPayloadMismatchIsRejectedBeforeCommit() {
        var signed = s3.as(ALICE).mode(PayloadMode.SIGNED);
        // Sign one body, send another of the same length.
        var request = new org.mictlanx.xolo.sigv4.SigV4Signer(ALICE, "aliceSecretKey/0123456789+abcdefghijklmn",
                S3Harness.REGION).sign("PUT", B + "/tampered", "", Map.of("host", s3.host),
                org.mictlanx.xolo.sigv4.SigV4Crypto.sha256Hex("original".getBytes()), java.time.Instant.now());
        var r = s3.raw("PUT", B + "/tampered", request.request(), "tampered".getBytes());
        assertEquals(400, r.status());
        assertEquals("XAmzContentSHA256Mismatch", r.code());
        assertEquals(404, signed.head(B + "/tampered").status());
    }

    @Test
    void ranges() {
        s3.as(ALICE).put(B + "/digits", "0123456789");
        assertRange("bytes=0-3", 206, "0123", "bytes 0-3/10");
        assertRange("bytes=7-", 206, "789", "bytes 7-9/10");
        assertRange("bytes=-4", 206, "6789", "bytes 6-9/10");
        assertRange("bytes=-40", 206, "0123456789", "bytes 0-9/10");
        assertRange("bytes=8-100", 206, "89", "bytes 8-9/10");
        assertRange("bytes=5-2", 200, "0123456789", null);
        assertRange("bytes=0-1,4-5", 200, "0123456789", null);
        assertRange("lines=1-2", 200, "0123456789", null);
        var r = s3.as(ALICE).header("range", "bytes=10-").get(B + "/digits");
        assertEquals(416, r.status());
        assertEquals("InvalidRange", r.code());
        assertEquals("bytes */10", r.header("Content-Range"));
        assertEquals(416, s3.as(ALICE).header("range", "bytes=-0").get(B + "/digits").status());
        var headRange = s3.as(ALICE).header("range", "bytes=2-4").head(B + "/digits");
        assertEquals(206, headRange.status());
        assertEquals("3", headRange.header("Content-Length"));
    }

    private void assertRange(String range, int status, String body, String contentRange) {
        var r = s3.as(ALICE).header("range", range).get(B + "/digits");
        assertEquals(status, r.status(), range);
        assertEquals(body, r.text(), range);
        assertEquals(contentRange, r.header("Content-Range"), range);
    }

    @Test
    void conditionals() {
        var put = s3.as(ALICE).put(B + "/cond", "conditional");
        String etag = put.header("ETag");
        String lastModified = s3.as(ALICE).head(B + "/cond").header("Last-Modified");
        String past = "Mon, 01 Jan 2001 00:00:00 GMT";
        String future = "Fri, 01 Jan 2100 00:00:00 GMT";
        assertStatus(200, "if-match", etag);
        assertStatus(200, "if-match", "*");
        assertStatus(412, "if-match", "\"0000\"");
        assertStatus(304, "if-none-match", etag);
        assertStatus(200, "if-none-match", "\"0000\"");
        assertStatus(304, "if-modified-since", lastModified);
        assertStatus(200, "if-modified-since", past);
        assertStatus(200, "if-modified-since", "not a date");
        assertStatus(412, "if-unmodified-since", past);
        assertStatus(200, "if-unmodified-since", lastModified);
        // S3 precedence: If-Match true beats If-Unmodified-Since false; If-None-Match false beats If-Modified-Since.
        var a = s3.as(ALICE).header("if-match", etag).header("if-unmodified-since", past).get(B + "/cond");
        assertEquals(200, a.status());
        var b = s3.as(ALICE).header("if-none-match", "\"0000\"").header("if-modified-since", future).get(B + "/cond");
        assertEquals(200, b.status());
        var notModified = s3.as(ALICE).header("if-none-match", etag).get(B + "/cond");
        assertEquals(etag, notModified.header("ETag"));
        assertEquals(0, notModified.body().length);
        var failed = s3.as(ALICE).header("if-match", "\"0000\"").get(B + "/cond");
        assertEquals("PreconditionFailed", failed.code());
        assertEquals(412, s3.as(ALICE).header("if-match", "\"0000\"").head(B + "/cond").status());
        // Preconditions come before ranges.
        assertEquals(412, s3.as(ALICE).header("if-match", "\"0000\"").header("range", "bytes=100-").get(B + "/cond")
                .status());
    }

    private void assertStatus(int status, String header, String value) {
        assertEquals(status, s3.as(ALICE).header(header, value).get(B + "/cond").status(), header + ": " + value);
    }

    @Test
    void responseOverrides() {
        s3.as(ALICE).header("content-type", "text/plain").put(B + "/override", "o");
        var r = s3.as(ALICE).get(B + "/override?response-content-type=application%2Fjson"
                + "&response-content-disposition=attachment%3B%20filename%3D%22x.json%22&response-cache-control=no-cache"
                + "&response-content-language=fr&response-expires=Thu%2C%2001%20Dec%202094%2016%3A00%3A00%20GMT"
                + "&response-content-encoding=identity");
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("attachment; filename=\"x.json\"", r.header("Content-Disposition"));
        assertEquals("no-cache", r.header("Cache-Control"));
        assertEquals("fr", r.header("Content-Language"));
        assertEquals("Thu, 01 Dec 2094 16:00:00 GMT", r.header("Expires"));
        assertEquals("identity", r.header("Content-Encoding"));
    }

    @Test
    void oddKeysAreData() {
        String[][] keys = {
                {"/..%2Fx", "../x"}, {"/../y", "../y"}, {"//", "/"}, {"/a//b", "a//b"}, {"/ctl%01%1F", "ctl\u0001\u001f"},
                {"/%F0%9F%90%A6%20%C3%B1", "🐦 ñ"}, {"/a%2Bb+c", "a+b+c"}, {"/%3F%23%25", "?#%"}};
        int i = 0;
        for (String[] k : keys) {
            String body = "v" + i++;
            var put = s3.as(ALICE).put(B + "/odd" + k[0], body);
            assertEquals(200, put.status(), k[1] + " " + put.text());
            assertEquals(body, s3.as(ALICE).get(B + "/odd" + k[0]).text(), k[1]);
        }
        assertTrue(s3.store.headBall("objects", "odd/../x").isPresent());
        assertTrue(s3.store.headBall("objects", "odd/ctl\u0001\u001f").isPresent());
        // Jetty 12 refuses an encoded NUL in any request path before the front door sees it: a 400, nothing stored.
        int before = s3.count("objects");
        var nul = s3.as(ALICE).put(B + "/nul%00key", "x");
        assertEquals(400, nul.status());
        assertEquals(before, s3.count("objects"));
        assertTrue(s3.store.headBall("objects", "odd/🐦 ñ").isPresent());
        assertTrue(s3.store.headBall("objects", "odd//").isPresent());
    }

    @Test
    void versionIds() {
        s3.as(ALICE).put(B + "/versioned", "v");
        assertEquals(200, s3.as(ALICE).get(B + "/versioned?versionId=null").status());
        var other = s3.as(ALICE).get(B + "/versioned?versionId=3HL4kqtJlcpXroDTDmJ");
        assertEquals(400, other.status());
        assertEquals("InvalidArgument", other.code());
    }

    @Test
    void limits() {
        assertEquals(200, s3.as(ALICE).put(B + "/" + "k".repeat(1024), "x").status());
        var longKey = s3.as(ALICE).put(B + "/" + "k".repeat(1025), "x");
        assertEquals(400, longKey.status());
        assertEquals("KeyTooLongError", longKey.code());
        var meta = s3.as(ALICE).header("x-amz-meta-big", "v".repeat(2046)).put(B + "/big-meta", "x");
        assertEquals(400, meta.status());
        assertEquals("MetadataTooLarge", meta.code());
        assertEquals(404, s3.as(ALICE).head(B + "/big-meta").status());
        assertEquals(200, s3.as(ALICE).header("x-amz-meta-ok", "v".repeat(2040)).put(B + "/ok-meta", "x").status());
    }

    @Test
    void otherUsersAreDenied() {
        s3.as(ALICE).put(B + "/private", "secret");
        assertEquals("AccessDenied", s3.as(BOB).get(B + "/private").code());
        assertEquals("AccessDenied", s3.as(BOB).put(B + "/private", "overwrite").code());
        assertEquals("AccessDenied", s3.as(BOB).delete(B + "/private").code());
        assertEquals("secret", s3.as(ALICE).get(B + "/private").text());
    }

    @Test
    void routerFailuresAreServiceUnavailable() throws Exception {
        var store = new org.mictlanx.s3.InMemoryBallStore(java.time.Clock.systemUTC());
        try (S3Harness faulty = new S3Harness(store)) {
            faulty.as(ALICE).put(B, new byte[0]);
            faulty.as(ALICE).put(B + "/fragile", "f");
            store.failNext(new RouterException(RouterException.Kind.QUORUM_FAILED, "2 of 3 peers down"));
            var put = faulty.as(ALICE).put(B + "/fragile-2", "f");
            assertEquals(503, put.status());
            assertEquals("ServiceUnavailable", put.code());
            assertEquals(404, faulty.as(ALICE).head(B + "/fragile-2").status());
            store.failNext(new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE, "no replica"));
            var get = faulty.as(ALICE).get(B + "/fragile");
            assertEquals(503, get.status());
            assertEquals("ServiceUnavailable", get.code());
        }
    }
}

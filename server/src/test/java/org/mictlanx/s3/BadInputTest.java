package org.mictlanx.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.xolo.sigv4.SigV4Request;
import org.mictlanx.xolo.sigv4.SigV4Signer;

/** Hostile XML, bad signatures, unknown sub-resources: precise errors, never a 500, never a data change. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        s3.as(ALICE).put("/guarded", new byte[0]);
        s3.as(ALICE).put("/guarded/keep", "keep");
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    private void assertUnchanged() {
        assertEquals(1, s3.count("guarded"));
        assertEquals("keep", s3.as(ALICE).get("/guarded/keep").text());
    }

    @Test
    void xxeAndEntityExpansionAreMalformedXml() throws Exception {
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("xxe", ".txt");
        try {
            java.nio.file.Files.writeString(secret, "keep");
            String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                    + "<Delete><Object><Key>&x;</Key></Object></Delete>";
            var r = s3.as(ALICE).post("/guarded?delete", xxe.getBytes(StandardCharsets.UTF_8));
            assertEquals(400, r.status());
            assertEquals("MalformedXML", r.code());
        } finally {
            java.nio.file.Files.delete(secret);
        }
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            laughs.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
                    .append("\">");
        }
        laughs.append("]><Delete><Object><Key>&lol9;</Key></Object></Delete>");
        var r = s3.as(ALICE).post("/guarded?delete", laughs.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals("MalformedXML", r.code());
        String undeclared = "<Delete><Object><Key>&undefined;</Key></Object></Delete>";
        assertEquals("MalformedXML", s3.as(ALICE).post("/guarded?delete", undeclared.getBytes()).code());
        var bucketXxe = s3.as(ALICE).put("/xxe-bucket", "<!DOCTYPE c [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<CreateBucketConfiguration><LocationConstraint>&e;</LocationConstraint></CreateBucketConfiguration>");
        assertEquals("MalformedXML", bucketXxe.code());
        assertEquals(404, s3.as(ALICE).head("/xxe-bucket").status());
        assertUnchanged();
    }

    @Test
    void unknownSubresourcesAreNotImplemented() throws Exception {
        for (String q : List.of("/guarded/keep?restore", "/guarded?analytics")) {
            for (String method : List.of("GET", "PUT", "DELETE")) {
                var r = s3.as(ALICE).send(method, q, new byte[0]);
                assertEquals(501, r.status(), method + " " + q);
                assertEquals("NotImplemented", r.code(), method + " " + q);
            }
        }
        // Configurations that are read (answered "not configured") but not built: writes stay 501.
        for (String q : List.of("/guarded?replication")) {
            for (String method : List.of("PUT", "DELETE")) {
                var r = s3.as(ALICE).send(method, q, new byte[0]);
                assertEquals(501, r.status(), method + " " + q);
                assertEquals("NotImplemented", r.code(), method + " " + q);
            }
        }
        assertEquals(501, s3.as(ALICE).put("/guarded?uploads", new byte[0]).status());
        // POST /bucket is PostObject: anything but multipart/form-data is S3's 412.
        assertEquals(412, s3.as(ALICE).post("/guarded", "form".getBytes()).status());
        String patch = s3.socket("PATCH /guarded/keep HTTP/1.1\r\nHost: " + s3.host
                + "\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx");
        assertTrue(patch.startsWith("HTTP/1.1 405"), patch);
        assertUnchanged();
    }

    @Test
    void authenticationFailuresMapToExactCodes() {
        var anonymous = s3.raw("GET", "/guarded/keep", new SigV4Request("GET", "/guarded/keep", "", Map.of()), new byte[0]);
        assertEquals(403, anonymous.status());
        assertEquals("AccessDenied", anonymous.code());
        var unknown = s3.as("AKIAUNKNOWNUNKNOWN00").get("/guarded/keep");
        assertEquals(403, unknown.status());
        assertEquals("InvalidAccessKeyId", unknown.code());
        SigV4Signer wrongSecret = new SigV4Signer(ALICE, "not-alices-secret", S3Harness.REGION);
        var forged = wrongSecret.sign("DELETE", "/guarded/keep", "", Map.of("host", s3.host),
                org.mictlanx.xolo.sigv4.SigV4Crypto.EMPTY_SHA256, Instant.now());
        var r = s3.raw("DELETE", "/guarded/keep", forged.request(), new byte[0]);
        assertEquals(403, r.status());
        assertEquals("SignatureDoesNotMatch", r.code());
        var skewed = new SigV4Signer(ALICE, "aliceSecretKey/0123456789+abcdefghijklmn", S3Harness.REGION)
                .sign("GET", "/guarded/keep", "", Map.of("host", s3.host),
                        org.mictlanx.xolo.sigv4.SigV4Crypto.EMPTY_SHA256, Instant.now().minusSeconds(3600));
        assertEquals("RequestTimeTooSkewed", s3.raw("GET", "/guarded/keep", skewed.request(), new byte[0]).code());
        var malformed = s3.raw("GET", "/guarded/keep", new SigV4Request("GET", "/guarded/keep", "",
                Map.of("authorization", List.of("AWS4-HMAC-SHA256 garbage"), "x-amz-date", List.of("20250101T000000Z"),
                        "x-amz-content-sha256", List.of(org.mictlanx.xolo.sigv4.SigV4Crypto.EMPTY_SHA256))), new byte[0]);
        assertEquals(400, malformed.status());
        assertEquals("AuthorizationHeaderMalformed", malformed.code());
        var head = s3.raw("HEAD", "/guarded/keep", forged.request(), new byte[0]);
        assertEquals(403, head.status());
        assertEquals(0, head.body().length);
        String requestId = head.header("x-amz-request-id");
        assertTrue(requestId != null && requestId.matches("[0-9A-F]{16}"), "S3's request id shape: " + requestId);
        assertUnchanged();
    }

    @Test
    void presignedUrls() {
        SigV4Signer alice = new SigV4Signer(ALICE, "aliceSecretKey/0123456789+abcdefghijklmn", S3Harness.REGION);
        SigV4Request ok = alice.presign("GET", "/guarded/keep", "", s3.host, Instant.now(), 300);
        var r = s3.raw("GET", "/guarded/keep?" + ok.rawQuery(), new SigV4Request("GET", "", "", Map.of()), new byte[0]);
        assertEquals(200, r.status(), r.text());
        assertEquals("keep", r.text());
        SigV4Request old = alice.presign("GET", "/guarded/keep", "", s3.host, Instant.now().minusSeconds(7200), 60);
        var expired = s3.raw("GET", "/guarded/keep?" + old.rawQuery(), new SigV4Request("GET", "", "", Map.of()),
                new byte[0]);
        assertEquals(403, expired.status());
        assertEquals("AccessDenied", expired.code());
        assertTrue(expired.text().contains("Request has expired"), expired.text());
        SigV4Request put = alice.presign("PUT", "/guarded/presigned", "", s3.host, Instant.now(), 300);
        var stored = s3.raw("PUT", "/guarded/presigned?" + put.rawQuery(), new SigV4Request("PUT", "", "", Map.of()),
                "via presign".getBytes());
        assertEquals(200, stored.status(), stored.text());
        assertEquals("via presign", s3.as(ALICE).get("/guarded/presigned").text());
        assertEquals(204, s3.as(ALICE).delete("/guarded/presigned").status());
    }

    @Test
    void noRequestProducesA500() throws Exception {
        s3.as(ALICE).put("/sweep", new byte[0]);
        List<String> paths = List.of("/", "/sweep", "/sweep/k", "/sweep/%C3%28",
                "/bad%20bucket/k", "/sweep?max-keys=abc",
                "/sweep?versions&max-keys=-5", "/sweep?location", "/sweep/" + "x".repeat(1100),
                "/sweep?list-type=2&continuation-token=bm90LWEta2V5", "/no-such-bucket/k", "/sweep//",
                "/sweep/%2e%2e/%2e%2e/etc/passwd", "/sweep?delete", "/sweep/k?versionId=zzz");
        for (String p : paths) {
            for (String method : List.of("GET", "HEAD", "PUT", "DELETE", "POST")) {
                int q = p.indexOf('?');
                String path = q < 0 ? p : p.substring(0, q);
                String query = q < 0 ? "" : p.substring(q + 1);
                byte[] body = "<x/>".getBytes(StandardCharsets.UTF_8);
                String headers = s3.signedHeaderBlock(ALICE, method, path, query, s3.host, Map.of(), body);
                String response = s3.socket(method + " " + p + " HTTP/1.1\r\n" + headers
                        + "Content-Length: 4\r\nConnection: close\r\n\r\n<x/>");
                int status = Integer.parseInt(response.substring(9, 12));
                assertTrue(status < 500 || status == 501, method + " " + p + " " + response);
            }
        }
        for (String raw : List.of("/sweep/%ZZ", "/sweep?list-type=2&continuation-token=%%%", "/sweep/%C0%80")) {
            String response = s3.socket("GET " + raw + " HTTP/1.1\r\nHost: " + s3.host + "\r\nConnection: close\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 4"), raw + " " + response);
        }
        assertUnchanged();
    }
}

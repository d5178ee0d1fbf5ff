package org.mictlanx.xolo.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Round trips through the test signer, and one failing request for every {@link SigV4Exception.Reason}. */
class SigV4VerifierTest {

    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    static final String AK = "AKIAMICTLANXTEST0001";
    static final String SECRET = "s3cr3t/Key+With/Odd+Chars0123456789abcd";

    private final SigV4Verifier verifier = new SigV4Verifier(
            id -> id.equals(AK) ? Optional.of(SECRET) : Optional.empty(), "mx-local-1", Clock.fixed(NOW, ZoneOffset.UTC));
    private final SigV4Signer signer = new SigV4Signer(AK, SECRET, "mx-local-1");

    private static SigV4Exception.Reason reasonOf(Runnable r) {
        return assertThrows(SigV4Exception.class, r::run).reason();
    }

    private SigV4Signer.Signed signed(String path, String query, String sha, Instant time) {
        return signer.sign("PUT", path, query, Map.of("host", "localhost:9000"), sha, time);
    }

    private static SigV4Request withHeader(SigV4Request r, String name, String value) {
        Map<String, List<String>> h = new LinkedHashMap<>(r.headers());
        if (value == null) {
            h.remove(name);
        } else {
            h.put(name, List.of(value));
        }
        return new SigV4Request(r.method(), r.rawPath(), r.rawQuery(), h);
    }

    @Test
    void oddKeysAndQueriesRoundTrip() {
        for (String path : List.of("/b/a%20b/%C3%A9t%C3%A9", "/b/..%2F..%2Fx", "/b//double//slash", "/b/a+b~c_(1)",
                "/b/%E2%9C%93%00nul")) {
            AuthResult r = verifier.verify(signed(path, "list-type=2&prefix=a%2Fb&delimiter=%2F&encoding-type=url",
                    SigV4Crypto.EMPTY_SHA256, NOW).request());
            assertEquals(AK, r.accessKeyId());
        }
    }

    @Test
    void aChangedSecretIsHonouredAtOnceDespiteRememberedSigningKeys() {
        Map<String, String> secrets = new java.util.concurrent.ConcurrentHashMap<>(Map.of(AK, SECRET));
        SigV4Verifier v = new SigV4Verifier(id -> Optional.ofNullable(secrets.get(id)), "mx-local-1",
                Clock.fixed(NOW, ZoneOffset.UTC));
        SigV4Request old = signed("/b/k", "", SigV4Crypto.EMPTY_SHA256, NOW).request();
        assertEquals(AK, v.verify(old).accessKeyId());
        assertEquals(AK, v.verify(old).accessKeyId());
        secrets.put(AK, "another/secret+0123456789abcdefghijklmno");
        assertEquals(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH, reasonOf(() -> v.verify(old)));
        SigV4Request renewed = new SigV4Signer(AK, secrets.get(AK), "mx-local-1")
                .sign("PUT", "/b/k", "", Map.of("host", "localhost:9000"), SigV4Crypto.EMPTY_SHA256, NOW).request();
        assertEquals(AK, v.verify(renewed).accessKeyId());
        secrets.remove(AK);
        assertEquals(SigV4Exception.Reason.INVALID_ACCESS_KEY_ID, reasonOf(() -> v.verify(renewed)));
    }

    @Test
    void headerValuesAreTrimmedCollapsedAndJoined() {
        Map<String, List<String>> h = new HashMap<>();
        h.put("x-amz-meta-a", List.of("  one   two  ", "three"));
        assertEquals("one two,three", CanonicalRequest.canonicalHeaderValue(h.get("x-amz-meta-a")));
    }

    @Test
    void payloadModesAreClassified() {
        assertEquals(PayloadMode.UNSIGNED, verifier.verify(signed("/b/k", "", "UNSIGNED-PAYLOAD", NOW).request()).payloadMode());
        AuthResult streaming = verifier.verify(signed("/b/k", "", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", NOW).request());
        assertEquals(PayloadMode.STREAMING_SIGNED_TRAILER, streaming.payloadMode());
        assertEquals("20250301/mx-local-1/s3/aws4_request", streaming.streaming().scope());
        AuthResult unsignedTrailer = verifier.verify(signed("/b/k", "", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", NOW).request());
        assertEquals(PayloadMode.STREAMING_UNSIGNED_TRAILER, unsignedTrailer.payloadMode());
        assertNull(unsignedTrailer.payloadSha256());
        String upper = SigV4Crypto.sha256Hex("x").toUpperCase();
        assertEquals(upper.toLowerCase(), verifier.verify(signed("/b/k", "", upper, NOW).request()).payloadSha256());
    }

    @Test
    void dateHeaderIsUsedWithoutXAmzDate() {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("date", List.of("Sat, 01 Mar 2025 12:00:00 GMT"));
        h.put("host", List.of("h"));
        h.put("x-amz-content-sha256", List.of(SigV4Crypto.EMPTY_SHA256));
        String scope = "20250301/mx-local-1/s3/aws4_request";
        String canonical = CanonicalRequest.build("GET", "/b", List.of(), h, List.of("date", "host", "x-amz-content-sha256"),
                SigV4Crypto.EMPTY_SHA256);
        String sig = Signatures.sign(Signatures.signingKey(SECRET, "20250301", "mx-local-1", "s3"),
                Signatures.stringToSign(NOW, scope, canonical));
        h.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=" + AK + "/" + scope
                + ",SignedHeaders=date;host;x-amz-content-sha256,Signature=" + sig));
        SigV4Request r = new SigV4Request("GET", "/b", "", h);
        assertEquals(AK, verifier.verify(r).accessKeyId());
        assertEquals(SigV4Exception.Reason.MISSING_OR_BAD_DATE,
                reasonOf(() -> verifier.verify(withHeader(r, "date", "yesterday"))));
        assertEquals(SigV4Exception.Reason.MISSING_OR_BAD_DATE,
                reasonOf(() -> verifier.verify(withHeader(r, "date", null))));
        assertEquals(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH,
                reasonOf(() -> verifier.verify(withHeader(r, "date", "Sat, 01 Mar 2025 12:00:01 GMT"))));
    }

    @Test
    void everyReason() {
        SigV4Request good = signed("/b/k", "", SigV4Crypto.EMPTY_SHA256, NOW).request();
        verifier.verify(good);
        assertEquals(SigV4Exception.Reason.MISSING_AUTHENTICATION,
                reasonOf(() -> verifier.verify(withHeader(good, "authorization", null))));
        assertEquals(SigV4Exception.Reason.UNSUPPORTED_ALGORITHM,
                reasonOf(() -> verifier.verify(withHeader(good, "authorization", "AWS " + AK + ":c2lnbmF0dXJl"))));
        assertEquals(SigV4Exception.Reason.UNSUPPORTED_ALGORITHM, reasonOf(() -> verifier.verify(withHeader(good,
                "authorization", good.header("authorization").replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256")))));
        assertEquals(SigV4Exception.Reason.UNSUPPORTED_ALGORITHM, reasonOf(() -> verifier.verify(new SigV4Request("GET",
                "/b/k", "AWSAccessKeyId=" + AK + "&Expires=1&Signature=abc", Map.of("host", List.of("h"))))));
        for (String bad : List.of("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=x",
                good.header("authorization").replace("/s3/", "/iam/"),
                good.header("authorization").replace("aws4_request", "aws5_request"),
                good.header("authorization").replace("SignedHeaders=host;", "SignedHeaders=HOST;"),
                good.header("authorization").replace("Signature=", "Signature=zz"),
                good.header("authorization").replace("Credential=", "Credential=a/"),
                good.header("authorization") + ", Extra=1",
                "Credential=x")) {
            assertEquals(SigV4Exception.Reason.AUTHORIZATION_HEADER_MALFORMED,
                    reasonOf(() -> verifier.verify(withHeader(good, "authorization", bad))), bad);
        }
        assertEquals(SigV4Exception.Reason.AUTHORIZATION_HEADER_MALFORMED, reasonOf(() -> verifier.verify(
                withHeader(good, "authorization", good.header("authorization").replace("/20250301/", "/20250302/")))));
        assertEquals(SigV4Exception.Reason.INVALID_ACCESS_KEY_ID, reasonOf(() -> verifier.verify(
                new SigV4Signer("AKIAUNKNOWN000000000", SECRET, "mx-local-1").sign("GET", "/", "", Map.of("host", "h"),
                        SigV4Crypto.EMPTY_SHA256, NOW).request())));
        assertEquals(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH, reasonOf(() -> verifier.verify(
                new SigV4Signer(AK, "wrong-secret", "mx-local-1").sign("GET", "/", "", Map.of("host", "h"),
                        SigV4Crypto.EMPTY_SHA256, NOW).request())));
        assertEquals(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH, reasonOf(() -> verifier.verify(
                new SigV4Request("PUT", "/b/other", good.rawQuery(), good.headers()))));
        assertEquals(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH,
                reasonOf(() -> verifier.verify(withHeader(good, "host", "evil"))));
        assertEquals(SigV4Exception.Reason.MISSING_OR_BAD_DATE,
                reasonOf(() -> verifier.verify(withHeader(good, "x-amz-date", "2025-03-01T12:00:00Z"))));
        assertEquals(SigV4Exception.Reason.REQUEST_TIME_TOO_SKEWED, reasonOf(() -> verifier.verify(
                signed("/b/k", "", SigV4Crypto.EMPTY_SHA256, NOW.minus(Duration.ofMinutes(16))).request())));
        assertEquals(SigV4Exception.Reason.REQUEST_TIME_TOO_SKEWED, reasonOf(() -> verifier.verify(
                signed("/b/k", "", SigV4Crypto.EMPTY_SHA256, NOW.plus(Duration.ofMinutes(16))).request())));
        verifier.verify(signed("/b/k", "", SigV4Crypto.EMPTY_SHA256, NOW.minus(Duration.ofMinutes(14))).request());
        assertEquals(SigV4Exception.Reason.MISSING_CONTENT_SHA256,
                reasonOf(() -> verifier.verify(withHeader(good, "x-amz-content-sha256", null))));
        for (String bad : List.of("abc", "STREAMING-UNSIGNED-PAYLOAD", "g".repeat(64), "unsigned-payload")) {
            assertEquals(SigV4Exception.Reason.INVALID_CONTENT_SHA256,
                    reasonOf(() -> verifier.verify(withHeader(good, "x-amz-content-sha256", bad))), bad);
        }
    }

    @Test
    void presignedReasons() {
        SigV4Request url = signer.presign("GET", "/b/k", "response-content-type=text%2Fplain", "h", NOW, 3600);
        assertTrue(verifier.verify(url).presigned());
        SigV4Verifier later = new SigV4Verifier(id -> Optional.of(SECRET), "mx-local-1", Clock.fixed(NOW.plusSeconds(3601), ZoneOffset.UTC));
        assertEquals(SigV4Exception.Reason.PRESIGNED_EXPIRED, reasonOf(() -> later.verify(url)));
        SigV4Verifier early = new SigV4Verifier(id -> Optional.of(SECRET), "mx-local-1", Clock.fixed(NOW.minusSeconds(1200), ZoneOffset.UTC));
        assertEquals(SigV4Exception.Reason.REQUEST_TIME_TOO_SKEWED, reasonOf(() -> early.verify(url)));
        for (String expires : List.of("0", "604801", "-5", "soon")) {
            SigV4Request r = new SigV4Request("GET", "/b/k", url.rawQuery().replace("X-Amz-Expires=3600",
                    "X-Amz-Expires=" + expires), url.headers());
            assertEquals(SigV4Exception.Reason.PRESIGNED_EXPIRES_INVALID, reasonOf(() -> verifier.verify(r)), expires);
        }
        SigV4Request week = signer.presign("GET", "/b/k", "", "h", NOW, 604800);
        verifier.verify(week);
        for (String drop : List.of("X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders")) {
            String q = String.join("&", java.util.Arrays.stream(url.rawQuery().split("&"))
                    .filter(p -> !p.startsWith(drop + "=")).toList());
            assertEquals(SigV4Exception.Reason.AUTHORIZATION_QUERY_MALFORMED,
                    reasonOf(() -> verifier.verify(new SigV4Request("GET", "/b/k", q, url.headers()))), drop);
        }
        assertEquals(SigV4Exception.Reason.AUTHORIZATION_QUERY_MALFORMED, reasonOf(() -> verifier.verify(new SigV4Request(
                "GET", "/b/k", url.rawQuery().replace("%2F20250301%2F", "%2F20250228%2F"), url.headers()))));
        assertEquals(SigV4Exception.Reason.UNSUPPORTED_ALGORITHM, reasonOf(() -> verifier.verify(new SigV4Request(
                "GET", "/b/k", url.rawQuery().replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"), url.headers()))));
        assertEquals(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH, reasonOf(() -> verifier.verify(new SigV4Request(
                "GET", "/b/k", url.rawQuery().replace("text%2Fplain", "text%2Fhtml"), url.headers()))));
        assertEquals(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH,
                reasonOf(() -> verifier.verify(new SigV4Request("PUT", "/b/k", url.rawQuery(), url.headers()))));
        SigV4Request both = withHeader(url, "authorization", signed("/b/k", "", "UNSIGNED-PAYLOAD", NOW).request()
                .header("authorization"));
        assertEquals(SigV4Exception.Reason.AUTHORIZATION_HEADER_MALFORMED, reasonOf(() -> verifier.verify(both)));
    }

    @Test
    void signedPayloadMismatchIsDetectedAtEndOfStream() throws Exception {
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        AuthResult auth = verifier.verify(signed("/b/k", "", SigV4Crypto.sha256Hex(body), NOW).request());
        try (InputStream in = SigV4Bodies.open(new ByteArrayInputStream(body), auth, -1)) {
            assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        InputStream tampered = SigV4Bodies.open(new ByteArrayInputStream("hellO".getBytes(StandardCharsets.UTF_8)), auth, -1);
        assertEquals(SigV4Exception.Reason.CONTENT_SHA256_MISMATCH, reasonOf(() -> {
            try {
                tampered.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        AuthResult unsigned = verifier.verify(signed("/b/k", "", "UNSIGNED-PAYLOAD", NOW).request());
        InputStream raw = new ByteArrayInputStream(body);
        assertTrue(SigV4Bodies.open(raw, unsigned, -1) == raw);
        assertFalse(SigV4Crypto.constantTimeEquals("ab", "abc"));
    }

    @Test
    void everyAmzHeaderMustBeSignedAndContentMd5UnderHeaderAuth() {
        SigV4Request good = signed("/b/k", "", SigV4Crypto.EMPTY_SHA256, NOW).request();
        SigV4Exception e = assertThrows(SigV4Exception.class,
                () -> verifier.verify(withHeader(good, "x-amz-copy-source", "other/secret")));
        assertEquals(SigV4Exception.Reason.HEADERS_NOT_SIGNED, e.reason());
        assertEquals("x-amz-copy-source", e.detail());
        assertEquals("There were headers present in the request which were not signed", e.getMessage());
        SigV4Exception two = assertThrows(SigV4Exception.class, () -> verifier.verify(
                withHeader(withHeader(good, "x-amz-meta-a", "1"), "content-md5", "1B2M2Y8AsgTpgAmY7PhCfg==")));
        assertEquals("x-amz-meta-a, content-md5", two.detail());
        // x-amz-content-sha256 and x-amz-date are x-amz-* headers like any other under header auth
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("date", List.of("Sat, 01 Mar 2025 12:00:00 GMT"));
        h.put("host", List.of("h"));
        h.put("x-amz-content-sha256", List.of(SigV4Crypto.EMPTY_SHA256));
        String scope = "20250301/mx-local-1/s3/aws4_request";
        String canonical = CanonicalRequest.build("GET", "/b", List.of(), h, List.of("date", "host"),
                SigV4Crypto.EMPTY_SHA256);
        String sig = Signatures.sign(Signatures.signingKey(SECRET, "20250301", "mx-local-1", "s3"),
                Signatures.stringToSign(NOW, scope, canonical));
        h.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=" + AK + "/" + scope
                + ",SignedHeaders=date;host,Signature=" + sig));
        SigV4Exception sha = assertThrows(SigV4Exception.class, () -> verifier.verify(new SigV4Request("GET", "/b", "", h)));
        assertEquals(SigV4Exception.Reason.HEADERS_NOT_SIGNED, sha.reason());
        assertEquals("x-amz-content-sha256", sha.detail());
    }

    @Test
    void presignedUrlsMaySendOnlyAnUnsignedContentSha256() {
        SigV4Request url = signer.presign("PUT", "/b/k", "", "h", NOW, 3600);
        assertEquals(PayloadMode.UNSIGNED, verifier.verify(withHeader(url, "x-amz-content-sha256",
                SigV4Crypto.EMPTY_SHA256)).payloadMode());
        verifier.verify(withHeader(url, "content-md5", "1B2M2Y8AsgTpgAmY7PhCfg=="));
        for (String header : List.of("x-amz-copy-source", "x-amz-meta-a", "x-amz-tagging", "x-amz-date",
                "x-amz-acl", "x-amz-storage-class")) {
            SigV4Exception e = assertThrows(SigV4Exception.class, () -> verifier.verify(withHeader(url, header, "v")));
            assertEquals(SigV4Exception.Reason.HEADERS_NOT_SIGNED, e.reason(), header);
            assertEquals(header, e.detail());
        }
    }

    @Test
    void theScopeRegionMustBeTheStoresRegion() {
        SigV4Signer elsewhere = new SigV4Signer(AK, SECRET, "eu-west-1");
        SigV4Exception header = assertThrows(SigV4Exception.class, () -> verifier.verify(
                elsewhere.sign("GET", "/b", "", Map.of("host", "h"), SigV4Crypto.EMPTY_SHA256, NOW).request()));
        assertEquals(SigV4Exception.Reason.WRONG_REGION_HEADER, header.reason());
        assertEquals("mx-local-1", header.detail());
        assertEquals("The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'mx-local-1'",
                header.getMessage());
        SigV4Exception query = assertThrows(SigV4Exception.class, () -> verifier.verify(
                elsewhere.presign("GET", "/b/k", "", "h", NOW, 60)));
        assertEquals(SigV4Exception.Reason.WRONG_REGION_QUERY, query.reason());
        assertEquals("Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; expecting"
                + " 'mx-local-1'", query.getMessage());
    }

    @Test
    void hostMustBeSigned() {
        String scope = "20250301/mx-local-1/s3/aws4_request";
        String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + UriEncoding.encode(AK + "/" + scope)
                + "&X-Amz-Date=20250301T120000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=content-type";
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("host", List.of("h"));
        h.put("content-type", List.of("text/plain"));
        String canonical = CanonicalRequest.build("GET", "/b/k", UriEncoding.parseQuery(query), h,
                List.of("content-type"), "UNSIGNED-PAYLOAD");
        String sig = Signatures.sign(Signatures.signingKey(SECRET, "20250301", "mx-local-1", "s3"),
                Signatures.stringToSign(NOW, scope, canonical));
        SigV4Exception e = assertThrows(SigV4Exception.class, () -> verifier.verify(
                new SigV4Request("GET", "/b/k", query + "&X-Amz-Signature=" + sig, h)));
        assertEquals(SigV4Exception.Reason.HEADERS_NOT_SIGNED, e.reason());
        assertEquals("host", e.detail());
    }
}

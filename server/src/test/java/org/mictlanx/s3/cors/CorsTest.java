package org.mictlanx.s3.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.S3Harness;

/** Bucket CORS over HTTP against the real router: configuration, preflights, actual and error responses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorsTest {

    private static final String B = "/corsbucket";
    private static final String APP = "http://app.example.com:8080";
    static final String CONFIG = """
            <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <CORSRule>
                <ID>app</ID>
                <AllowedOrigin>http://*.example.com:8080</AllowedOrigin>
                <AllowedMethod>GET</AllowedMethod>
                <AllowedMethod>PUT</AllowedMethod>
                <AllowedHeader>content-*</AllowedHeader>
                <AllowedHeader>x-amz-meta-color</AllowedHeader>
                <ExposeHeader>ETag</ExposeHeader>
                <ExposeHeader>x-amz-request-id</ExposeHeader>
                <MaxAgeSeconds>600</MaxAgeSeconds>
              </CORSRule>
              <CORSRule>
                <AllowedOrigin>*</AllowedOrigin>
                <AllowedMethod>HEAD</AllowedMethod>
              </CORSRule>
            </CORSConfiguration>""";
    private S3Harness s3;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put(B, new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/nocors", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put(B + "?cors", CONFIG).status());
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    private HttpResponse<String> unsigned(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + s3.host + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getBucketCorsReturnsTheStoredRules() {
        var r = s3.as(ALICE).get(B + "?cors");
        assertEquals(200, r.status());
        assertTrue(r.text().contains("<AllowedOrigin>http://*.example.com:8080</AllowedOrigin>"), r.text());
        assertTrue(r.text().contains("<MaxAgeSeconds>600</MaxAgeSeconds>"), r.text());
        assertTrue(r.text().contains("<ID>app</ID>"), r.text());
        assertEquals("NoSuchCORSConfiguration", s3.as(ALICE).get("/nocors?cors").code());
        assertEquals(404, s3.as(ALICE).get("/nocors?cors").status());
    }

    @Test
    void onlyTheOwnerConfiguresCors() {
        assertEquals("AccessDenied", s3.as(BOB).get(B + "?cors").code());
        assertEquals("AccessDenied", s3.as(BOB).put(B + "?cors", CONFIG).code());
        assertEquals("AccessDenied", s3.as(BOB).delete(B + "?cors").code());
    }

    @Test
    void preflightIsAnsweredWithoutAuthenticationFromTheRules() throws Exception {
        var r = unsigned("OPTIONS", B + "/some/key", Map.of("Origin", APP, "Access-Control-Request-Method", "PUT",
                "Access-Control-Request-Headers", "Content-Type, X-Amz-Meta-Color"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(APP, r.headers().firstValue("access-control-allow-origin").orElse(null));
        assertEquals("GET, PUT", r.headers().firstValue("access-control-allow-methods").orElse(null));
        assertEquals("content-type, x-amz-meta-color", r.headers().firstValue("access-control-allow-headers").orElse(null));
        assertEquals("ETag, x-amz-request-id", r.headers().firstValue("access-control-expose-headers").orElse(null));
        assertEquals("600", r.headers().firstValue("access-control-max-age").orElse(null));
        assertEquals("true", r.headers().firstValue("access-control-allow-credentials").orElse(null));
        assertTrue(r.headers().firstValue("vary").orElse("").contains("Origin"));
        // A wildcard-origin rule answers '*' and no credentials.
        var any = unsigned("OPTIONS", B + "/k", Map.of("Origin", "https://elsewhere.org",
                "Access-Control-Request-Method", "HEAD"));
        assertEquals(200, any.statusCode());
        assertEquals("*", any.headers().firstValue("access-control-allow-origin").orElse(null));
        assertTrue(any.headers().firstValue("access-control-allow-credentials").isEmpty());
    }

    @Test
    void preflightRefusalsAreS3s() throws Exception {
        var origin = unsigned("OPTIONS", B + "/k", Map.of("Origin", "http://evil.org:8080",
                "Access-Control-Request-Method", "PUT"));
        assertEquals(403, origin.statusCode());
        assertTrue(origin.body().contains("<Code>AccessForbidden</Code>"), origin.body());
        var header = unsigned("OPTIONS", B + "/k", Map.of("Origin", APP, "Access-Control-Request-Method", "PUT",
                "Access-Control-Request-Headers", "x-amz-meta-size"));
        assertEquals(403, header.statusCode());
        var method = unsigned("OPTIONS", B + "/k", Map.of("Origin", APP, "Access-Control-Request-Method", "DELETE"));
        assertEquals(403, method.statusCode());
        var none = unsigned("OPTIONS", "/nocors/k", Map.of("Origin", APP, "Access-Control-Request-Method", "GET"));
        assertEquals(403, none.statusCode());
        assertTrue(none.body().contains("CORS is not enabled for this bucket"), none.body());
        var missing = unsigned("OPTIONS", "/nosuchbucket/k", Map.of("Origin", APP, "Access-Control-Request-Method", "GET"));
        assertEquals(403, missing.statusCode());
        assertTrue(missing.body().contains("Bucket not found"), missing.body());
        var noOrigin = unsigned("OPTIONS", B + "/k", Map.of("Access-Control-Request-Method", "GET"));
        assertEquals(400, noOrigin.statusCode());
        assertTrue(noOrigin.body().contains("<Code>BadRequest</Code>"), noOrigin.body());
        var noMethod = unsigned("OPTIONS", B + "/k", Map.of("Origin", APP));
        assertEquals(400, noMethod.statusCode());
    }

    @Test
    void actualAndErrorResponsesCarryTheCorsHeaders() throws Exception {
        assertEquals(200, s3.as(ALICE).header("origin", APP).put(B + "/hello", "hi").status());
        var ok = s3.as(ALICE).header("origin", APP).get(B + "/hello");
        assertEquals(200, ok.status());
        assertEquals(APP, ok.header("access-control-allow-origin"));
        assertEquals("ETag, x-amz-request-id", ok.header("access-control-expose-headers"));
        assertTrue(ok.header("vary").contains("Origin"));
        var missing = s3.as(ALICE).header("origin", APP).get(B + "/nothing");
        assertEquals("NoSuchKey", missing.code());
        assertEquals(APP, missing.header("access-control-allow-origin"));
        // An unauthenticated request's error is readable too (the browser shows the S3 error).
        var anonymous = unsigned("GET", B + "/hello", Map.of("Origin", APP));
        assertEquals(403, anonymous.statusCode());
        assertEquals(APP, anonymous.headers().firstValue("access-control-allow-origin").orElse(null));
        // Not allowed origin: Vary only; no Origin: nothing.
        var other = s3.as(ALICE).header("origin", "http://evil.org").get(B + "/hello");
        assertNull(other.header("access-control-allow-origin"));
        assertTrue(other.header("vary").contains("Origin"));
        assertNull(s3.as(ALICE).get(B + "/hello").header("vary"));
        assertNull(s3.as(ALICE).header("origin", APP).get("/nocors").header("access-control-allow-origin"));
    }

    @Test
    void invalidConfigurationsAreRefusedAsS3() {
        assertEquals("MalformedXML", s3.as(ALICE).put("/nocors?cors", "<CORSConfiguration/>").code());
        assertEquals("MalformedXML", s3.as(ALICE).put("/nocors?cors",
                "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>").code());
        var method = s3.as(ALICE).put("/nocors?cors", rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>"));
        assertEquals("InvalidRequest", method.code());
        assertTrue(method.text().contains("Unsupported method is PATCH"), method.text());
        assertEquals("InvalidRequest", s3.as(ALICE).put("/nocors?cors",
                rule("<AllowedOrigin>*.*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>")).code());
        assertEquals("InvalidRequest", s3.as(ALICE).put("/nocors?cors",
                rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>*</ExposeHeader>")).code());
        StringBuilder many = new StringBuilder("<CORSConfiguration>");
        for (int i = 0; i <= CorsRules.MAX_RULES; i++) {
            many.append("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>");
        }
        assertEquals("InvalidRequest", s3.as(ALICE).put("/nocors?cors", many.append("</CORSConfiguration>").toString()).code());
        assertEquals("NoSuchCORSConfiguration", s3.as(ALICE).get("/nocors?cors").code());
    }

    @Test
    void deleteRemovesTheConfiguration() throws Exception {
        assertEquals(200, s3.as(ALICE).put("/gone", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/gone?cors", CONFIG).status());
        assertEquals(204, s3.as(ALICE).delete("/gone?cors").status());
        assertEquals("NoSuchCORSConfiguration", s3.as(ALICE).get("/gone?cors").code());
        assertEquals(403, unsigned("OPTIONS", "/gone/k", Map.of("Origin", APP, "Access-Control-Request-Method", "GET")).statusCode());
        // A re-created bucket of the same name does not inherit an old configuration.
        assertEquals(200, s3.as(ALICE).put("/gone?cors", CONFIG).status());
        assertEquals(204, s3.as(ALICE).delete("/gone").status());
        assertEquals(200, s3.as(ALICE).put("/gone", new byte[0]).status());
        assertEquals("NoSuchCORSConfiguration", s3.as(ALICE).get("/gone?cors").code());
    }

    private static String rule(String inner) {
        return "<CORSConfiguration><CORSRule>" + inner + "</CORSRule></CORSConfiguration>";
    }
}

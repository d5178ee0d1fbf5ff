package org.mictlanx.xolo.sigv2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.router.Router;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.s3.Authenticator;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3FrontDoor;
import org.mictlanx.server.HttpFront;
import org.mictlanx.xolo.identity.Principal;
import org.mictlanx.xolo.sigv4.SigV4Verifier;

/** Signature Version 2 over HTTP against the real router: header and query auth, S3's errors, the off switch. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigV2Test {

    static final String KEY = "AKIAV2V2V2V2V2V2V2V2";
    static final String SECRET = "v2Secret/0123456789+abcdefghijklmnopqrstu";
    private static final DateTimeFormatter RFC1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private TestCluster cluster;
    private Router router;
    private HttpFront v2;
    private HttpFront v4only;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        cluster = new TestCluster(3);
        router = cluster.router();
        SigV4Verifier v4 = new SigV4Verifier(id -> Optional.ofNullable(KEY.equals(id) ? SECRET : null), "us-east-1",
                Clock.systemUTC());
        SigV2Verifier sigV2 = new SigV2Verifier(id -> Optional.ofNullable(KEY.equals(id) ? SECRET : null), "s3.test",
                Clock.systemUTC());
        Authorizer authorizer = new Authorizer(id -> Optional.ofNullable(
                KEY.equals(id) ? new Principal(Principal.ROOT_USER, KEY, true) : null),
                new org.mictlanx.xolo.policy.AccessControl(new org.mictlanx.xolo.policy.PolicyStore(router.metaTable())));
        S3Config config = new S3Config("s3.test", "us-east-1");
        v2 = new HttpFront("127.0.0.1", 0, null, S3FrontDoor.handler(S3FrontDoor.servlet(router,
                Authenticator.withSigV2(v4, sigV2), authorizer, config, Clock.systemUTC())), HttpFront.Timeouts.DEFAULTS);
        v4only = new HttpFront("127.0.0.1", 0, null, S3FrontDoor.handler(S3FrontDoor.servlet(router,
                Authenticator.sigV4(v4), authorizer, config, Clock.systemUTC())), HttpFront.Timeouts.DEFAULTS);
        assertEquals(200, send(v2, "PUT", "/v2bucket", "", signed("PUT", "/v2bucket", "", Map.of()), new byte[0]).statusCode());
    }

    @AfterAll
    void stop() throws Exception {
        v2.close();
        v4only.close();
        router.close();
        cluster.close();
    }

    /** Header auth: Date (or x-amz-date when given) and the V2 signature over the given headers. */
    static Map<String, String> signed(String method, String path, String query, Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>(extra);
        boolean amzDate = h.containsKey("x-amz-date");
        if (!amzDate && !h.containsKey("date")) {
            h.put("date", RFC1123.format(Instant.now()));
        }
        Map<String, List<String>> lists = new LinkedHashMap<>();
        h.forEach((k, v) -> lists.put(k, List.of(v)));
        String toSign = StringToSign.build(method, "", path, query, lists, amzDate ? "" : h.get("date"));
        h.put("authorization", "AWS " + KEY + ":" + SigV2Verifier.sign(SECRET, toSign));
        return h;
    }

    static String presignedQuery(String method, String path, long expires) {
        String toSign = StringToSign.build(method, "", path, "", Map.of(), Long.toString(expires));
        return "AWSAccessKeyId=" + KEY + "&Expires=" + expires + "&Signature="
                + URLEncoder.encode(SigV2Verifier.sign(SECRET, toSign), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(HttpFront front, String method, String path, String query,
                                      Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + front.endpoint().getAuthority() + path
                        + (query.isEmpty() ? "" : "?" + query)))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, v) -> {
            if (!k.equals("date")) {
                b.header(k, v);
            }
        });
        // java.net.http forbids setting Date: send it as x-amz-date's twin via the raw date header name.
        if (headers.containsKey("date")) {
            b.header("Date", headers.get("date"));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void headerAuthPutsAndGets() throws Exception {
        Map<String, String> put = signed("PUT", "/v2bucket/hello.txt", "",
                Map.of("content-type", "text/plain", "x-amz-meta-color", "blue"));
        var r = send(v2, "PUT", "/v2bucket/hello.txt", "", put, "hello v2".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        var get = send(v2, "GET", "/v2bucket/hello.txt", "", signed("GET", "/v2bucket/hello.txt", "",
                Map.of("x-amz-date", RFC1123.format(Instant.now()))), new byte[0]);
        assertEquals(200, get.statusCode(), get.body());
        assertEquals("hello v2", get.body());
        assertEquals("blue", get.headers().firstValue("x-amz-meta-color").orElse(null));
        var tagging = send(v2, "GET", "/v2bucket/hello.txt", "tagging", signed("GET", "/v2bucket/hello.txt", "tagging",
                Map.of()), new byte[0]);
        assertEquals(200, tagging.statusCode(), tagging.body());
        assertTrue(tagging.body().contains("<TagSet"), tagging.body());
    }

    @Test
    void anUnsignedAmzHeaderBreaksTheSignature() throws Exception {
        Map<String, String> h = new LinkedHashMap<>(signed("PUT", "/v2bucket/x", "", Map.of()));
        h.put("x-amz-meta-injected", "1");
        var r = send(v2, "PUT", "/v2bucket/x", "", h, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("<Code>SignatureDoesNotMatch</Code>"), r.body());
        // A sub-resource is part of the signature too.
        var sub = send(v2, "GET", "/v2bucket/hello.txt", "acl", signed("GET", "/v2bucket/hello.txt", "", Map.of()), new byte[0]);
        assertTrue(sub.body().contains("<Code>SignatureDoesNotMatch</Code>"), sub.body());
    }

    @Test
    void queryAuthAndItsErrors() throws Exception {
        send(v2, "PUT", "/v2bucket/q", "", signed("PUT", "/v2bucket/q", "", Map.of()), "query".getBytes(StandardCharsets.UTF_8));
        long later = Instant.now().getEpochSecond() + 600;
        var ok = send(v2, "GET", "/v2bucket/q", presignedQuery("GET", "/v2bucket/q", later), Map.of(), new byte[0]);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("query", ok.body());
        var expired = send(v2, "GET", "/v2bucket/q", presignedQuery("GET", "/v2bucket/q",
                Instant.now().getEpochSecond() - 5), Map.of(), new byte[0]);
        assertEquals(403, expired.statusCode());
        assertTrue(expired.body().contains("Request has expired"), expired.body());
        var wrongKey = send(v2, "GET", "/v2bucket/other", presignedQuery("GET", "/v2bucket/q", later), Map.of(), new byte[0]);
        assertTrue(wrongKey.body().contains("<Code>SignatureDoesNotMatch</Code>"), wrongKey.body());
        var incomplete = send(v2, "GET", "/v2bucket/q", "AWSAccessKeyId=" + KEY + "&Signature=abc", Map.of(), new byte[0]);
        assertEquals(403, incomplete.statusCode());
        assertTrue(incomplete.body().contains("requires the Signature, Expires and AWSAccessKeyId"), incomplete.body());
        // x-amz-* query parameters are headers the signature covers: adding one breaks it.
        var added = send(v2, "GET", "/v2bucket/q", presignedQuery("GET", "/v2bucket/q", later) + "&x-amz-meta-a=1",
                Map.of(), new byte[0]);
        assertTrue(added.body().contains("<Code>SignatureDoesNotMatch</Code>"), added.body());
    }

    @Test
    void headerAuthErrorsAreS3s() throws Exception {
        var skewed = send(v2, "GET", "/v2bucket/q", "", signed("GET", "/v2bucket/q", "",
                Map.of("date", RFC1123.format(Instant.now().minusSeconds(3600)))), new byte[0]);
        assertTrue(skewed.body().contains("<Code>RequestTimeTooSkewed</Code>"), skewed.body());
        var malformed = send(v2, "GET", "/v2bucket/q", "", Map.of("authorization", "AWS " + KEY,
                "x-amz-date", RFC1123.format(Instant.now())), new byte[0]);
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().contains("<Code>InvalidArgument</Code>"), malformed.body());
        Map<String, String> unknown = new LinkedHashMap<>(signed("GET", "/v2bucket/q", "", Map.of()));
        unknown.put("authorization", unknown.get("authorization").replace(KEY, "AKIANOBODYNOBODY0000"));
        var nobody = send(v2, "GET", "/v2bucket/q", "", unknown, new byte[0]);
        assertTrue(nobody.body().contains("<Code>InvalidAccessKeyId</Code>"), nobody.body());
        Map<String, String> noDate = new LinkedHashMap<>();
        noDate.put("authorization", "AWS " + KEY + ":" + SigV2Verifier.sign(SECRET, "GET\n\n\n\n/v2bucket/q"));
        var undated = send(v2, "GET", "/v2bucket/q", "", noDate, new byte[0]);
        assertEquals(403, undated.statusCode());
        assertTrue(undated.body().contains("valid Date or x-amz-date"), undated.body());
    }

    @Test
    void sigV2CanBeTurnedOff() throws Exception {
        var r = send(v4only, "GET", "/v2bucket/q", "", signed("GET", "/v2bucket/q", "", Map.of()), new byte[0]);
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("Please use AWS4-HMAC-SHA256"), r.body());
        var q = send(v4only, "GET", "/v2bucket/q", presignedQuery("GET", "/v2bucket/q",
                Instant.now().getEpochSecond() + 60), Map.of(), new byte[0]);
        assertEquals(400, q.statusCode());
        assertTrue(q.body().contains("Please use AWS4-HMAC-SHA256"), q.body());
    }
}

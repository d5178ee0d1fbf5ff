package org.mictlanx.compat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.compat.AllInOne;
import org.mictlanx.xolo.sigv4.SigV4Crypto;
import org.mictlanx.xolo.sigv4.Signatures;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A real browser against a real all-in-one: a page served from another origin (a second loopback
 * port) does a presigned PUT, a presigned GET, a form POST upload with a signed policy, and reads an
 * S3 error body. With the bucket's CORS rule all four work; against a bucket without one the same
 * page is blocked by the browser. Skipped only where Chromium is not installed locally; in CI
 * ({@code CI=true}, where {@code .ci/run} installs it) a missing Chromium fails.
 */
class BrowserCompatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE = """
            <!doctype html><html><head><meta charset="utf-8"><title>mictlanx browser test</title></head><body>
            <script>
            async function attempt(out, name, call) {
              try { await call(); } catch (e) { out[name] = 'blocked: ' + e.name; }
            }
            async function run(cfg) {
              const out = {};
              await attempt(out, 'put', async () => {
                const r = await fetch(cfg.putUrl, {method: 'PUT', body: cfg.body});
                out.put = r.status; out.putEtag = r.headers.get('ETag');
              });
              await attempt(out, 'get', async () => {
                const r = await fetch(cfg.getUrl); out.get = r.status; out.getBody = await r.text();
              });
              await attempt(out, 'post', async () => {
                const form = new FormData();
                for (const [k, v] of cfg.fields) form.append(k, v);
                form.append('file', new Blob([cfg.postBody], {type: 'text/plain'}), 'note.txt');
                const r = await fetch(cfg.postUrl, {method: 'POST', body: form});
                out.post = r.status; out.postBody = await r.text();
              });
              await attempt(out, 'error', async () => {
                const r = await fetch(cfg.errorUrl); out.error = r.status; out.errorBody = await r.text();
              });
              return JSON.stringify(out);
            }
            </script></body></html>""";

    private static AllInOne store;
    private static S3Client root;
    private static S3Presigner presigner;
    private static HttpServer pages;
    private static Chromium chromium;
    private static String origin;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> binary = Chromium.binary();
        if (binary.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("chromium is not installed; .ci/run installs Debian's chromium for this test");
        }
        Assumptions.assumeTrue(binary.isPresent(), "chromium is not installed locally");
        store = AllInOne.start();
        root = store.rootClient();
        presigner = S3Presigner.builder().endpointOverride(store.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AllInOne.ACCESS_KEY,
                        AllInOne.SECRET_KEY)))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true).build())
                .build();
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        pages.start();
        origin = "http://127.0.0.1:" + pages.getAddress().getPort();
        chromium = new Chromium(binary.get());
        chromium.navigate(origin + "/index.html");
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) chromium.close();
        if (pages != null) pages.stop(0);
        if (presigner != null) presigner.close();
        if (root != null) root.close();
        if (store != null) store.close();
    }

    /** The page's run() against {@code bucket}, its result as JSON. */
    private static JsonNode runPage(String bucket) throws Exception {
        Duration ttl = Duration.ofMinutes(10);
        String put = presigner.presignPutObject(r -> r.signatureDuration(ttl)
                .putObjectRequest(p -> p.bucket(bucket).key("from-browser.txt"))).url().toString();
        String get = presigner.presignGetObject(r -> r.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket).key("from-browser.txt"))).url().toString();
        String missing = presigner.presignGetObject(r -> r.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket).key("no-such-key"))).url().toString();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("putUrl", put);
        cfg.put("getUrl", get);
        cfg.put("errorUrl", missing);
        cfg.put("body", "hello from chromium");
        cfg.put("postBody", "posted by a form");
        cfg.put("postUrl", store.endpoint().toString().replaceAll("/$", "") + "/" + bucket);
        cfg.put("fields", postFields(bucket));
        String result = chromium.evaluate("run(" + JSON.writeValueAsString(cfg) + ")", Duration.ofSeconds(60));
        return JSON.readTree(result);
    }

    /** A SigV4 POST policy form for keys under {@code forms/}, as a web application's backend would hand out. */
    private static List<List<String>> postFields(String bucket) {
        Instant now = Instant.now();
        String date = Signatures.SCOPE_DATE.format(now);
        String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
        String credential = AllInOne.ACCESS_KEY + "/" + date + "/us-east-1/s3/aws4_request";
        String policyJson = "{\"expiration\": \"" + now.plusSeconds(600) + "\", \"conditions\": ["
                + "{\"bucket\": \"" + bucket + "\"}, [\"starts-with\", \"$key\", \"forms/\"],"
                + " {\"success_action_status\": \"201\"}, [\"content-length-range\", 1, 1048576],"
                + " {\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"}, {\"x-amz-credential\": \"" + credential + "\"},"
                + " {\"x-amz-date\": \"" + amzDate + "\"}]}";
        String policy = Base64.getEncoder().encodeToString(policyJson.getBytes(StandardCharsets.UTF_8));
        byte[] key = Signatures.signingKey(AllInOne.SECRET_KEY, date, "us-east-1", "s3");
        List<List<String>> fields = new ArrayList<>();
        fields.add(List.of("key", "forms/${filename}"));
        fields.add(List.of("success_action_status", "201"));
        fields.add(List.of("x-amz-algorithm", "AWS4-HMAC-SHA256"));
        fields.add(List.of("x-amz-credential", credential));
        fields.add(List.of("x-amz-date", amzDate));
        fields.add(List.of("policy", policy));
        fields.add(List.of("x-amz-signature", SigV4Crypto.hex(SigV4Crypto.hmac(key, policy))));
        return fields;
    }

    @Test
    void withTheBucketsCorsRuleThePageUploadsDownloadsPostsAndReadsErrors() throws Exception {
        root.createBucket(r -> r.bucket("browser-cors"));
        root.putBucketCors(r -> r.bucket("browser-cors").corsConfiguration(c -> c.corsRules(CORSRule.builder()
                .allowedOrigins(origin).allowedMethods("GET", "PUT", "POST", "HEAD").allowedHeaders("*")
                .exposeHeaders("ETag", "x-amz-request-id").maxAgeSeconds(60).build())));
        JsonNode r = runPage("browser-cors");
        assertEquals(200, r.path("put").asInt(), r.toString());
        assertTrue(r.path("putEtag").asText().startsWith("\""), r.toString());
        assertEquals(200, r.path("get").asInt(), r.toString());
        assertEquals("hello from chromium", r.path("getBody").asText());
        assertEquals(201, r.path("post").asInt(), r.toString());
        assertTrue(r.path("postBody").asText().contains("<Key>forms/note.txt</Key>"), r.toString());
        assertEquals(404, r.path("error").asInt(), r.toString());
        assertTrue(r.path("errorBody").asText().contains("<Code>NoSuchKey</Code>"), r.toString());
        assertEquals("posted by a form", root.getObjectAsBytes(g -> g.bucket("browser-cors").key("forms/note.txt"))
                .asUtf8String());
    }

    @Test
    void withoutACorsRuleTheBrowserBlocksThePage() throws Exception {
        root.createBucket(r -> r.bucket("browser-nocors"));
        JsonNode r = runPage("browser-nocors");
        for (String call : List.of("put", "get", "post", "error")) {
            assertTrue(r.path(call).asText().startsWith("blocked"), call + ": " + r);
        }
    }
}

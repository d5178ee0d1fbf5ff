package org.mictlanx.compat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.mictlanx.compat.AllInOne;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The console's settings and login limits over plain HTTP (no browser needed): {@code --console false}
 * leaves {@code /console} to S3, {@code --console-port} moves the console to its own port (and its share
 * links still point at the S3 port), failed logins are rate limited, and a bucket named {@code console}
 * stays reachable by signed S3 requests.
 */
class ConsoleSettingsCompatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(String base, String key, String secret) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/console/api/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("accessKey", key, "secret", secret)))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void consoleOffLeavesThePathToS3() throws Exception {
        try (AllInOne store = AllInOne.start("--console", "false")) {
            HttpResponse<String> r = get(store.endpoint() + "/console/");
            assertTrue(r.headers().firstValue("Content-Security-Policy").isEmpty(), "not a console page");
            assertTrue(r.body().contains("<Error>"), r.body());
            assertFalse(store.server().banner().contains("console:"));
        }
    }

    @Test
    void consoleOnItsOwnPortSharesLinksToTheS3Port() throws Exception {
        try (AllInOne store = AllInOne.start("--console-port", "0")) {
            Matcher m = Pattern.compile("console:\\s+(\\S+)").matcher(store.server().banner());
            assertTrue(m.find(), store.server().banner());
            URI console = URI.create(m.group(1));
            assertNotEquals(store.port(), console.getPort());
            String base = "http://127.0.0.1:" + console.getPort();
            assertEquals(200, get(base + "/console/").statusCode());
            assertTrue(get(store.endpoint() + "/console/").body().contains("<Error>"), "the S3 port serves no console then");

            try (S3Client s3 = store.rootClient()) {
                s3.createBucket(b -> b.bucket("shared"));
                s3.putObject(p -> p.bucket("shared").key("a b/c.txt"), RequestBody.fromString("shared text"));
            }
            HttpResponse<String> session = login(base, AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
            assertEquals(200, session.statusCode(), session.body());
            String cookie = session.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            String csrf = JSON.readTree(session.body()).path("csrfToken").asText();
            HttpResponse<String> link = http.send(HttpRequest.newBuilder(URI.create(base + "/console/api/presign"))
                    .header("Cookie", cookie).header("X-Mx-Csrf", csrf).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"bucket\":\"shared\",\"key\":\"a b/c.txt\",\"expiresSeconds\":60}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, link.statusCode(), link.body());
            String url = JSON.readTree(link.body()).path("url").asText();
            assertTrue(url.contains(":" + store.port() + "/shared/a%20b/c.txt?"), url);
            assertEquals("shared text", get(url).body());
            HttpResponse<String> tooLong = http.send(HttpRequest.newBuilder(URI.create(base + "/console/api/presign"))
                    .header("Cookie", cookie).header("X-Mx-Csrf", csrf).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"bucket\":\"shared\",\"key\":\"x\",\"expiresSeconds\":604801}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, tooLong.statusCode(), "more than 7 days is refused, as S3");
        }
    }

    @Test
    void failedLoginsAreRateLimitedAndTheSecretNeverEchoed() throws Exception {
        try (AllInOne store = AllInOne.start()) {
            String base = store.endpoint().toString().replaceAll("/$", "");
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = login(base, AllInOne.ACCESS_KEY, "wrong-" + i);
                assertEquals(403, r.statusCode());
                assertFalse(r.body().contains("wrong-" + i));
                assertTrue(r.headers().firstValue("Set-Cookie").isEmpty());
            }
            HttpResponse<String> limited = login(base, AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
            assertEquals(429, limited.statusCode(), "even the right secret waits once the limit is reached");
            assertTrue(limited.headers().firstValue("Retry-After").isPresent());
        }
    }

    @Test
    void aBucketNamedConsoleStaysReachableBySignedRequests() throws Exception {
        try (AllInOne store = AllInOne.start(); S3Client s3 = store.rootClient()) {
            s3.createBucket(b -> b.bucket("console"));
            s3.putObject(p -> p.bucket("console").key("index.html"), RequestBody.fromString("mine"));
            assertEquals("mine", s3.getObjectAsBytes(g -> g.bucket("console").key("index.html")).asUtf8String());
            assertEquals(1, s3.listObjectsV2(l -> l.bucket("console")).keyCount());
        }
    }
}

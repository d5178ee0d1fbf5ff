package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics}: junk traffic adds no series (bounded label values); the optional bearer token. */
class MetricsExposureTest {

    static final String TOKEN = "metrics-token-0123456789abcdef";
    private static final Pattern SERIES = Pattern.compile("^mictlanx_s3_requests_seconds_count\\{operation=\"([^\"]*)\",status=\"([^\"]*)\"}",
            Pattern.MULTILINE);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> scrape(URI ep, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(ep.resolve("/metrics"));
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> series(String metrics) {
        Set<String> out = new TreeSet<>();
        Matcher m = SERIES.matcher(metrics);
        while (m.find()) out.add(m.group(1) + "/" + m.group(2));
        return out;
    }

    /** {@code n} requests nobody could route: random methods, paths, queries, bad signatures, admin paths. */
    private void junk(URI ep, int from, int n) throws Exception {
        String[] methods = {"GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS", "FROB" + from, "X" + from};
        for (int i = from; i < from + n; i++) {
            String method = methods[i % methods.length];
            String path = switch (i % 5) {
                case 0 -> "/junk-" + i;
                case 1 -> "/b" + i + "/k" + i + "?weird" + i + "=v";
                case 2 -> "/_mictlanx/admin/nothing-" + i;
                case 3 -> "/UPPER_" + i + "/x?acl" + i;
                default -> "/b/k?uploadId=" + i + "&partNumber=" + i;
            };
            HttpRequest.Builder b = HttpRequest.newBuilder(ep.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
            if (i % 3 == 0) {
                b.header("Authorization", "AWS4-HMAC-SHA256 Credential=JUNK" + i + "/20250101/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=host, Signature=" + "0".repeat(64));
            }
            http.send(b.build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    @Test
    void junkRequestsCreateNoNewSeriesAndTheTokenGuardsTheScrape() throws Exception {
        Path tokenFile = dir.resolve("metrics-token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Settings s = Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1", "--data", dir.resolve("data").toString(),
                "--access-key", MictlanXServerTest.AK, "--secret-key", MictlanXServerTest.SK},
                Map.of("MICTLANX_METRICS_TOKEN_FILE", tokenFile.toString()));
        try (MictlanXServer server = MictlanXServer.allInOne(s)) {
            URI ep = server.endpoint();
            HttpResponse<String> anonymous = scrape(ep, null);
            assertEquals(401, anonymous.statusCode());
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertEquals(401, scrape(ep, "Bearer not-the-token").statusCode());
            assertEquals(401, scrape(ep, "Bearer " + TOKEN + "x").statusCode());
            assertEquals(200, scrape(ep, "Bearer " + TOKEN).statusCode());
            // An S3-signed GET /metrics stays the bucket "metrics".
            assertEquals(404, MictlanXServerTest.s3(http, ep, MictlanXServerTest.AK, MictlanXServerTest.SK, "GET", "/metrics", "").statusCode());

            assertEquals(200, MictlanXServerTest.s3(http, ep, MictlanXServerTest.AK, MictlanXServerTest.SK, "PUT", "/real", "").statusCode());
            junk(ep, 0, 500);
            Set<String> after500 = series(scrape(ep, "Bearer " + TOKEN).body());
            junk(ep, 500, 500);
            String metrics = scrape(ep, "Bearer " + TOKEN).body();
            Set<String> after1000 = series(metrics);
            assertEquals(after500, after1000, "500 more junk requests, with other methods and paths, added series");
            assertTrue(after1000.contains("CreateBucket/200"), after1000.toString());
            assertTrue(after1000.size() <= 32, "few series: " + after1000);
            for (String sv : after1000) {
                String[] parts = sv.split("/");
                assertTrue(Observability.OPERATIONS.contains(parts[0]), sv);
                assertTrue(parts[1].matches("\\d{3}|[1-5]xx"), sv);
            }
            assertTrue(metrics.lines().filter(l -> l.contains("junk") || l.contains("FROB") || l.contains("weird")).findAny().isEmpty(),
                    "no client text in label values");
        }
    }

    @Test
    void labelValuesComeFromFixedSets() {
        assertTrue(Observability.OPERATIONS.containsAll(Set.of("PutObject", "GetObject", "ListObjectsV2", "CompleteMultipartUpload",
                "NotImplemented", "Admin", "Unknown")), Observability.OPERATIONS.toString());
        assertEquals("Unknown", Observability.operationLabel(null, "/whatever"));
        assertEquals("Admin", Observability.operationLabel(null, "/_mictlanx/admin/users"));
        assertEquals("NotImplemented", Observability.operationLabel("GetBucketSomethingNew", "/b"));
        assertEquals("PutObject", Observability.operationLabel("PutObject", "/b/k"));
        assertEquals("404", Observability.statusLabel(404));
        assertEquals("4xx", Observability.statusLabel(418));
        assertEquals("other", Observability.statusLabel(999));
    }
}

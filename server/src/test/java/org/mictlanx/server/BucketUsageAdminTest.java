package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bucket usage and quotas from the operator's side, against a real all-in-one: {@code admin bucket list|info|quota
 * set|quota clear|recount} (text and {@code --json}, errors as one line), the bucket totals of {@code admin info},
 * the per-bucket gauges of {@code /metrics} with their cardinality bound, and the S3 refusal of a write past a quota.
 */
class BucketUsageAdminTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void bucketCommandsMetricsAndQuotaRefusal() throws Exception {
        Path data = dir.resolve("data");
        Main.Start start = Main.start(new String[] {"all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", data.toString(),
                "--metrics-bucket-limit", "1"}, Map.of(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), System.err);
        try (MictlanXServer server = start.server()) {
            URI ep = server.endpoint();
            var root = server.rootCredentials();
            String ak = root.accessKeyId();
            String sk = root.secretKey();
            assertEquals(200, MictlanXServerTest.s3(http, ep, ak, sk, "PUT", "/photos", "").statusCode());
            assertEquals(200, MictlanXServerTest.s3(http, ep, ak, sk, "PUT", "/logs", "").statusCode());
            assertEquals(200, MictlanXServerTest.s3(http, ep, ak, sk, "PUT", "/photos/a", "x".repeat(300_000)).statusCode());
            assertEquals(200, MictlanXServerTest.s3(http, ep, ak, sk, "PUT", "/photos/b", "y".repeat(1000)).statusCode());
            assertEquals(200, MictlanXServerTest.s3(http, ep, ak, sk, "PUT", "/logs/l", "z".repeat(10)).statusCode());
            String[] at = {"--data", data.toString(), "--endpoint", ep.toString()};

            AdminLifecycleTest.Run list = cli(at, "bucket", "list");
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().matches("(?s)BUCKET\\s+OWNER\\s+SIZE\\s+OBJECTS\\s+QUOTA\\n.*"), list.out());
            assertTrue(list.out().matches("(?s).*\\nlogs\\s+root\\s+10 B\\s+1\\s+-\\n.*"), list.out());
            assertTrue(list.out().matches("(?s).*\\nphotos\\s+root\\s+293\\.9 KiB\\s+2\\s+-\\s*"), list.out());

            AdminLifecycleTest.Run set = cli(at, "bucket", "quota", "set", "photos", "301KB");
            assertEquals(0, set.code(), set.err());
            assertTrue(set.out().startsWith("quota of photos set to 293.9 KiB (301000 bytes"), set.out());
            JsonNode info = JSON.readTree(cli(at, "bucket", "info", "photos", "--json").out());
            assertEquals(301_000, info.path("sizeBytes").asLong());
            assertEquals(2, info.path("objects").asLong());
            assertEquals(301_000, info.path("quotaBytes").asLong());
            AdminLifecycleTest.Run text = cli(at, "bucket", "info", "photos");
            assertTrue(text.out().contains("quota:        293.9 KiB (100.0% used)"), text.out());

            // past the quota: S3's 403 with the quota's code, nothing stored; a delete still works and makes room
            HttpResponse<String> refused = MictlanXServerTest.s3(http, ep, ak, sk, "PUT", "/photos/c", "w".repeat(10));
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("<Code>QuotaExceeded</Code>") && refused.body().contains("Bucket quota exceeded"),
                    refused.body());
            assertEquals(404, MictlanXServerTest.s3(http, ep, ak, sk, "HEAD", "/photos/c", "").statusCode());
            assertEquals(204, MictlanXServerTest.s3(http, ep, ak, sk, "DELETE", "/photos/b", "").statusCode());
            assertEquals(200, MictlanXServerTest.s3(http, ep, ak, sk, "PUT", "/photos/c", "w".repeat(10)).statusCode());
            assertEquals(200, MictlanXServerTest.s3(http, ep, ak, sk, "PUT", "/logs/m", "m".repeat(5000)).statusCode()); // other bucket

            JsonNode all = JSON.readTree(cli(at, "bucket", "list", "--json").out()).path("buckets");
            assertEquals(2, all.size());
            assertEquals(301_000, all.get(1).path("quotaBytes").asLong(), all.toString());
            assertEquals(300_010, all.get(1).path("sizeBytes").asLong(), all.toString());

            AdminLifecycleTest.Run cleared = cli(at, "bucket", "quota", "clear", "photos");
            assertEquals("quota of photos cleared", cleared.out().strip());
            assertEquals(200, MictlanXServerTest.s3(http, ep, ak, sk, "PUT", "/photos/d", "d".repeat(5000)).statusCode());

            AdminLifecycleTest.Run recount = cli(at, "bucket", "recount");
            assertEquals(0, recount.code(), recount.err());
            assertTrue(recount.out().contains("photos: 297.9 KiB in 3 object(s) (no drift)"), recount.out());

            // errors are one line each
            AdminLifecycleTest.Run missing = cli(at, "bucket", "info", "nope");
            assertEquals(1, missing.code());
            assertEquals(1, missing.err().strip().lines().count(), missing.err());
            assertTrue(missing.err().contains("NoSuchBucket"), missing.err());
            AdminLifecycleTest.Run badSize = cli(at, "bucket", "quota", "set", "photos", "10XB");
            assertEquals(1, badSize.code());
            assertEquals(1, badSize.err().strip().lines().count(), badSize.err());
            assertTrue(badSize.err().contains("not a size: '10XB'") && badSize.err().contains("InvalidArgument"), badSize.err());
            assertEquals(2, cli(at, "bucket", "quota", "set", "photos").code());
            assertTrue(cli(at, "bucket", "--help").out().contains("bucket quota set"));

            AdminLifecycleTest.Run infoText = cli(at, "info");
            assertTrue(infoText.out().contains("buckets:  2, "), infoText.out());

            // /metrics: the largest bucket by name, the rest under _other (metrics-bucket-limit 1)
            String metrics = http.send(HttpRequest.newBuilder(ep.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("mictlanx_bucket_bytes{bucket=\"photos\"} 305010.0"), metrics);
            assertTrue(metrics.contains("mictlanx_bucket_objects{bucket=\"photos\"} 3.0"), metrics);
            assertTrue(metrics.contains("mictlanx_bucket_bytes{bucket=\"_other\"} 5010.0"), metrics);
            assertTrue(metrics.contains("mictlanx_buckets 2.0"), metrics);
            assertFalse(metrics.contains("bucket=\"logs\""), metrics);
        }
    }

    @Test
    void quotaSizesParseDecimalAndBinaryUnits() {
        assertEquals(10L << 30, ByteSizes.parse("10GiB"));
        assertEquals(500_000_000L, ByteSizes.parse("500MB"));
        assertEquals(1_500_000_000_000L, ByteSizes.parse("1.5 TB"));
        assertEquals(1536, ByteSizes.parse("1.5kib"));
        assertEquals(42, ByteSizes.parse("42"));
        assertEquals(42, ByteSizes.parse("42B"));
        assertEquals(0, ByteSizes.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("10XB"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("99999999PiB"));
    }

    private static AdminLifecycleTest.Run cli(String[] target, String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(target)).toArray(String[]::new);
        return AdminLifecycleTest.cli(Map.of(), all);
    }
}

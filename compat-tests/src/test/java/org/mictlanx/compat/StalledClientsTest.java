package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.mictlanx.xolo.sigv4.SigV4Signer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * 500 stalled uploads (400 plain PUTs declaring 64 MiB, 100 aws-chunked PUTs whose first chunk header
 * declares 16 MiB; each sends a few bytes, then nothing) and 50 stalled request heads against an
 * all-in-one server in a child JVM with a 512 MiB heap. While they stall the server stays healthy, serves
 * other clients, and holds request buffers only for the bytes that arrived, within the budget; at the
 * header deadline the heads are closed without an answer, at the idle timeout the uploads are answered
 * RequestTimeout and closed, and every buffer is returned.
 */
class StalledClientsTest {

    private static final int PLAIN = 400;
    private static final int CHUNKED = 100;
    private static final int HEADS = 50;
    private static final long DECLARED = 64L << 20;

    @Test
    void fiveHundredStalledUploadsInA512MiBHeap() throws Exception {
        Path data = Files.createTempDirectory("mictlanx-stall");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // G1 pinned: on a machine (or CPU set) of one CPU the JVM picks the Serial GC, whose reported max heap
        // leaves out a survivor space, so the default budget (a quarter of it) came out 4 MiB short of 128 MiB
        Process server = new ProcessBuilder(javaBin, "-Xmx512m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), "org.mictlanx.server.Main", "all-in-one",
                "--port", "0", "--host", "127.0.0.1", "--data", data.toString(),
                "--access-key", AllInOne.ACCESS_KEY, "--secret-key", AllInOne.SECRET_KEY,
                "--header-timeout-seconds", "5", "--idle-timeout-seconds", "15")
                .redirectErrorStream(true).start();
        List<Socket> uploads = new ArrayList<>();
        List<Socket> heads = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try {
            URI endpoint = LargeMultipartMemoryTest.awaitReady(server);
            String host = endpoint.getHost() + ":" + endpoint.getPort();
            try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY))).build()) {
                s3.createBucket(r -> r.bucket("stall"));
                double capacity = metric(http, endpoint, "mictlanx_request_buffer_capacity_bytes");
                assertEquals(128L << 20, capacity, 1 << 20, "default budget: a quarter of the 512 MiB heap");

                for (int i = 0; i < PLAIN + CHUNKED; i++) {
                    Socket s = connect(endpoint);
                    s.getOutputStream().write(i < PLAIN ? plainHead(host, i) : chunkedHead(host, i));
                    s.getOutputStream().flush();
                    uploads.add(s);
                }
                for (int i = 0; i < HEADS; i++) {
                    Socket s = connect(endpoint);
                    s.getOutputStream().write(("PUT /stall/head" + i + " HTTP/1.1\r\nHost: " + host + "\r\nX-Amz-Date: 2")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    heads.add(s);
                }
                // Every stalled upload holds a small buffer for what it sent: 64 KiB (plain), about 192 KiB
                // (aws-chunked: read-ahead, chunk and put buffers), never what the headers declare.
                // (Waiting for 80% of the least they hold leaves room for a slow machine's first idle timeouts.)
                double minimum = 0.8 * (PLAIN * 64.0 * 1024 + CHUNKED * 128.0 * 1024);
                double held = awaitMetric(http, endpoint, "mictlanx_request_buffer_bytes", v -> v >= minimum);
                assertTrue(held <= 64L << 20, "stalled uploads hold what arrived, not what they declared: " + held);

                // Meanwhile other clients are served.
                byte[] body = new byte[1 << 20];
                new java.util.Random(11).nextBytes(body);
                s3.putObject(r -> r.bucket("stall").key("other"), RequestBody.fromBytes(body));
                assertArrayEquals(body, s3.getObjectAsBytes(r -> r.bucket("stall").key("other")).asByteArray());
                assertEquals(200, http.send(HttpRequest.newBuilder(endpoint.resolve("/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
                assertTrue(metric(http, endpoint, "mictlanx_request_buffer_bytes") <= capacity);
                double heap = heapUsed(http, endpoint);
                assertTrue(heap < 512L << 20, "heap used " + heap);
                System.out.printf("stalled uploads: %.1f MiB of the %.0f MiB request buffer budget held, heap used %.0f MiB%n",
                        held / (1 << 20), capacity / (1 << 20), heap / (1 << 20));

                // The stalled heads are closed without an answer; the stalled uploads answered RequestTimeout.
                for (Socket s : heads) {
                    assertEquals("", answer(s), "a stalled request head gets no answer");
                }
                int timedOut = 0;
                for (Socket s : uploads) {
                    String answer = answer(s);
                    assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
                    assertTrue(answer.contains("<Code>RequestTimeout</Code>"), answer);
                    timedOut++;
                }
                assertEquals(PLAIN + CHUNKED, timedOut);
                awaitMetric(http, endpoint, "mictlanx_request_buffer_bytes", v -> v == 0);
                assertTrue(server.isAlive(), "the 512 MiB server survived");
                assertEquals(List.of("other"), s3.listObjectsV2(r -> r.bucket("stall")).contents().stream()
                        .map(o -> o.key()).toList(), "nothing of the stalled uploads was stored");
            }
        } finally {
            for (Socket s : uploads) s.close();
            for (Socket s : heads) s.close();
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
            try (var walk = Files.walk(data)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Socket connect(URI endpoint) throws IOException {
        Socket s = new Socket(endpoint.getHost(), endpoint.getPort());
        s.setSoTimeout(60_000);
        return s;
    }

    /** A signed PUT declaring 64 MiB (unsigned payload), then ten body bytes. */
    private static byte[] plainHead(String host, int i) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", host);
        return head("/stall/plain" + i, headers, "UNSIGNED-PAYLOAD", DECLARED, "0123456789");
    }

    /** A signed aws-chunked PUT whose first chunk header declares 16 MiB, then ten of its bytes. */
    private static byte[] chunkedHead(String host, int i) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", host);
        headers.put("content-encoding", "aws-chunked");
        headers.put("x-amz-decoded-content-length", Long.toString(DECLARED));
        return head("/stall/chunked" + i, headers, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", DECLARED + 4096,
                "1000000;chunk-signature=" + "0".repeat(64) + "\r\n0123456789");
    }

    private static byte[] head(String path, Map<String, String> headers, String payload, long contentLength, String start) {
        var signed = new SigV4Signer(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY, "us-east-1")
                .sign("PUT", path, "", headers, payload, Instant.now()).request();
        StringBuilder sb = new StringBuilder("PUT " + path + " HTTP/1.1\r\n");
        signed.headers().forEach((name, values) -> values.forEach(v -> sb.append(name).append(": ").append(v).append("\r\n")));
        sb.append("Content-Length: ").append(contentLength).append("\r\n\r\n").append(start);
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Everything the server sends until it closes the connection ("" when it closes without an answer). */
    private static String answer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0; ) sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        } catch (SocketException e) {
            // reset after the answer (or instead of one): the connection is closed either way
        }
        return sb.toString();
    }

    private static double metric(HttpClient http, URI endpoint, String name) throws Exception {
        String text = http.send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(text);
        if (!m.find()) throw new AssertionError("no metric " + name);
        return Double.parseDouble(m.group(1));
    }

    private static double heapUsed(HttpClient http, URI endpoint) throws Exception {
        String text = http.send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} (\\S+)$").matcher(text);
        double sum = 0;
        while (m.find()) sum += Double.parseDouble(m.group(1));
        return sum;
    }

    private static double awaitMetric(HttpClient http, URI endpoint, String name, DoublePredicate ok) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            double v = metric(http, endpoint, name);
            if (ok.test(v)) return v;
            if (System.nanoTime() > deadline) throw new AssertionError(name + " stayed at " + v);
            Thread.sleep(50); // polling a condition under a deadline
        }
    }
}

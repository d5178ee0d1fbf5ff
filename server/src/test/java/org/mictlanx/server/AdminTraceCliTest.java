package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code mictlanx admin trace} against a running all-in-one: {@code --json} lines with the request's fields,
 * human lines with a status filter, one-line refusals for a non-root key and a bad filter, and the command
 * in the admin help.
 */
class AdminTraceCliTest {

    private static final String AK = "AKIATRACECLITEST0001";
    private static final String SK = "trace/cli/secret/0123456789abcdefghij";
    private static final Map<String, String> ROOT = Map.of("MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tracesRequestsAsJsonAndText() throws Exception {
        Settings s = Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1", "--data", dir.toString(),
                "--access-key", AK, "--secret-key", SK}, Map.of());
        try (MictlanXServer server = MictlanXServer.allInOne(s)) {
            URI ep = server.endpoint();
            assertEquals(200, MictlanXServerTest.s3(http, ep, AK, SK, "PUT", "/trc", "").statusCode());

            AdminLifecycleTest.Run json = whileTracing(() -> MictlanXServerTest.s3(http, ep, AK, SK, "PUT", "/trc/a%20b", "hello"),
                    "trace", "--json", "--bucket", "trc", "--operation", "PutObject", "--count", "2", "--endpoint", ep.toString());
            assertEquals(0, json.code(), json.err());
            List<String> lines = json.out().lines().toList();
            assertEquals(2, lines.size(), json.out());
            for (String line : lines) {
                JsonNode e = JSON.readTree(line);
                assertEquals("request", e.path("type").asText());
                assertEquals("PutObject", e.path("operation").asText());
                assertEquals("trc", e.path("bucket").asText());
                assertEquals("a b", e.path("key").asText());
                assertEquals(200, e.path("status").asInt());
                assertEquals(AK, e.path("accessKey").asText());
                assertEquals("root", e.path("user").asText());
                assertEquals(5, e.path("bytesIn").asLong());
                assertEquals("127.0.0.1", e.path("remote").asText());
                assertTrue(e.path("requestId").asText().length() >= 16, line);
                assertTrue(e.path("durationMs").asDouble() > 0, line);
                assertTrue(!line.contains(SK), "never a secret");
            }
            assertTrue(json.err().contains("this router only"), json.err());

            AdminLifecycleTest.Run text = whileTracing(() -> MictlanXServerTest.s3(http, ep, AK, SK, "GET", "/trc/missing", ""),
                    "trace", "--status", "4xx", "--count", "1", "--endpoint", ep.toString());
            assertEquals(0, text.code(), text.err());
            String line = text.out().strip();
            assertTrue(line.matches("\\S+Z\\s+GetObject\\s+404 NoSuchKey\\s+trc/missing [0-9.]+ms in=0B out=\\d+B root\\("
                    + AK + "\\) 127\\.0\\.0\\.1 \\S+"), line);

            AdminLifecycleTest.Run user = AdminLifecycleTest.cli(ROOT, "user", "add", "tracer", "--endpoint", ep.toString());
            String userKey = user.field("access key:");
            String userSecret = user.field("secret key:");
            AdminLifecycleTest.Run denied = AdminLifecycleTest.cli(Map.of("MICTLANX_ACCESS_KEY", userKey, "MICTLANX_SECRET_KEY", userSecret),
                    "trace", "--endpoint", ep.toString());
            assertEquals(1, denied.code());
            assertEquals("mictlanx admin: only the root user or a user whose policy allows admin:Trace may GET /_mictlanx/admin/trace"
                    + " (AccessDenied)", denied.err().strip());

            AdminLifecycleTest.Run bad = AdminLifecycleTest.cli(ROOT, "trace", "--status", "40x", "--endpoint", ep.toString());
            assertEquals(1, bad.code());
            assertTrue(bad.err().strip().startsWith("mictlanx admin: status must be a status (403) or a class (5xx)"), bad.err());
        }
        assertTrue(AdminCli.help(List.of("trace")).contains("\n  trace [--bucket B]"), AdminCli.help(List.of("trace")));
    }

    /**
     * A stopping server ends its trace streams first: the drain (here 60 s) does not wait for a subscriber
     * that would otherwise stay connected for good.
     */
    @Test
    void aStoppingServerEndsTraceStreams() throws Exception {
        Settings s = Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1", "--data", dir.toString(),
                "--access-key", AK, "--secret-key", SK, "--shutdown-timeout-seconds", "60"}, Map.of());
        MictlanXServer server = MictlanXServer.allInOne(s);
        java.util.stream.Stream<String> lines;
        try {
            lines = new AdminClient(server.endpoint(), AK, SK).trace("");
        } catch (Exception e) {
            server.close();
            throw e;
        }
        try (lines) {
            java.util.Iterator<String> it = lines.iterator();
            assertEquals("subscribed", JSON.readTree(it.next()).path("type").asText());
            long start = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            boolean ended;
            try {
                while (it.hasNext()) it.next(); // heartbeats or nothing, then the end of the stream
                ended = true;
            } catch (java.io.UncheckedIOException cut) {
                ended = false;
            }
            long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(ended, "the stream ends cleanly");
            assertTrue(waited < 30, "the stream ended when the server began to stop, not after the 60 s drain: " + waited + " s");
            closing.get(60, TimeUnit.SECONDS);
        }
    }

    private interface Request {
        Object send() throws Exception;
    }

    /**
     * Runs the CLI with {@code args} in the background and sends {@code request} every 50 ms until it has
     * printed its {@code --count} events and exited (the subscription is in place only some time after start).
     */
    private AdminLifecycleTest.Run whileTracing(Request request, String... args) throws Exception {
        CompletableFuture<AdminLifecycleTest.Run> run = CompletableFuture.supplyAsync(() -> AdminLifecycleTest.cli(ROOT, args));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!run.isDone() && System.nanoTime() < deadline) {
            request.send();
            try {
                return run.get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // send another
            }
        }
        return run.get(1, TimeUnit.SECONDS);
    }
}

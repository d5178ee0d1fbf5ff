package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop drains the requests in flight within the bound, and the serving role says so on SIGTERM. */
class GracefulShutdownTest {

    @TempDir
    Path dir;

    /** Answers 200 once {@code release} opens; counts the requests that started. */
    private static Handler blocking(CountDownLatch started, CountDownLatch release) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                started.countDown();
                release.await(30, TimeUnit.SECONDS);
                response.setStatus(200);
                response.write(true, java.nio.ByteBuffer.wrap("done".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        };
    }

    @Test
    void aRequestInFlightFinishesBeforeTheStopCompletes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpFront front = new HttpFront("127.0.0.1", 0, null, blocking(started, release), HttpFront.Timeouts.DEFAULTS, Duration.ofSeconds(20));
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(HttpRequest.newBuilder(front.endpoint().resolve("/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(started.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
            try {
                front.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the stop is held by the request in flight
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.TimeoutException.class, () -> stop.get(300, TimeUnit.MILLISECONDS));
        release.countDown();
        HttpResponse<String> r = answer.get(20, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("done", r.body());
        stop.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aRequestThatNeverEndsDoesNotHoldTheStopBeyondTheBound() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        HttpFront front = new HttpFront("127.0.0.1", 0, null, blocking(started, never), HttpFront.Timeouts.DEFAULTS, Duration.ofSeconds(1));
        HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(front.endpoint().resolve("/x")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(started.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        CompletableFuture.runAsync(() -> {
            try {
                front.close();
            } catch (Exception e) {
                // a stop timeout is reported as an exception by Jetty; the bound is what matters
            }
        }).get(15, TimeUnit.SECONDS);
        never.countDown();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15));
    }

    @Test
    void sigtermPrintsTheShutdownAndStopsTheProcess() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "all-in-one",
                "--host", "127.0.0.1", "--port", "0", "--data", dir.resolve("data").toString(), "--shutdown-timeout-seconds", "5")
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("MictlanX ready at ")) lines.add(line);
            assertTrue(line != null, "the server started: " + lines);
            URI endpoint = URI.create(line.substring("MictlanX ready at ".length()).strip());
            assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            while ((line = r.readLine()) != null) lines.add(line);
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("MictlanX stopping: no new connections, finishing requests in flight (up to 5 s)")), lines.toString());
        assertTrue(lines.contains("MictlanX stopped"), lines.toString());
    }
}

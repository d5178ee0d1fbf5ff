package org.mictlanx.compat.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol on a
 * WebSocket with the JDK's HttpClient: navigate, evaluate JavaScript (promises awaited). A fresh
 * profile directory per instance, removed on close; the process is ended on close.
 */
final class Chromium implements AutoCloseable {

    private static final List<String> BINARIES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /** The installed Chromium binary, if any. */
    static Optional<Path> binary() {
        return BINARIES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    Chromium(Path binary) throws Exception {
        profile = Files.createTempDirectory("mictlanx-chromium");
        process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true).start();
        String browserWs = devToolsUrl(Instant.now().plusSeconds(60));
        URI http = URI.create("http://" + URI.create(browserWs).getAuthority() + "/json/list");
        HttpClient client = HttpClient.newHttpClient();
        String pageWs = null;
        Instant deadline = Instant.now().plusSeconds(30);
        while (pageWs == null && Instant.now().isBefore(deadline)) {
            JsonNode list = JSON.readTree(client.send(HttpRequest.newBuilder(http).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode target : list) {
                if ("page".equals(target.path("type").asText())) {
                    pageWs = target.path("webSocketDebuggerUrl").asText();
                }
            }
            if (pageWs == null) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // poll the target list until the deadline
            }
        }
        if (pageWs == null) {
            throw new IllegalStateException("chromium offered no page target");
        }
        socket = client.newWebSocketBuilder().buildAsync(URI.create(pageWs), new Listener()).get(30, TimeUnit.SECONDS);
    }

    /** Reads Chromium's output until it names its DevTools WebSocket. */
    private String devToolsUrl(Instant deadline) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while (Instant.now().isBefore(deadline) && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            int at = line.indexOf("ws://");
            if (line.contains("DevTools listening on") && at >= 0) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the process ended
                    }
                }, "chromium-output");
                drain.setDaemon(true);
                drain.start();
                return line.substring(at).strip();
            }
        }
        throw new IllegalStateException("chromium did not start DevTools:\n" + seen);
    }

    /** Sends a DevTools command and waits for its result. */
    JsonNode call(String method, Map<String, Object> params, Duration timeout) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        JsonNode reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    /** Opens {@code url} and waits until the document has loaded. */
    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url), Duration.ofSeconds(30));
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if ("complete".equals(evaluate("document.readyState", Duration.ofSeconds(10)))) {
                return;
            }
        }
        throw new IllegalStateException("page did not load: " + url);
    }

    /** Reloads the page (as the user's reload button) and waits until the new document has loaded. */
    void reload() throws Exception {
        evaluate("window.__beforeReload = true; 'ok'", Duration.ofSeconds(10));
        call("Page.reload", Map.of("ignoreCache", false), Duration.ofSeconds(30));
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            try {
                if ("true".equals(evaluate("String(!window.__beforeReload && document.readyState === 'complete')", Duration.ofSeconds(10)))) {
                    return;
                }
            } catch (IllegalStateException navigating) {
                // the old document's context went away mid-call: ask the new one
            }
        }
        throw new IllegalStateException("page did not reload");
    }

    /** Evaluates {@code expression} in the page (a promise is awaited) and returns its value as text. */
    String evaluate(String expression, Duration timeout) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "awaitPromise", true,
                "returnByValue", true), timeout);
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value").asText();
    }

    /**
     * Waits until {@code condition} (a JavaScript expression) is truthy in the page, polling until
     * {@code timeout}; fails with {@code what} and the page's text otherwise.
     */
    void waitFor(String condition, Duration timeout, String what) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String v = evaluate("new Promise(r => { const t0 = Date.now(); const poll = () => { let ok = false;"
                    + " try { ok = !!(" + condition + "); } catch (e) { ok = false; }"
                    + " if (ok || Date.now() - t0 > 1000) r(String(ok)); else setTimeout(poll, 25); }; poll(); })",
                    Duration.ofSeconds(10));
            if ("true".equals(v)) {
                return;
            }
        }
        throw new IllegalStateException("timed out waiting for " + what + "; page shows: "
                + evaluate("document.body ? document.body.innerText.slice(0, 2000) : ''", Duration.ofSeconds(10)));
    }

    /** Puts {@code files} into the file input matched by {@code selector}, as a user picking them would. */
    void setFiles(String selector, List<Path> files) throws Exception {
        JsonNode doc = call("DOM.getDocument", Map.of(), Duration.ofSeconds(10));
        JsonNode node = call("DOM.querySelector", Map.of("nodeId", doc.path("root").path("nodeId").asInt(), "selector", selector),
                Duration.ofSeconds(10));
        call("DOM.setFileInputFiles", Map.of("nodeId", node.path("nodeId").asInt(),
                "files", files.stream().map(p -> p.toAbsolutePath().toString()).toList()), Duration.ofSeconds(10));
    }

    /** Sets the viewport size (CSS pixels). */
    void viewport(int width, int height) throws Exception {
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", false), Duration.ofSeconds(10));
    }

    /** Writes a PNG screenshot of the viewport to {@code file}. */
    void screenshot(Path file) throws Exception {
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"), Duration.ofSeconds(30));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, java.util.Base64.getDecoder().decode(shot.path("data").asText()));
    }

    /** Lets the page download files into {@code dir}. */
    void downloadsTo(Path dir) throws Exception {
        call("Page.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", dir.toAbsolutePath().toString()),
                Duration.ofSeconds(10));
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException ignored) {
            // already closed
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (var walk = Files.walk(profile)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    CompletableFuture<JsonNode> waiting = message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                    if (waiting != null) {
                        waiting.complete(message);
                    }
                } catch (IOException e) {
                    // not a DevTools message: ignore
                } finally {
                    text.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}

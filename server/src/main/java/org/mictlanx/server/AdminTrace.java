package org.mictlanx.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code mictlanx admin trace}: prints the requests the router at {@code --endpoint} serves as they finish,
 * one line each (or the server's JSON objects with {@code --json}), until interrupted, until
 * {@code --count N} requests were printed, or until every server ended its stream. Each router traces
 * what it serves itself; {@code --routers URL,URL...} traces the other routers of the cluster too, with
 * the same credentials: the CLI subscribes to every router listed (the endpoint included) and merges
 * their streams as the events arrive, each event naming its router ({@code "router"} in JSON, the
 * router's host:port first on a human line). A router that cannot be traced is reported on stderr and
 * the others go on; when none can be, the command fails as a single router's trace does.
 *
 * <p>Filters (sent to every server, comma-separated lists): {@code --bucket}, {@code --status} (e.g.
 * {@code 403}, {@code 5xx}, {@code 4xx,5xx}), {@code --user} (user name or access key id),
 * {@code --operation} (AWS action name, e.g. {@code PutObject}). Events a server dropped because this
 * client read too slowly are reported on stderr ({@code --json}: as {@code {"type":"dropped"}} lines).
 */
final class AdminTrace {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminTrace() {
    }

    /** One line of one router's stream; {@code end} marks its end ({@code failure} set when it failed). */
    private record Line(String router, String text, boolean end, Exception failure) {
    }

    static int run(List<String> w, Settings settings, AdminClient client, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        return run(w, settings, client, null, out, err);
    }

    /** @param others a client for another router's URL (same credentials and trust); null: {@code --routers} is refused */
    static int run(List<String> w, Settings settings, AdminClient client, java.util.function.Function<URI, AdminClient> others,
                   PrintStream out, PrintStream err) throws IOException, InterruptedException {
        if (w.size() != 1) return AdminCli.usage(w, err);
        StringBuilder q = new StringBuilder();
        for (String name : List.of("bucket", "status", "user", "operation", "queue")) {
            settings.get(name).ifPresent(v -> q.append(q.isEmpty() ? "" : "&").append(name).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        Map<String, AdminClient> routers = new LinkedHashMap<>();
        routers.put(label(client.endpoint()), client);
        for (String url : settings.get("routers").map(v -> v.split(",")).orElse(new String[0])) {
            if (url.isBlank()) continue;
            URI uri = URI.create(url.strip());
            if (uri.getHost() == null || !List.of("http", "https").contains(String.valueOf(uri.getScheme()))) {
                throw new IllegalArgumentException("--routers takes http:// or https:// URLs, got " + url.strip());
            }
            if (others == null) throw new IllegalArgumentException("--routers is not available here");
            routers.putIfAbsent(label(uri), others.apply(uri));
        }
        int count = settings.getInt("count", 0);
        boolean json = settings.getBoolean("json");
        boolean many = routers.size() > 1;
        if (!many) {
            // One router: its refusal (403, 400) is the command's one-line error, as before.
            try (Stream<String> lines = client.trace(q.toString())) {
                Iterator<String> it = lines.iterator();
                long[] printed = {0};
                while (it.hasNext()) {
                    if (print(null, it.next(), json, count, printed, settings, out, err)) return 0;
                }
            }
            err.println("trace: the server ended the stream");
            return 0;
        }
        BlockingQueue<Line> queue = new LinkedBlockingQueue<>(10_000);
        List<Stream<String>> open = new CopyOnWriteArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (Map.Entry<String, AdminClient> r : routers.entrySet()) {
            readers.add(Thread.ofVirtual().name("trace-" + r.getKey()).start(() -> {
                try (Stream<String> lines = r.getValue().trace(q.toString())) {
                    open.add(lines);
                    Iterator<String> it = lines.iterator();
                    while (it.hasNext()) queue.put(new Line(r.getKey(), it.next(), false, null));
                    queue.put(new Line(r.getKey(), null, true, null));
                } catch (Exception e) {
                    try {
                        queue.put(new Line(r.getKey(), null, true, e));
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                    }
                }
            }));
        }
        int live = routers.size();
        int failed = 0;
        Exception lastFailure = null;
        long[] printed = {0};
        try {
            while (live > 0) {
                Line l = queue.take();
                if (l.end()) {
                    live--;
                    if (l.failure() != null) {
                        failed++;
                        lastFailure = l.failure();
                        err.println("trace: " + l.router() + ": " + AdminCli.describe(l.failure()));
                    } else {
                        err.println("trace: " + l.router() + " ended the stream");
                    }
                    continue;
                }
                if (print(l.router(), l.text(), json, count, printed, settings, out, err)) return 0;
            }
        } finally {
            for (Stream<String> s : open) s.close();
            for (Thread t : readers) t.interrupt();
        }
        if (failed == routers.size() && lastFailure != null) {
            if (lastFailure instanceof IOException io) throw io;
            if (lastFailure instanceof RuntimeException re) throw re;
            throw new IOException(lastFailure.getMessage(), lastFailure);
        }
        return 0;
    }

    /** Prints one stream line; true once {@code count} requests were printed. {@code router}: null for a single router. */
    private static boolean print(String router, String line, boolean json, int count, long[] printed, Settings settings,
                                 PrintStream out, PrintStream err) throws IOException {
        if (line.isBlank()) return false;
        JsonNode n = JSON.readTree(line);
        switch (n.path("type").asText()) {
            case "request" -> {
                if (json) {
                    out.println(router == null ? line : JSON.writeValueAsString(((com.fasterxml.jackson.databind.node.ObjectNode) n)
                            .put("router", router)));
                } else {
                    out.println(router == null ? text(n) : router + " " + text(n));
                }
                out.flush();
                return count > 0 && ++printed[0] >= count;
            }
            case "dropped" -> {
                if (json) {
                    out.println(router == null ? line : JSON.writeValueAsString(((com.fasterxml.jackson.databind.node.ObjectNode) n)
                            .put("router", router)));
                    out.flush();
                }
                err.println("trace: " + (router == null ? "" : router + ": ") + n.path("count").asLong()
                        + " request(s) dropped: this client read too slowly (" + n.path("total").asLong() + " in all)");
            }
            case "subscribed" -> err.println(router == null
                    ? "trace: tracing " + settings.get("endpoint").orElse("the router") + " (this router only; --routers adds others; Ctrl-C stops)"
                    : "trace: tracing " + router + " (Ctrl-C stops)");
            default -> {
                // heartbeats keep a quiet stream open
            }
        }
        return false;
    }

    private static String label(URI uri) {
        return uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80);
    }

    /** One human line: time, status, operation, bucket/key, duration, bytes in/out, caller, remote, request id. */
    static String text(JsonNode n) {
        String time = n.path("time").asText();
        String target = n.hasNonNull("bucket") ? n.path("bucket").asText() + (n.hasNonNull("key") ? "/" + n.path("key").asText() : "") : "-";
        String who = n.hasNonNull("user") ? n.path("user").asText() : n.hasNonNull("accessKey") ? "?" : "anonymous";
        if (n.hasNonNull("accessKey") && !who.equals(n.path("accessKey").asText())) who += "(" + n.path("accessKey").asText() + ")";
        String status = n.path("status").asText() + (n.hasNonNull("error") ? " " + n.path("error").asText() : "");
        return String.format("%-24s %-22s %-28s %s %s in=%s out=%s %s %s %s", time, n.path("operation").asText(), status, target,
                String.format("%.1fms", n.path("durationMs").asDouble()), bytes(n.path("bytesIn").asLong()),
                bytes(n.path("bytesOut").asLong()), who, n.path("remote").asText("-"), n.path("requestId").asText("-"));
    }

    private static String bytes(long n) {
        if (n < 1024) return n + "B";
        if (n < 1L << 20) return String.format("%.1fKiB", n / 1024.0);
        if (n < 1L << 30) return String.format("%.1fMiB", n / (double) (1L << 20));
        return String.format("%.1fGiB", n / (double) (1L << 30));
    }
}

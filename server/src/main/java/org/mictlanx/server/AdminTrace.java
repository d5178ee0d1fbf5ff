package org.mictlanx.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code mictlanx admin trace}: prints the requests the router at {@code --endpoint} serves as they finish,
 * one line each (or the server's JSON objects with {@code --json}), until interrupted, until
 * {@code --count N} requests were printed, or until the server ends the stream. Each router traces only
 * what it serves itself: to see a whole cluster, trace every router.
 *
 * <p>Filters (sent to the server, comma-separated lists): {@code --bucket}, {@code --status} (e.g.
 * {@code 403}, {@code 5xx}, {@code 4xx,5xx}), {@code --user} (user name or access key id),
 * {@code --operation} (AWS action name, e.g. {@code PutObject}). Events the server dropped because this
 * client read too slowly are reported on stderr ({@code --json}: as {@code {"type":"dropped"}} lines).
 */
final class AdminTrace {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminTrace() {
    }

    static int run(List<String> w, Settings settings, AdminClient client, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        if (w.size() != 1) return AdminCli.usage(w, err);
        StringBuilder q = new StringBuilder();
        for (String name : List.of("bucket", "status", "user", "operation", "queue")) {
            settings.get(name).ifPresent(v -> q.append(q.isEmpty() ? "" : "&").append(name).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        int count = settings.getInt("count", 0);
        boolean json = settings.getBoolean("json");
        long printed = 0;
        try (Stream<String> lines = client.trace(q.toString())) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isBlank()) continue;
                JsonNode n = JSON.readTree(line);
                switch (n.path("type").asText()) {
                    case "request" -> {
                        out.println(json ? line : text(n));
                        out.flush();
                        if (count > 0 && ++printed >= count) return 0;
                    }
                    case "dropped" -> {
                        if (json) {
                            out.println(line);
                            out.flush();
                        }
                        err.println("trace: " + n.path("count").asLong() + " request(s) dropped: this client read too slowly ("
                                + n.path("total").asLong() + " in all)");
                    }
                    case "subscribed" -> err.println("trace: tracing " + settings.get("endpoint").orElse("the router")
                            + " (this router only; Ctrl-C stops)");
                    default -> {
                        // heartbeats keep a quiet stream open
                    }
                }
            }
        }
        err.println("trace: the server ended the stream");
        return 0;
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

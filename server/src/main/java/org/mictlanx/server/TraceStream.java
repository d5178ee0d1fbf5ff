package org.mictlanx.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code GET /_mictlanx/admin/trace}: a live stream of the requests this router serves, as
 * newline-delimited JSON ({@code application/x-ndjson}, chunked), until the client goes away or the
 * server stops. Query parameters (each optional, comma-separated lists): {@code bucket}, {@code status}
 * ({@code 403}, {@code 5xx}), {@code user} (user name or access key id), {@code operation} (AWS action
 * name), and {@code queue} (events held for this subscriber, 1..{@value TracePublisher#MAX_QUEUE},
 * default {@value TracePublisher#DEFAULT_QUEUE}).
 *
 * <p>Lines, each a JSON object with {@code type}:
 * <ul>
 *   <li>{@code subscribed}: first, once the subscription is in place (with the filter);</li>
 *   <li>{@code request}: one finished request, the {@link TraceEvent} fields;</li>
 *   <li>{@code dropped}: {@code count} events matching the filter were dropped since the last such line
 *       because this subscriber read too slowly ({@code total}: since it subscribed);</li>
 *   <li>{@code heartbeat}: every {@value #HEARTBEAT_SECONDS} s without anything else, so idle timeouts
 *       do not end a quiet stream.</li>
 * </ul>
 * Only events that pass the filter reach the queue, so a narrow filter drops less.
 */
final class TraceStream {

    private static final Logger LOG = LoggerFactory.getLogger(TraceStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int HEARTBEAT_SECONDS = 10;
    /** Events written in one chunk at most. */
    private static final int BATCH = 256;

    private final TracePublisher publisher;

    TraceStream(TracePublisher publisher) {
        this.publisher = publisher;
    }

    /** Validates the query, subscribes and streams; answers 400 for a bad filter, 503 when subscribers are full. */
    boolean serve(Request request, Response response, Callback callback, Fields query) throws Exception {
        TraceFilter filter;
        int queue;
        try {
            filter = TraceFilter.parse(query.getValue("bucket"), query.getValue("status"), query.getValue("user"),
                    query.getValue("operation"));
            String q = query.getValue("queue");
            queue = q == null ? TracePublisher.DEFAULT_QUEUE : Integer.parseInt(q.strip());
            if (queue < 1 || queue > TracePublisher.MAX_QUEUE) throw new IllegalArgumentException("queue must be 1.." + TracePublisher.MAX_QUEUE);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("queue must be a whole number");
        }
        TracePublisher.Subscription sub;
        try {
            sub = publisher.subscribe(filter, queue);
        } catch (IllegalStateException e) {
            response.setStatus(503);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(Map.of("error", "SlowDown", "message", e.getMessage()))), callback);
            return true;
        }
        long total = 0;
        boundSendBuffer(request);
        try (sub) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            Map<String, Object> hello = new LinkedHashMap<>();
            hello.put("type", "subscribed");
            hello.put("filter", Map.of("bucket", filter.buckets(), "status", filter.statuses(), "user", filter.users(),
                    "operation", filter.operations()));
            hello.put("queue", queue);
            write(response, line(hello));
            long lastWrite = System.nanoTime();
            while (!sub.ended()) {
                TraceEvent first = sub.poll(Duration.ofSeconds(1));
                ByteArrayOutputStream chunk = new ByteArrayOutputStream();
                long dropped = sub.takeDropped();
                if (dropped > 0) {
                    total += dropped;
                    chunk.writeBytes(line(Map.of("type", "dropped", "count", dropped, "total", total)));
                }
                for (TraceEvent e = first; e != null; e = chunk.size() < BATCH * 512 ? sub.poll(Duration.ZERO) : null) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("type", "request");
                    m.putAll(e.toJson());
                    chunk.writeBytes(line(m));
                }
                if (chunk.size() == 0 && System.nanoTime() - lastWrite >= Duration.ofSeconds(HEARTBEAT_SECONDS).toNanos()) {
                    chunk.writeBytes(line(Map.of("type", "heartbeat")));
                }
                if (chunk.size() > 0) {
                    write(response, chunk.toByteArray());
                    lastWrite = System.nanoTime();
                }
            }
        } catch (IOException gone) {
            // The subscriber went away (or stalled past the idle timeout): its subscription ends here.
            LOG.debug("trace subscriber gone: {}", gone.toString());
            callback.failed(gone);
            return true;
        }
        if (total > 0) LOG.info("trace subscriber ended; {} events dropped for it (it read too slowly)", total);
        response.write(true, ByteBuffer.allocate(0), callback);
        return true;
    }

    /** Kernel send buffer of a trace connection: bounds what a stalled subscriber holds before its queue drops. */
    static final int SEND_BUFFER = 64 * 1024;

    /**
     * Fixes this connection's socket send buffer at {@link #SEND_BUFFER} (loopback autotuning would let it grow to
     * megabytes), so a subscriber that stops reading stalls its stream soon and sees drops, not a long backlog.
     */
    private static void boundSendBuffer(Request request) {
        try {
            org.eclipse.jetty.io.EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            if (endPoint instanceof org.eclipse.jetty.io.ssl.SslConnection.SslEndPoint ssl) {
                endPoint = ssl.getSslConnection().getEndPoint();
            }
            if (endPoint.getTransport() instanceof java.nio.channels.NetworkChannel channel) {
                channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("trace: send buffer left as it is: {}", e.toString());
        }
    }

    private static byte[] line(Object value) throws IOException {
        byte[] json = JSON.writeValueAsBytes(value);
        byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }

    /** Writes and waits until written: a stalled reader blocks only this stream, never the publisher. */
    private static void write(Response response, byte[] bytes) throws IOException {
        try (Blocker.Callback done = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(bytes), done);
            done.block();
        }
    }
}

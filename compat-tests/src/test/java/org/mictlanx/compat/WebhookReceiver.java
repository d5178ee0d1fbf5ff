package org.mictlanx.compat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver for event notification tests on an ephemeral loopback port: records every
 * event record POSTed to it, or answers 503 (without recording) while {@link #down} is set, or holds
 * every request unanswered while {@link #stall} is closed.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final List<JsonNode> records = new ArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    volatile boolean down;
    /** While set and closed, every request waits on it before being answered (a stalled target). */
    volatile java.util.concurrent.CountDownLatch stall;
    /** Requests waiting on {@link #stall} right now. */
    final AtomicInteger stalled = new AtomicInteger();

    WebhookReceiver() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                byte[] body = in.readAllBytes();
                java.util.concurrent.CountDownLatch hold = stall;
                if (hold != null) {
                    stalled.incrementAndGet();
                    try {
                        hold.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        stalled.decrementAndGet();
                    }
                }
                if (down || !"POST".equals(ex.getRequestMethod())) {
                    refused.incrementAndGet();
                    ex.sendResponseHeaders(503, -1);
                    return;
                }
                JsonNode doc = JSON.readTree(body);
                synchronized (records) {
                    doc.get("Records").forEach(records::add);
                }
                ex.sendResponseHeaders(204, -1);
            } finally {
                ex.close();
            }
        });
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/events";
    }

    List<JsonNode> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** The records about {@code bucket}. */
    List<JsonNode> records(String bucket) {
        return records().stream().filter(r -> r.at("/s3/bucket/name").asText().equals(bucket)).toList();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}

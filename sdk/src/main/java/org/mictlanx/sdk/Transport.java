package org.mictlanx.sdk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signs and sends S3 requests to the router pool with retries: connection errors fail over to
 * another router; 500, 503 and SlowDown back off and retry; every other answer (including all 4xx)
 * is returned at once. Bodies are byte arrays (at most one part), so every attempt can resend them.
 */
final class Transport implements AutoCloseable {

    /** A request: path-style bucket and key (key may be null), decoded query, extra headers, body. */
    record Request(String method, String bucket, String key, Map<String, String> query,
                   Map<String, String> headers, byte[] body) {
        Request {
            query = query == null ? Map.of() : query;
            headers = headers == null ? Map.of() : headers;
        }
    }

    /** A final answer: status, headers (first value, lower-case names) and the body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String header(String name) {
            return headers.get(name);
        }

        /** Throws the S3 error this answer carries unless it is a 2xx. */
        Response expectOk(String what) {
            if (!ok()) {
                throw error(what);
            }
            return this;
        }

        MictlanXException error(String what) {
            String code = Xml.errorCode(body);
            String msg = Xml.errorMessage(body);
            return new MictlanXException(what + " failed: HTTP " + status + (code == null ? "" : " " + code)
                    + (msg == null ? "" : ": " + msg), status, code, null);
        }
    }

    private final HttpClient http;
    private final RouterPool routers;
    private final SigV4 signer;
    private final ClientConfig config;
    private final AtomicLong attempts = new AtomicLong();

    Transport(ClientConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).build();
        this.routers = new RouterPool(config.routers(), 5_000);
        this.signer = new SigV4(config.accessKey(), config.secretKey(), config.region());
    }

    /** Requests sent so far, retries included (for tests and metrics). */
    long attempts() {
        return attempts.get();
    }

    Response send(Request req) {
        RetryPolicy retry = config.retry();
        Set<RouterPool.Router> failed = new HashSet<>();
        Exception last = null;
        for (int attempt = 1; ; attempt++) {
            RouterPool.Router router = routers.acquire(failed);
            try {
                attempts.incrementAndGet();
                Response r = once(router.uri, req);
                if (!RetryPolicy.retryable(r.status(), r.ok() ? null : Xml.errorCode(r.body())) || attempt >= retry.maxAttempts()) {
                    return r;
                }
                last = r.error(req.method() + " " + path(req));
            } catch (IOException e) {
                routers.markDown(router);
                failed.add(router);
                if (failed.size() >= routers.size()) {
                    failed.clear();
                }
                last = e;
                if (attempt >= retry.maxAttempts()) {
                    throw new MictlanXException(req.method() + " " + path(req) + " failed: no router answered ("
                            + e + ")", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MictlanXException("interrupted", e);
            } finally {
                routers.release(router);
            }
            try {
                Thread.sleep(retry.delayMillis(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MictlanXException("interrupted while backing off after " + last, e);
            }
        }
    }

    private Response once(URI base, Request req) throws IOException, InterruptedException {
        String path = path(req);
        StringBuilder uri = new StringBuilder(base.toString()).append(path);
        if (!req.query().isEmpty()) {
            uri.append('?').append(SigV4.canonicalQuery(req.query()));
        }
        Map<String, String> headers = new LinkedHashMap<>(req.headers());
        String host = base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
        headers.put("host", host);
        Map<String, String> signed = signer.sign(req.method(), path, req.query(), headers, SigV4.UNSIGNED_PAYLOAD,
                Instant.now());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(config.requestTimeout());
        signed.forEach((k, v) -> {
            if (!k.equals("host")) {
                b.header(k, v);
            }
        });
        b.method(req.method(), req.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(req.body()));
        HttpResponse<byte[]> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> out = new LinkedHashMap<>();
        resp.headers().map().forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
        return new Response(resp.statusCode(), out, resp.body() == null ? new byte[0] : resp.body());
    }

    static String path(Request req) {
        StringBuilder p = new StringBuilder("/");
        if (req.bucket() != null) {
            p.append(SigV4.encode(req.bucket(), true));
            if (req.key() != null) {
                p.append('/').append(SigV4.encode(req.key(), false));
            }
        }
        return p.toString();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }
}

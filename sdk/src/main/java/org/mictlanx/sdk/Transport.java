package org.mictlanx.sdk;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Signs and sends S3 requests to the router pool with retries: connection errors fail over to
 * another router; 500, 503 and SlowDown back off and retry; every other answer (including all 4xx)
 * is returned at once. Request bodies are byte arrays (at most one part), so every attempt can resend
 * them. Ranged reads ({@link #read}) stream the body straight into the caller's buffer over the JDK's
 * blocking {@link HttpURLConnection}, which costs well under half the CPU per byte of {@link HttpClient}
 * collecting the body (one copy from the socket, no per-request buffers; see docs/performance.md).
 * Its kept-alive connections live in the JDK's process-wide cache (idle ones close after 5 s; at most
 * {@code http.maxConnections}, default 5, are kept per router, so a parallelism above that reconnects
 * more often); {@link #open} leaves such a body in its socket for the caller to stream. Everything else
 * goes through {@link HttpClient} with the body collected as a byte array.
 */
final class Transport implements AutoCloseable {

    /**
     * A request: path-style bucket and key (no bucket: the service, ListBuckets; no key: the bucket),
     * decoded query, extra headers, body (none: an empty body).
     */
    record Request(String method, @Nullable String bucket, @Nullable String key, Map<String, String> query,
                   Map<String, String> headers, byte @Nullable [] body) {
        /** A null query or null headers are none. */
        Request(String method, @Nullable String bucket, @Nullable String key, @Nullable Map<String, String> query,
                @Nullable Map<String, String> headers, byte @Nullable [] body) {
            this.method = method;
            this.bucket = bucket;
            this.key = key;
            this.query = query == null ? Map.of() : query;
            this.headers = headers == null ? Map.of() : headers;
            this.body = body;
        }
    }

    /**
     * A final answer: status, headers (first value, lower-case names) and the body. {@code uncertain}
     * tells that an earlier attempt of this request failed in a way that leaves open whether the server
     * applied it (its connection broke after sending, or it answered 5xx); {@code firstSentNanos} is
     * {@link System#nanoTime()} when the first attempt was sent.
     */
    record Response(int status, Map<String, String> headers, byte[] body, boolean uncertain, long firstSentNanos) {
        Response(int status, Map<String, String> headers, byte[] body) {
            this(status, headers, body, false, 0);
        }

        boolean ok() {
            return status / 100 == 2;
        }

        /** The header's (first) value, or null when the answer has none. */
        @Nullable String header(String name) {
            return headers.get(name);
        }

        /** The header's value; an answer without it is a {@link MictlanXException} ({@code what} names the call). */
        String requiredHeader(String name, String what) {
            String v = headers.get(name);
            if (v == null) {
                throw new MictlanXException(what + " answered without " + name, status, null, null);
            }
            return v;
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

        private Response tracked(boolean uncertainBefore, long sentNanos) {
            return new Response(status, headers, body, uncertainBefore, sentNanos);
        }
    }

    /** One attempt against one router. */
    @FunctionalInterface
    private interface Attempt {
        Response run(URI base) throws IOException, InterruptedException;
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
        return execute(req, base -> once(base, req));
    }

    /**
     * A GET whose 2xx body must be exactly {@code length} bytes, read into {@code dst[offset ..]}; the
     * answer then has an empty body. Another 2xx length is an {@link IntegrityException}; a body cut
     * short is a connection error (retried); non-2xx answers are returned with their error body.
     */
    Response read(Request req, byte[] dst, int offset, int length) {
        return execute(req, base -> readOnce(base, req, dst, offset, length));
    }

    /**
     * A request whose 2xx body the caller streams: the answer (headers; an empty body) and, for a 2xx,
     * the open body stream, to be read to its end or closed. Retries as {@link #send} until an answer
     * arrives; what happens to the body afterwards (a connection lost mid-body) is the caller's to
     * handle. Non-2xx answers carry their error body and no stream.
     */
    Body open(Request req) {
        InputStream[] stream = new InputStream[1];
        Response r = execute(req, base -> openOnce(base, req, stream));
        return new Body(r, r.ok() ? stream[0] : null);
    }

    /** The answer of {@link #open} and, for a 2xx, its body stream. */
    record Body(Response response, @Nullable InputStream in) implements java.io.Closeable {
        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    private Response execute(Request req, Attempt attempt) {
        RetryPolicy retry = config.retry();
        Set<RouterPool.Router> failed = new HashSet<>();
        Exception last = null;
        boolean uncertain = false;
        long firstSent = System.nanoTime();
        for (int attemptNo = 1; ; attemptNo++) {
            RouterPool.Router router = routers.acquire(failed);
            try {
                attempts.incrementAndGet();
                Response r = attempt.run(router.uri);
                if (!RetryPolicy.retryable(r.status(), r.ok() ? null : Xml.errorCode(r.body()))
                        || attemptNo >= retry.maxAttempts()) {
                    return r.tracked(uncertain, firstSent);
                }
                uncertain |= r.status() / 100 == 5;
                last = r.error(req.method() + " " + path(req));
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new MictlanXException("interrupted", e);
                }
                routers.markDown(router);
                failed.add(router);
                if (failed.size() >= routers.size()) {
                    failed.clear();
                }
                // A refused or timed-out connect never carried the request.
                uncertain |= !(e instanceof ConnectException || e instanceof HttpConnectTimeoutException);
                last = e;
                if (attemptNo >= retry.maxAttempts()) {
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
                Thread.sleep(retry.delayMillis(attemptNo));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MictlanXException("interrupted while backing off after " + last, e);
            }
        }
    }

    private Response readOnce(URI base, Request req, byte[] dst, int offset, int length) throws IOException {
        HttpURLConnection c = connect(base, req);
        int status = c.getResponseCode();
        Map<String, String> headers = headers(c);
        if (status / 100 != 2) {
            return errorAnswer(c, status, headers);
        }
        long declared = c.getContentLengthLong();
        try (InputStream in = c.getInputStream()) {
            if (declared != length) {
                c.disconnect();
                throw new IntegrityException(req.method() + " " + path(req) + " answered " + declared
                        + " bytes, expected " + length);
            }
            int n = in.readNBytes(dst, offset, length);
            if (n != length) {
                throw new EOFException("body of " + path(req) + " ended after " + n + " of " + length + " bytes");
            }
        }
        return new Response(status, headers, new byte[0]);
    }

    /** One attempt of {@link #open}: a 2xx leaves its body stream in {@code stream[0]}. */
    private Response openOnce(URI base, Request req, InputStream[] stream) throws IOException {
        HttpURLConnection c = connect(base, req);
        int status = c.getResponseCode();
        Map<String, String> headers = headers(c);
        if (status / 100 != 2) {
            return errorAnswer(c, status, headers);
        }
        stream[0] = c.getInputStream();
        return new Response(status, headers, new byte[0]);
    }

    private static Response errorAnswer(HttpURLConnection c, int status, Map<String, String> headers) throws IOException {
        try (InputStream err = c.getErrorStream()) {
            return new Response(status, headers, err == null ? new byte[0] : err.readAllBytes());
        }
    }

    private static Map<String, String> headers(HttpURLConnection c) {
        Map<String, String> headers = new LinkedHashMap<>();
        c.getHeaderFields().forEach((k, v) -> {
            if (k != null && !v.isEmpty()) {
                headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst());
            }
        });
        return headers;
    }

    /** A signed request on a JDK {@link HttpURLConnection} (kept-alive connections reused), not yet sent. */
    private HttpURLConnection connect(URI base, Request req) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri(base, req).toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis()));
        c.setRequestMethod(req.method());
        sign(base, req).forEach((k, v) -> {
            if (!k.equals("host")) {
                c.setRequestProperty(k, v);
            }
        });
        return c;
    }

    private Response once(URI base, Request req) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(base, req)).timeout(config.requestTimeout());
        sign(base, req).forEach((k, v) -> {
            if (!k.equals("host")) {
                b.header(k, v);
            }
        });
        byte[] body = req.body();
        b.method(req.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> out = new LinkedHashMap<>();
        resp.headers().map().forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
        return new Response(resp.statusCode(), out, resp.body() == null ? new byte[0] : resp.body());
    }

    private static URI uri(URI base, Request req) {
        StringBuilder uri = new StringBuilder(base.toString()).append(path(req));
        if (!req.query().isEmpty()) {
            uri.append('?').append(SigV4.canonicalQuery(req.query()));
        }
        return URI.create(uri.toString());
    }

    /** The request's headers plus host, date, payload hash and authorization. */
    private Map<String, String> sign(URI base, Request req) {
        Map<String, String> headers = new LinkedHashMap<>(req.headers());
        headers.put("host", base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort()));
        return signer.sign(req.method(), path(req), req.query(), headers, SigV4.UNSIGNED_PAYLOAD, Instant.now());
    }

    static String path(Request req) {
        StringBuilder p = new StringBuilder("/");
        String bucket = req.bucket();
        String key = req.key();
        if (bucket != null) {
            p.append(SigV4.encode(bucket, true));
            if (key != null) {
                p.append('/').append(SigV4.encode(key, false));
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

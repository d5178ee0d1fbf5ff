package org.mictlanx.peer.client;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.http.BodyDigest;
import org.mictlanx.peer.http.Json;
import org.mictlanx.peer.http.PeerTls;
import org.mictlanx.peer.http.RequestSigner;

/**
 * The signed HTTP exchange with one peer, on Jetty's HttpClient: every request signed for the peer
 * (fresh nonce, body digest), every response authenticated against the peer's response signature
 * before anything read from it is used, error responses turned into {@link PeerException}s
 * ({@link PeerErrors}), connection failures and timeouts into UNAVAILABLE. What the requests mean is
 * {@link HttpPeerClient}'s job. Thread-safe; owns its HttpClient.
 */
final class PeerTransport {
    private final String id;
    private final URI base;
    private final RequestSigner signer;
    private final Duration timeout;
    private final HttpClient http;

    /** The transport to peer {@code id} at {@code base}; mutual TLS with {@code tls} (https only), plain HTTP without. */
    PeerTransport(String id, URI base, RequestSigner signer, Duration timeout, PeerTls tls) {
        this.id = id;
        this.base = base;
        this.signer = signer;
        this.timeout = timeout;
        boolean https = "https".equalsIgnoreCase(base.getScheme());
        if (https != (tls != null)) {
            throw new IllegalArgumentException("peer " + id + " at " + base + (https ? " needs peer TLS settings (CA, certificate, key)"
                    : " is plain http while peer TLS is configured"));
        }
        this.http = new HttpClient();
        if (tls != null) http.setSslContextFactory(tls.clientFactory());
        http.setConnectTimeout(Math.min(timeout.toMillis(), 5_000));
        http.setIdleTimeout(timeout.toMillis());
        http.setMaxConnectionsPerDestination(256);
        http.setUserAgentField(null);
        http.setName("peer-client-" + id);
        try {
            http.start();
        } catch (Exception e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "cannot start http client", e);
        }
    }

    /** A response whose body stream the caller must close; its body is authenticated as it is read. */
    final class Reply {
        private final Response response;
        private final InputStream body;
        private final Prepared request;

        Reply(Response response, InputStream body, Prepared request) {
            this.response = response;
            this.body = body;
            this.request = request;
        }

        Response response() {
            return response;
        }

        /** The whole body, checked against the response signature; with a Content-Length, read straight into an array of that size. */
        byte[] bytes() throws IOException {
            byte[] b = readAll();
            authenticate(response, request, b);
            return b;
        }

        private byte[] readAll() throws IOException {
            try (InputStream in = body) {
                long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
                if (declared < 0 || declared > Integer.MAX_VALUE - 8) return in.readAllBytes();
                byte[] b = new byte[(int) declared];
                int got = in.readNBytes(b, 0, b.length);
                if (got < b.length || in.read() != -1) {
                    throw new IOException("body of " + got + "+ bytes does not match its Content-Length " + declared);
                }
                return b;
            }
        }
    }

    /**
     * Throws unless the response carries the peer's signature over its status, kind, chunk headers
     * and {@code body}, bound to the request {@code prepared}. An unsigned 401/403 is
     * the peer refusing the request itself (it signs nothing for requests it could not authenticate).
     */
    private void authenticate(Response response, Prepared prepared, byte[] body) {
        var h = response.getHeaders();
        String signature = h.get(RequestSigner.RESPONSE_SIGNATURE);
        int status = response.getStatus();
        if (signature == null) {
            if (status == 401 || status == 403) {
                throw new PeerException(status == 401 ? PeerException.Kind.UNAUTHORIZED : PeerException.Kind.FORBIDDEN,
                        "peer " + id + " refused the request: " + PeerErrors.message(id, status, body));
            }
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " sent an unsigned response (status " + status + ")");
        }
        if (!signer.verifyResponse(signature, prepared.signature(), status, h.get("X-Mx-Error-Kind"), h.get("X-Mx-Chunk-Size"),
                h.get("X-Mx-Chunk-Crc32c"), h.get(HttpHeader.CONTENT_RANGE),
                signer.bodyDigest(prepared.nonce(), BodyDigest.Direction.RESPONSE, body, 0, body.length))) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " sent a response whose signature does not match");
        }
    }

    private record Prepared(Request request, String signature, String nonce) {
    }

    /**
     * A signed request to this peer with {@code body} (null: none) of {@code contentType};
     * {@code bodyCrc} is the chunk's CRC32C hex for chunk puts (else null); {@code extra} as for
     * {@link #send}.
     */
    private Prepared request(String method, String path, String query, byte[] body, String contentType, String bodyCrc,
                             String extra) {
        String range = method.equals("GET") ? extra : null;
        RequestSigner.Signed signed = signer.newRequest(method, path, query, id, range, bodyCrc, body);
        String[] signature = new String[1];
        Request req = http.newRequest(base.resolve(path + (query.isEmpty() ? "" : "?" + query)))
                .method(method)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> {
                    signer.headers(signed, (name, value) -> {
                        h.put(name, value);
                        if (name.equals(RequestSigner.SIGNATURE)) signature[0] = value;
                    });
                    if (extra != null && range == null) h.put(HttpHeader.EXPECT, extra);
                });
        if (body != null) req.body(new BytesRequestContent(contentType, body));
        return new Prepared(req, signature[0], signed.nonce());
    }

    /**
     * Sends a request whose answer has no or a small body, completing only once the whole response has
     * arrived (one wake-up of the caller instead of one for the headers and one for the body). Error
     * statuses throw.
     */
    void sendForStatus(String method, String path, byte[] body, String bodyCrc, String extra) {
        Prepared prepared = request(method, path, "", body, "application/octet-stream", bodyCrc, extra);
        Request req = prepared.request();
        StatusListener listener = new StatusListener();
        req.send(listener);
        StatusListener.Answer answer;
        try {
            answer = listener.answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            req.abort(e);
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "interrupted", e);
        } catch (TimeoutException e) {
            req.abort(e);
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " timed out", e);
        } catch (ExecutionException e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " unreachable: " + e.getCause(), e.getCause());
        }
        authenticate(answer.response(), prepared, answer.body());
        if (answer.response().getStatus() >= 400) throw PeerErrors.of(id, answer.response(), answer.body());
    }

    /**
     * Completes once with the whole (small) response. A request whose body was cut short because the
     * peer answered early (413 to {@code Expect: 100-continue}) still completes with that answer.
     */
    private static final class StatusListener extends BufferingResponseListener {
        record Answer(Response response, byte[] body) {
        }

        final CompletableFuture<Answer> answer = new CompletableFuture<>();

        StatusListener() {
            super(64 << 10);
        }

        @Override
        public void onComplete(Result result) {
            if (result.getResponseFailure() == null && result.getResponse().getStatus() > 0) {
                answer.complete(new Answer(result.getResponse(), getContent()));
            } else {
                answer.completeExceptionally(result.getFailure());
            }
        }
    }

    /**
     * Sends one signed request; {@code extra} is a Range header value for GET, or "100-continue" for
     * large PUT bodies (the server answers 413 before the body is sent). Error statuses throw.
     */
    Reply send(String method, String path, String query, byte[] body, String extra) {
        Prepared prepared = request(method, path, query, body, "application/json", null, extra);
        Request req = prepared.request();
        InputStreamResponseListener listener = new InputStreamResponseListener();
        req.send(listener);
        Response response;
        try {
            response = listener.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            req.abort(e);
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "interrupted", e);
        } catch (TimeoutException e) {
            req.abort(e);
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " timed out", e);
        } catch (ExecutionException e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " unreachable: " + e.getCause(), e.getCause());
        }
        Reply reply = new Reply(response, listener.getInputStream(), prepared);
        if (response.getStatus() >= 400) {
            byte[] answer;
            try {
                answer = reply.bytes();
            } catch (IOException e) {
                throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " broke an error response: " + e.getMessage(), e);
            }
            throw PeerErrors.of(id, response, answer);
        }
        return reply;
    }

    <T> T json(Reply reply, Class<T> type) {
        try {
            return Json.MAPPER.readValue(reply.bytes(), type);
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " sent a bad body: " + e.getMessage(), e);
        }
    }

    <T> T json(Reply reply, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(reply.bytes(), type);
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " sent a bad body: " + e.getMessage(), e);
        }
    }

    static void drain(Reply reply) {
        try {
            reply.bytes();
        } catch (IOException ignored) {
            // the status already answered
        }
    }

    byte[] bytesOf(Reply reply) {
        try {
            return reply.bytes();
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " broke the body: " + e.getMessage(), e);
        }
    }

    void close() {
        try {
            http.stop();
        } catch (Exception e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "error stopping http client", e);
        }
    }
}

package org.mictlanx.peer.client;

import com.fasterxml.jackson.core.type.TypeReference;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.mictlanx.peer.api.ChunkIds;
import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.ChunkPage;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.api.PeerHealth;
import org.mictlanx.peer.api.PeerStats;
import org.mictlanx.peer.api.ScrubReport;
import org.mictlanx.peer.http.BodyDigest;
import org.mictlanx.peer.http.Json;
import org.mictlanx.peer.http.PeerTls;
import org.mictlanx.peer.http.Query;
import org.mictlanx.peer.http.RequestSigner;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link PeerApi} of a remote peer over its signed HTTP API, on Jetty's HttpClient. Every request is
 * signed with {@link RequestSigner} for the peer {@link #id()} (the destination the peer checks),
 * with a fresh nonce and the digest of its body ({@link BodyDigest}); so a chunk body must be known before it is sent
 * (the stream form of {@link #putChunk(String, InputStream, long, int)} reads the chunk, at most the
 * peer's chunk size, into memory first). Every response must carry the peer's response signature over
 * its status, chunk headers and body, bound to the request: a response without it becomes
 * UNAVAILABLE (or, for a 401/403 refusal of the request itself, UNAUTHORIZED/FORBIDDEN), so nothing
 * read from the wire is trusted unauthenticated. An authenticated error response becomes a
 * {@link PeerException} of the same kind; connection failures and timeouts become UNAVAILABLE. With
 * {@link PeerTls} the connection is mutual TLS ({@code https://} base URI). Thread-safe; one client
 * per peer (it owns its HttpClient).
 */
public final class HttpPeerClient implements PeerApi {
    private final String id;
    private final URI base;
    private final RequestSigner signer;
    private final Duration timeout;
    private final HttpClient http;

    public HttpPeerClient(String id, URI base, RequestSigner signer, Duration timeout) {
        this(id, base, signer, timeout, null);
    }

    /**
     * A client of peer {@code id} at {@code base}; over mutual TLS with {@code tls} (then {@code base}
     * must be {@code https://}), plain HTTP when it is null.
     */
    public HttpPeerClient(String id, URI base, RequestSigner signer, Duration timeout, PeerTls tls) {
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

    @Override
    public String id() {
        return id;
    }

    /** A response whose body stream the caller must close; its body is authenticated as it is read. */
    private final class Reply {
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
                        "peer " + id + " refused the request: " + errorMessage(status, body));
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
    private void sendForStatus(String method, String path, byte[] body, String bodyCrc, String extra) {
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
        if (answer.response().getStatus() >= 400) throw error(answer.response(), answer.body());
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
    private Reply send(String method, String path, String query, byte[] body, String extra) {
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
            throw error(response, answer);
        }
        return reply;
    }

    private String errorMessage(int status, byte[] body) {
        try {
            if (body.length > 0) return Json.MAPPER.readValue(body, Json.Error.class).message();
        } catch (IOException | RuntimeException ignored) {
            // the kind header or the status still say what happened
        }
        return "peer " + id + " answered " + status;
    }

    /** The exception of an authenticated error response. */
    private PeerException error(Response response, byte[] body) {
        int status = response.getStatus();
        String kindHeader = response.getHeaders().get("X-Mx-Error-Kind");
        String message = errorMessage(status, body);
        PeerException.Kind kind = null;
        if (kindHeader != null) {
            try {
                kind = PeerException.Kind.valueOf(kindHeader);
            } catch (IllegalArgumentException ignored) {
                // unknown kind: fall back to the status
            }
        }
        if (kind == null) {
            kind = PeerException.Kind.UNAVAILABLE;
            for (PeerException.Kind k : PeerException.Kind.values()) {
                if (k.httpStatus == status) {
                    kind = k;
                    break;
                }
            }
        }
        return new PeerException(kind, message);
    }

    private <T> T json(Reply reply, Class<T> type) {
        try {
            return Json.MAPPER.readValue(reply.bytes(), type);
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " sent a bad body: " + e.getMessage(), e);
        }
    }

    private <T> T json(Reply reply, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(reply.bytes(), type);
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " sent a bad body: " + e.getMessage(), e);
        }
    }

    private static void drain(Reply reply) {
        try {
            reply.bytes();
        } catch (IOException ignored) {
            // the status already answered
        }
    }

    /**
     * Reads the chunk into memory (its digest goes into the signed headers, before the body) and
     * sends it as {@link #putChunk(String, byte[], int)} does.
     */
    @Override
    public void putChunk(String chunkId, InputStream body, long length, int crc32c) {
        ChunkIds.require(chunkId);
        if (length < 0) throw new PeerException(PeerException.Kind.BAD_REQUEST, "negative length");
        if (length > Integer.MAX_VALUE - 64) throw new PeerException(PeerException.Kind.TOO_LARGE, "chunk of " + length + " bytes");
        byte[] data = new byte[(int) length];
        try {
            if (body.readNBytes(data, 0, data.length) < data.length) {
                throw new PeerException(PeerException.Kind.BAD_REQUEST, "body shorter than its length");
            }
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.BAD_REQUEST, "cannot read chunk body: " + e.getMessage(), e);
        }
        putChunk(chunkId, data, crc32c);
    }

    /** Sends the array itself as the body (no stream copy on the way out). */
    @Override
    public void putChunk(String chunkId, byte[] data, int crc32c) {
        ChunkIds.require(chunkId);
        sendForStatus("PUT", "/chunks/" + chunkId, data, RequestSigner.crcHex(crc32c), data.length >= (1 << 20) ? "100-continue" : null);
    }

    @Override
    public byte[] getChunk(String chunkId, long offset, long length) {
        ChunkIds.require(chunkId);
        if (offset < 0) throw new PeerException(PeerException.Kind.BAD_REQUEST, "negative offset");
        if (offset == 0 && length < 0) return bytesOf(send("GET", "/chunks/" + chunkId, "", null, null));
        if (length == 0) {
            byte[] all = getChunk(chunkId, 0, -1);
            if (offset > all.length) throw new PeerException(PeerException.Kind.BAD_REQUEST, "offset outside chunk");
            return new byte[0];
        }
        String range = "bytes=" + offset + "-" + (length < 0 ? "" : Long.toString(offset + length - 1));
        try {
            return bytesOf(send("GET", "/chunks/" + chunkId, "", null, range));
        } catch (PeerException e) {
            // HTTP cannot express an empty range: reading from exactly the end is a valid empty read
            if (e.kind() == PeerException.Kind.BAD_REQUEST && headChunk(chunkId).map(ChunkInfo::size).orElse(-1L) == offset) {
                return new byte[0];
            }
            throw e;
        }
    }

    private byte[] bytesOf(Reply reply) {
        try {
            return reply.bytes();
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " broke the body: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ChunkInfo> headChunk(String chunkId) {
        ChunkIds.require(chunkId);
        try {
            Reply r = send("HEAD", "/chunks/" + chunkId, "", null, null);
            drain(r);
            var h = r.response().getHeaders();
            return Optional.of(new ChunkInfo(chunkId, Long.parseLong(h.get("X-Mx-Chunk-Size")),
                    RequestSigner.parseCrcHex(h.get("X-Mx-Chunk-Crc32c"))));
        } catch (PeerException e) {
            if (e.kind() == PeerException.Kind.NOT_FOUND) return Optional.empty();
            throw e;
        } catch (RuntimeException e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + id + " sent bad chunk headers", e);
        }
    }

    @Override
    public boolean deleteChunk(String chunkId) {
        ChunkIds.require(chunkId);
        return json(send("DELETE", "/chunks/" + chunkId, "", null, null), Json.Deleted.class).existed();
    }

    @Override
    public ChunkPage listChunks(String after, int limit) {
        if (after != null) ChunkIds.require(after);
        String q = (after == null ? "" : "after=" + after + "&") + "limit=" + limit;
        return json(send("GET", "/chunks", q, null, null), ChunkPage.class);
    }

    @Override
    public boolean putRecord(MetaRecord record) {
        return putRecordsReporting(List.of(record)).get(0);
    }

    @Override
    public void putRecords(List<MetaRecord> records) {
        if (!records.isEmpty()) putRecordsReporting(records);
    }

    @Override
    public boolean putRecordIf(MetaRecord record, long expectedVersion) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.BAD_REQUEST, "cannot encode record", e);
        }
        Reply r = send("POST", "/records/cas", "expected=" + expectedVersion, body, null);
        return json(r, Json.Applied.class).applied().get(0);
    }

    /** Atomic batch put; for each record whether it is now the stored version. */
    public List<Boolean> putRecordsReporting(List<MetaRecord> records) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(records);
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.BAD_REQUEST, "cannot encode records", e);
        }
        Reply r = send("POST", "/records", "", body, null);
        return json(r, Json.Applied.class).applied();
    }

    @Override
    public Optional<MetaRecord> getRecord(String partition, String sortKey) {
        if (partition == null || sortKey == null) throw new PeerException(PeerException.Kind.BAD_REQUEST, "partition and sort key required");
        try {
            String q = "p=" + Query.encodeKey(partition) + "&k=" + Query.encodeKey(sortKey);
            return Optional.of(json(send("GET", "/records", q, null, null), MetaRecord.class));
        } catch (PeerException e) {
            if (e.kind() == PeerException.Kind.NOT_FOUND) return Optional.empty();
            throw e;
        }
    }

    @Override
    public List<MetaRecord> scanRecords(String partition, String prefix, String startAfter, int limit) {
        if (partition == null) throw new PeerException(PeerException.Kind.BAD_REQUEST, "partition required");
        StringBuilder q = new StringBuilder("p=").append(Query.encodeKey(partition));
        if (prefix != null && !prefix.isEmpty()) q.append("&prefix=").append(Query.encodeKey(prefix));
        if (startAfter != null) q.append("&after=").append(Query.encodeKey(startAfter));
        q.append("&limit=").append(limit);
        return json(send("GET", "/records/scan", q.toString(), null, null), new TypeReference<List<MetaRecord>>() {
        });
    }

    @Override
    public PeerHealth health() {
        try {
            return json(send("GET", "/health", "", null, null), PeerHealth.class);
        } catch (PeerException e) {
            // the peer answered 503 (not ready: full disk, damaged store); transport failures carry a cause
            if (e.kind() == PeerException.Kind.UNAVAILABLE && e.getCause() == null) return new PeerHealth(id, true, false, e.getMessage());
            throw e;
        }
    }

    @Override
    public PeerStats stats() {
        return json(send("GET", "/stats", "", null, null), PeerStats.class);
    }

    @Override
    public ScrubReport scrub() {
        return json(send("POST", "/scrub", "", null, null), ScrubReport.class);
    }

    @Override
    public org.mictlanx.peer.api.StoreRebuildStatus rebuildStore(boolean force) {
        return json(send("POST", "/store/rebuild", "force=" + force, null, null), org.mictlanx.peer.api.StoreRebuildStatus.class);
    }

    @Override
    public org.mictlanx.peer.api.StoreRebuildStatus rebuildStatus() {
        return json(send("GET", "/store/rebuild", "", null, null), org.mictlanx.peer.api.StoreRebuildStatus.class);
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "error stopping http client", e);
        }
    }
}

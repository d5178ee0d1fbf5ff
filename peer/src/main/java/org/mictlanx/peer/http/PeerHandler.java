package org.mictlanx.peer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.mictlanx.peer.ChunkUpload;
import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.api.ChunkIds;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.store.VerifiedChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The peer's HTTP API over a {@link LocalPeer}. Pipeline per request: authenticate (everything but
 * an unsigned {@code GET /health}: signature, destination, clock window, then the nonce against the
 * {@link ReplayCache}; see {@link RequestSigner}) → check sizes from headers → read the body and verify
 * it against its signed digest ({@link BodyDigest}) before anything is written → call the peer → render, signing the
 * response of every authenticated request. Errors are {@code {"kind","message"}} with status {@code kind.httpStatus} and header
 * {@code X-Mx-Error-Kind} (so HEAD errors keep their kind).
 *
 * <pre>
 * PUT    /chunks/{id}        body = chunk, Content-Length required, X-Mx-Body-Crc32c = its CRC32C (signed) → 204
 * GET    /chunks/{id}        optional Range: bytes=a-b | a- | -n → 200/206, X-Mx-Chunk-Size, X-Mx-Chunk-Crc32c
 * HEAD   /chunks/{id}        → 200 with the same headers, 404 when absent
 * DELETE /chunks/{id}        → {"existed":bool}
 * GET    /chunks?after=&limit= → ChunkPage
 * POST   /records            body = JSON array of MetaRecord → {"applied":[bool]} (atomic, LWW)
 * POST   /records/cas?expected=V  body = JSON MetaRecord → {"applied":[bool]} (compare-and-set; V = -1: absent)
 * GET    /records?p=&k=      (base64url keys) → MetaRecord or 404
 * GET    /records/scan?p=&prefix=&after=&limit= → [MetaRecord]
 * GET    /health, /health/ready (unsigned) → PeerHealth, 200 when ready else 503; GET /health/live (unsigned) → 200
 * GET    /metrics (unsigned) → Prometheus text: readiness, store errors, background scrub progress
 * POST   /verify/chunks      body = JSON array of chunk ids (at most 1000) → {"bad":[id]} (absent or failing their checksum)
 * GET /stats, POST /scrub
 * POST   /store/rebuild?force=true|false → StoreRebuildStatus (starts the online store rebuild); GET /store/rebuild → its status
 * </pre>
 */
final class PeerHandler extends Handler.Abstract {
    static final String ERROR_KIND = "X-Mx-Error-Kind";
    static final String CHUNK_SIZE = "X-Mx-Chunk-Size";
    static final String CHUNK_CRC = "X-Mx-Chunk-Crc32c";
    private static final Logger LOG = LoggerFactory.getLogger(PeerHandler.class);
    private static final long MAX_JSON_BODY = 16L << 20;

    private final LocalPeer peer;
    private final RequestSigner signer;
    private final ReplayCache replays;

    PeerHandler(LocalPeer peer, RequestSigner signer, ReplayCache replays) {
        this.peer = peer;
        this.signer = signer;
        this.replays = replays;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        String rawQuery = request.getHttpURI().getQuery();
        Exchange x = new Exchange(request, response);
        try {
            var h = request.getHeaders();
            if (!(method.equals("GET") && unsigned(path) && h.get(RequestSigner.SIGNATURE) == null)) {
                RequestSigner.Signed signed = signer.verify(peer.id(), method, path, rawQuery, h::get);
                replays.admit(signed.date(), signed.nonce());
                x.signed = signed;
                x.signature = h.get(RequestSigner.SIGNATURE);
            }
            route(method, path, new Query(rawQuery), x);
            callback.succeeded();
        } catch (PeerException e) {
            fail(x, callback, method, e);
        } catch (RuntimeException | IOException e) {
            LOG.warn("peer {}: {} {} failed", peer.id(), method, path, e);
            fail(x, callback, method, new PeerException(PeerException.Kind.UNAVAILABLE, "internal error: " + e));
        }
        return true;
    }

    /** One request being answered; {@code signed}/{@code signature} are null for an unauthenticated health probe. */
    private static final class Exchange {
        final Request request;
        final Response response;
        RequestSigner.Signed signed;
        String signature;

        Exchange(Request request, Response response) {
            this.request = request;
            this.response = response;
        }
    }

    private void route(String method, String path, Query q, Exchange x) throws IOException {
        if (path.startsWith("/chunks/")) {
            String id = ChunkIds.require(path.substring("/chunks/".length()));
            switch (method) {
                case "PUT" -> putChunk(id, x);
                case "GET" -> getChunk(id, x);
                case "HEAD" -> headChunk(id, x);
                case "DELETE" -> json(x, 200, new Json.Deleted(peer.deleteChunk(id)));
                default -> throw badMethod(method, path);
            }
            return;
        }
        switch (method + " " + path) {
            case "GET /chunks" -> {
                String after = q.raw("after");
                json(x, 200, peer.listChunks(after == null || after.isEmpty() ? null : after, q.limit(1000)));
            }
            case "POST /records" -> {
                List<MetaRecord> records;
                try {
                    records = Json.MAPPER.readValue(readSmallBody(x), new TypeReference<List<MetaRecord>>() {
                    });
                } catch (JsonProcessingException e) {
                    throw new PeerException(PeerException.Kind.BAD_REQUEST, "malformed records body: " + e.getOriginalMessage());
                }
                if (records == null || records.contains(null)) throw new PeerException(PeerException.Kind.BAD_REQUEST, "null record");
                json(x, 200, new Json.Applied(peer.putRecordsReporting(records)));
            }
            case "POST /verify/chunks" -> {
                List<String> ids;
                try {
                    ids = Json.MAPPER.readValue(readSmallBody(x), new TypeReference<List<String>>() {
                    });
                } catch (JsonProcessingException e) {
                    throw new PeerException(PeerException.Kind.BAD_REQUEST, "malformed ids body: " + e.getOriginalMessage());
                }
                if (ids == null || ids.contains(null)) throw new PeerException(PeerException.Kind.BAD_REQUEST, "null id");
                ids.forEach(org.mictlanx.peer.api.ChunkIds::require);
                json(x, 200, new Json.Verified(peer.verifyChunks(ids)));
            }
            case "POST /records/cas" -> {
                MetaRecord record;
                try {
                    record = Json.MAPPER.readValue(readSmallBody(x), MetaRecord.class);
                } catch (JsonProcessingException e) {
                    throw new PeerException(PeerException.Kind.BAD_REQUEST, "malformed record body: " + e.getOriginalMessage());
                }
                if (record == null) throw new PeerException(PeerException.Kind.BAD_REQUEST, "null record");
                long expected;
                try {
                    expected = Long.parseLong(q.raw("expected") == null ? "" : q.raw("expected"));
                } catch (NumberFormatException e) {
                    throw new PeerException(PeerException.Kind.BAD_REQUEST, "expected version required");
                }
                json(x, 200, new Json.Applied(List.of(peer.putRecordIf(record, expected))));
            }
            case "GET /records" -> json(x, 200, peer.getRecord(q.requireKey("p"), q.requireKey("k"))
                    .orElseThrow(() -> new PeerException(PeerException.Kind.NOT_FOUND, "no such record")));
            case "GET /records/scan" -> json(x, 200,
                    peer.scanRecords(q.requireKey("p"), q.key("prefix"), q.key("after"), q.limit(1000)));
            case "GET /health", "GET /health/ready" -> health(x, peer.health().ready());
            case "GET /health/live" -> health(x, peer.health().live());
            case "GET /metrics" -> PeerMetrics.render(peer, x.response);
            case "GET /stats" -> json(x, 200, peer.stats());
            case "POST /scrub" -> json(x, 200, peer.scrub());
            case "POST /store/rebuild" -> json(x, 200, peer.rebuildStore("true".equals(q.raw("force"))));
            case "GET /store/rebuild" -> json(x, 200, peer.rebuildStatus());
            default -> throw new PeerException(PeerException.Kind.NOT_FOUND, "no route " + method + " " + path);
        }
    }

    /**
     * The peer's health, 200 when {@code ok}, else 503 (probes look at the status code: a full disk or
     * a damaged store is not ready). A 503 body also carries the error form's kind and message, so
     * clients read it like any other peer error.
     */
    private void health(Exchange x, boolean ok) throws IOException {
        var h = peer.health();
        if (ok) {
            json(x, 200, h);
            return;
        }
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("peerId", h.peerId());
        body.put("live", h.live());
        body.put("ready", h.ready());
        body.put("detail", h.detail());
        body.put("scrubDamaged", h.scrubDamaged());
        body.put("damagedRanges", h.damagedRanges());
        body.put("kind", PeerException.Kind.UNAVAILABLE.name());
        body.put("message", "not ready: " + h.detail());
        x.response.getHeaders().put(ERROR_KIND, PeerException.Kind.UNAVAILABLE.name());
        json(x, 503, PeerException.Kind.UNAVAILABLE.name(), body);
    }

    /** Probes and metrics carry no secrets and need no signature. */
    private static boolean unsigned(String path) {
        return path.equals("/health") || path.equals("/health/ready") || path.equals("/health/live") || path.equals("/metrics");
    }

    private static PeerException badMethod(String method, String path) {
        return new PeerException(PeerException.Kind.BAD_REQUEST, method + " not supported on " + path);
    }

    private void putChunk(String id, Exchange x) throws IOException {
        Request request = x.request;
        long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (length < 0) throw new PeerException(PeerException.Kind.BAD_REQUEST, "Content-Length required");
        if (length > peer.config().maxChunkBytes()) {
            throw new PeerException(PeerException.Kind.TOO_LARGE, "chunk of " + length + " bytes exceeds " + peer.config().maxChunkBytes());
        }
        int crc = RequestSigner.parseCrcHex(request.getHeaders().get(RequestSigner.BODY_CRC));
        BodyDigest digest = signer.verifierOf(x.signed.nonce(), BodyDigest.Direction.REQUEST, x.signed.bodyDigest());
        try (ChunkUpload upload = peer.beginChunkPut(id, length, crc, digest, x.signed.bodyDigest())) {
            readBody(request, upload);
            upload.commit();
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.BAD_REQUEST, "cannot read body: " + e.getMessage(), e);
        }
        x.response.setStatus(204);
        sign(x, 204, null, RequestSigner.EMPTY_DIGEST); // the response completes with the handler's callback
    }

    /**
     * Copies the request body straight from Jetty's buffers into the upload (blocking until all of it
     * has arrived); a body that ends early or fails is an IOException.
     */
    private static void readBody(Request request, ChunkUpload upload) throws IOException {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                try (Blocker.Runnable demand = Blocker.runnable()) {
                    request.demand(demand);
                    demand.block();
                }
                continue;
            }
            try {
                if (Content.Chunk.isFailure(chunk)) throw new IOException(String.valueOf(chunk.getFailure()), chunk.getFailure());
                if (chunk.hasRemaining()) upload.write(chunk.getByteBuffer());
                if (chunk.isLast()) {
                    if (upload.remaining() > 0) throw new IOException("body ended " + upload.remaining() + " bytes early");
                    return;
                }
            } finally {
                chunk.release();
            }
        }
    }

    private void getChunk(String id, Exchange x) throws IOException {
        Request request = x.request;
        Response response = x.response;
        VerifiedChunk chunk = peer.readChunk(id);
        int size = chunk.length();
        String range = request.getHeaders().get(HttpHeader.RANGE);
        chunkHeaders(response, size, chunk.crc32c());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        int from = 0, to = size;
        if (range != null) {
            long[] r = ByteRange.parse(range, size);
            from = (int) r[0];
            to = (int) (r[1] + 1);
            response.setStatus(206);
            response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + r[0] + "-" + r[1] + "/" + size);
        } else {
            response.setStatus(200);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, to - from);
        if (x.signature != null) {
            sign(x, response.getStatus(), null, signer.bodyDigest(x.signed.nonce(), BodyDigest.Direction.RESPONSE,
                    chunk.array(), chunk.offset() + from, to - from));
        }
        try (OutputStream os = Content.Sink.asOutputStream(response)) {
            os.write(chunk.array(), chunk.offset() + from, to - from);
        }
    }

    private void headChunk(String id, Exchange x) throws IOException {
        Response response = x.response;
        var info = peer.headChunk(id).orElseThrow(() -> new PeerException(PeerException.Kind.NOT_FOUND, "no chunk " + id));
        chunkHeaders(response, info.size(), info.crc32c());
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        sign(x, 200, null, RequestSigner.EMPTY_DIGEST);
        Content.Sink.asOutputStream(response).close();
    }

    /**
     * Adds the response signature (over the status, error kind, the chunk headers already set and
     * the body digest) when the request was authenticated.
     */
    private void sign(Exchange x, int status, String errorKind, String bodyDigest) {
        if (x.signature == null) return;
        var h = x.response.getHeaders();
        h.put(RequestSigner.RESPONSE_SIGNATURE, signer.signResponse(x.signature, status, errorKind, h.get(CHUNK_SIZE),
                h.get(CHUNK_CRC), h.get(HttpHeader.CONTENT_RANGE), bodyDigest));
    }

    private static void chunkHeaders(Response response, long size, int crc) {
        response.getHeaders().put(CHUNK_SIZE, Long.toString(size));
        response.getHeaders().put(CHUNK_CRC, RequestSigner.crcHex(crc));
    }

    /** Reads a JSON body (bounded) and checks it against the signed digest before it is used. */
    private byte[] readSmallBody(Exchange x) throws IOException {
        long length = x.request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (length > MAX_JSON_BODY) throw new PeerException(PeerException.Kind.TOO_LARGE, "body exceeds " + MAX_JSON_BODY);
        BodyDigest digest = signer.verifierOf(x.signed.nonce(), BodyDigest.Direction.REQUEST, x.signed.bodyDigest());
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(x.request)) {
            body = in.readNBytes((int) MAX_JSON_BODY + 1);
        }
        if (body.length > MAX_JSON_BODY) throw new PeerException(PeerException.Kind.TOO_LARGE, "body exceeds " + MAX_JSON_BODY);
        digest.update(body, 0, body.length);
        if (!digest.matches(x.signed.bodyDigest())) {
            throw new PeerException(PeerException.Kind.CHECKSUM_MISMATCH, "body does not match " + RequestSigner.BODY_DIGEST);
        }
        return body;
    }

    private void json(Exchange x, int status, Object value) throws IOException {
        json(x, status, null, value);
    }

    /** A JSON answer; {@code errorKind} is the error kind header it carries (null for none), covered by the signature. */
    private void json(Exchange x, int status, String errorKind, Object value) throws IOException {
        byte[] body = Json.MAPPER.writeValueAsBytes(value);
        Response response = x.response;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (x.signature != null) sign(x, status, errorKind, signer.bodyDigest(x.signed.nonce(), BodyDigest.Direction.RESPONSE, body, 0, body.length));
        try (OutputStream os = Content.Sink.asOutputStream(response)) {
            os.write(body);
        }
    }

    private void fail(Exchange x, Callback callback, String method, PeerException e) {
        Response response = x.response;
        if (response.isCommitted()) {
            callback.failed(e);
            return;
        }
        response.reset();
        response.getHeaders().put(ERROR_KIND, e.kind().name());
        byte[] body;
        try {
            body = method.equals("HEAD") ? new byte[0] : Json.MAPPER.writeValueAsBytes(new Json.Error(e.kind().name(), e.getMessage()));
        } catch (IOException io) {
            body = new byte[0];
        }
        response.setStatus(e.kind().httpStatus);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (x.signature != null) {
            sign(x, e.kind().httpStatus, e.kind().name(), signer.bodyDigest(x.signed.nonce(), BodyDigest.Direction.RESPONSE, body, 0, body.length));
        }
        response.write(true, java.nio.ByteBuffer.wrap(body), callback);
    }
}

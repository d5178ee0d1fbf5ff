package org.mictlanx.peer.client;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 *
 * <p>This class maps the {@link PeerApi} onto the peer's HTTP API; the signed exchange is
 * {@link PeerTransport}'s, the decoding of error responses {@link PeerErrors}'.
 */
public final class HttpPeerClient implements PeerApi {
    private final String id;
    private final PeerTransport transport;

    public HttpPeerClient(String id, URI base, RequestSigner signer, Duration timeout) {
        this(id, base, signer, timeout, null);
    }

    /**
     * A client of peer {@code id} at {@code base}; over mutual TLS with {@code tls} (then {@code base}
     * must be {@code https://}), plain HTTP when it is null.
     */
    public HttpPeerClient(String id, URI base, RequestSigner signer, Duration timeout, PeerTls tls) {
        this.id = id;
        this.transport = new PeerTransport(id, base, signer, timeout, tls);
    }

    @Override
    public String id() {
        return id;
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
        transport.sendForStatus("PUT", "/chunks/" + chunkId, data, RequestSigner.crcHex(crc32c), data.length >= (1 << 20) ? "100-continue" : null);
    }

    @Override
    public byte[] getChunk(String chunkId, long offset, long length) {
        ChunkIds.require(chunkId);
        if (offset < 0) throw new PeerException(PeerException.Kind.BAD_REQUEST, "negative offset");
        if (offset == 0 && length < 0) return transport.bytesOf(transport.send("GET", "/chunks/" + chunkId, "", null, null));
        if (length == 0) {
            byte[] all = getChunk(chunkId, 0, -1);
            if (offset > all.length) throw new PeerException(PeerException.Kind.BAD_REQUEST, "offset outside chunk");
            return new byte[0];
        }
        String range = "bytes=" + offset + "-" + (length < 0 ? "" : Long.toString(offset + length - 1));
        try {
            return transport.bytesOf(transport.send("GET", "/chunks/" + chunkId, "", null, range));
        } catch (PeerException e) {
            // HTTP cannot express an empty range: reading from exactly the end is a valid empty read
            if (e.kind() == PeerException.Kind.BAD_REQUEST && headChunk(chunkId).map(ChunkInfo::size).orElse(-1L) == offset) {
                return new byte[0];
            }
            throw e;
        }
    }

    @Override
    public Optional<ChunkInfo> headChunk(String chunkId) {
        ChunkIds.require(chunkId);
        try {
            PeerTransport.Reply r = transport.send("HEAD", "/chunks/" + chunkId, "", null, null);
            PeerTransport.drain(r);
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
        return transport.json(transport.send("DELETE", "/chunks/" + chunkId, "", null, null), Json.Deleted.class).existed();
    }

    @Override
    public ChunkPage listChunks(String after, int limit) {
        if (after != null) ChunkIds.require(after);
        String q = (after == null ? "" : "after=" + after + "&") + "limit=" + limit;
        return transport.json(transport.send("GET", "/chunks", q, null, null), ChunkPage.class);
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
        PeerTransport.Reply r = transport.send("POST", "/records/cas", "expected=" + expectedVersion, body, null);
        return transport.json(r, Json.Applied.class).applied().get(0);
    }

    /** {@code POST /verify/chunks}: the peer reads and verifies the chunks; only the bad ids come back. */
    @Override
    public List<String> verifyChunks(List<String> ids) {
        if (ids.isEmpty()) return List.of();
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(ids);
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.BAD_REQUEST, "cannot encode ids", e);
        }
        return transport.json(transport.send("POST", "/verify/chunks", "", body, null), Json.Verified.class).bad();
    }

    /** Atomic batch put; for each record whether it is now the stored version. */
    public List<Boolean> putRecordsReporting(List<MetaRecord> records) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(records);
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.BAD_REQUEST, "cannot encode records", e);
        }
        PeerTransport.Reply r = transport.send("POST", "/records", "", body, null);
        return transport.json(r, Json.Applied.class).applied();
    }

    @Override
    public Optional<MetaRecord> getRecord(String partition, String sortKey) {
        if (partition == null || sortKey == null) throw new PeerException(PeerException.Kind.BAD_REQUEST, "partition and sort key required");
        try {
            String q = "p=" + Query.encodeKey(partition) + "&k=" + Query.encodeKey(sortKey);
            return Optional.of(transport.json(transport.send("GET", "/records", q, null, null), MetaRecord.class));
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
        return transport.json(transport.send("GET", "/records/scan", q.toString(), null, null), new TypeReference<List<MetaRecord>>() {
        });
    }

    @Override
    public PeerHealth health() {
        try {
            return transport.json(transport.send("GET", "/health", "", null, null), PeerHealth.class);
        } catch (PeerException e) {
            // the peer answered 503 (not ready: full disk, damaged store); transport failures carry a cause
            if (e.kind() == PeerException.Kind.UNAVAILABLE && e.getCause() == null) return new PeerHealth(id, true, false, e.getMessage());
            throw e;
        }
    }

    @Override
    public PeerStats stats() {
        return transport.json(transport.send("GET", "/stats", "", null, null), PeerStats.class);
    }

    @Override
    public ScrubReport scrub() {
        return transport.json(transport.send("POST", "/scrub", "", null, null), ScrubReport.class);
    }

    @Override
    public org.mictlanx.peer.api.StoreRebuildStatus rebuildStore(boolean force) {
        return transport.json(transport.send("POST", "/store/rebuild", "force=" + force, null, null),
                org.mictlanx.peer.api.StoreRebuildStatus.class);
    }

    @Override
    public org.mictlanx.peer.api.StoreRebuildStatus rebuildStatus() {
        return transport.json(transport.send("GET", "/store/rebuild", "", null, null),
                org.mictlanx.peer.api.StoreRebuildStatus.class);
    }

    @Override
    public void close() {
        transport.close();
    }
}

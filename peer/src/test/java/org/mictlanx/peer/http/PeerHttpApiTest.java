package org.mictlanx.peer.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.store.ChunkCodec;
import org.mictlanx.peer.testing.HttpPeerFixture;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The wire API over real sockets: authentication failures, limits, malformed input, ranges. */
class PeerHttpApiTest {
    @TempDir
    static Path dir;
    static HttpPeerFixture peer;
    static final byte[] DATA = "hello chunk bytes".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void start() {
        peer = HttpPeerFixture.start(PeerConfig.builder("h1").dataDir(dir).diskReserveBytes(0).build());
        peer.client().putChunk("existing", DATA, crc(DATA));
    }

    @AfterAll
    static void stop() {
        peer.close();
    }

    static int crc(byte[] b) {
        return ChunkCodec.crc32c(b, 0, b.length);
    }

    /**
     * The authentication headers of a request signed by {@code signer} as (method, path, query, peer,
     * date, range, crc, digest of {@code signBody}); the caller may send something else.
     */
    static Map<String, String> auth(RequestSigner signer, String method, String path, String query, String peerId, long date,
                                    String range, String crcHex, byte[] signBody) {
        Map<String, String> h = new LinkedHashMap<>();
        String nonce = signer.newNonce();
        String digest = signBody == null ? RequestSigner.EMPTY_DIGEST
                : signer.bodyDigest(nonce, BodyDigest.Direction.REQUEST, signBody, 0, signBody.length);
        signer.headers(new RequestSigner.Signed(method, path, query, peerId, date, nonce, range, crcHex, digest), h::put);
        return h;
    }

    /** Sends {@code body} with exactly {@code headers}. */
    static HttpResponse<String> send(String method, String path, String query, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(peer.uri() + path + (query.isEmpty() ? "" : "?" + query)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http(b.build());
    }

    /** A correctly signed request for peer h1, dated {@code date}. */
    static Map<String, String> auth(String method, String path, String query, long date, byte[] body) {
        String crc = method.equals("PUT") && body != null ? RequestSigner.crcHex(crc(body)) : null;
        return auth(peer.signer(), method, path, query, "h1", date, null, crc, body);
    }

    /** A fresh connection per request: the peer closes connections whose request body it refused to read. */
    static HttpResponse<String> http(HttpRequest request) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    static HttpResponse<String> signed(String method, String path, String query, byte[] body) throws Exception {
        return send(method, path, query, body, auth(method, path, query, System.currentTimeMillis(), body));
    }

    static void assertError(int status, String kind, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"kind\":\"" + kind + "\""), r.body());
    }

    void assertNothingChanged() {
        assertEquals(Optional.empty(), peer.local().headChunk("victim"));
        assertArrayEquals(DATA, peer.local().getChunk("existing", 0, -1));
    }

    @Test
    void everyAuthFailureIsRejectedAndChangesNothing() throws Exception {
        long now = System.currentTimeMillis();
        String c = RequestSigner.crcHex(crc(DATA));
        assertError(401, "UNAUTHORIZED", send("PUT", "/chunks/victim", "", DATA, Map.of()));
        RequestSigner wrong = new RequestSigner("not-the-secret");
        assertError(403, "FORBIDDEN", send("PUT", "/chunks/victim", "", DATA, auth(wrong, "PUT", "/chunks/victim", "", "h1", now, null, c, DATA)));
        long stale = now - RequestSigner.MAX_SKEW.toMillis() - 1_000;
        assertError(403, "FORBIDDEN", send("PUT", "/chunks/victim", "", DATA, auth("PUT", "/chunks/victim", "", stale, DATA)));
        long future = now + RequestSigner.MAX_SKEW.toMillis() + 1_000;
        assertError(403, "FORBIDDEN", send("PUT", "/chunks/victim", "", DATA, auth("PUT", "/chunks/victim", "", future, DATA)));
        assertError(403, "FORBIDDEN", send("PUT", "/chunks/victim", "", DATA, auth("PUT", "/chunks/other", "", now, DATA)));
        assertError(403, "FORBIDDEN", send("PUT", "/chunks/victim", "", DATA,
                auth(peer.signer(), "PUT", "/chunks/victim", "", "h2", now, null, c, DATA)));
        Map<String, String> crcSwapped = new LinkedHashMap<>(auth("PUT", "/chunks/victim", "", now, DATA));
        crcSwapped.put(RequestSigner.BODY_CRC, "00000000");
        assertError(403, "FORBIDDEN", send("PUT", "/chunks/victim", "", DATA, crcSwapped));
        for (String header : List.of(RequestSigner.DATE, RequestSigner.NONCE, RequestSigner.PEER, RequestSigner.BODY_DIGEST, RequestSigner.SIGNATURE)) {
            Map<String, String> missing = new LinkedHashMap<>(auth("PUT", "/chunks/victim", "", now, DATA));
            missing.remove(header);
            assertError(401, "UNAUTHORIZED", send("PUT", "/chunks/victim", "", DATA, missing));
        }
        assertError(403, "FORBIDDEN", send("DELETE", "/chunks/existing", "", null, auth("DELETE", "/chunks/victim", "", now, null)));
        assertError(403, "FORBIDDEN", send("GET", "/chunks", "limit=5", null, auth("GET", "/chunks", "limit=1", now, null)));
        assertError(401, "UNAUTHORIZED", send("GET", "/stats", "", null, Map.of()));
        assertError(401, "UNAUTHORIZED", send("POST", "/scrub", "", null, Map.of()));
        assertNothingChanged();
        HttpResponse<String> health = send("GET", "/health", "", null, Map.of());
        assertEquals(200, health.statusCode(), "liveness probes need no secret");
        assertTrue(health.headers().firstValue(RequestSigner.RESPONSE_SIGNATURE).isEmpty(), "nothing to bind an anonymous answer to");
    }

    @Test
    void bodyThatDoesNotMatchItsSignedDigestIs400AndNotStored() throws Exception {
        byte[] flipped = DATA.clone();
        flipped[0] ^= 1;
        assertError(400, "CHECKSUM_MISMATCH", send("PUT", "/chunks/victim", "", flipped,
                auth("PUT", "/chunks/victim", "", System.currentTimeMillis(), DATA)));
        assertNothingChanged();
    }

    @Test
    void oversizedChunkGets413BeforeItsBodyIsRead() throws Exception {
        long length = PeerConfig.DEFAULT_MAX_CHUNK_BYTES + 1;
        StringBuilder head = new StringBuilder("PUT /chunks/victim HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n");
        auth(peer.signer(), "PUT", "/chunks/victim", "", "h1", System.currentTimeMillis(), null, "00000000", new byte[0])
                .forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        try (Socket s = new Socket("127.0.0.1", peer.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // not one body byte is sent: the answer must come from the headers alone
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", status);
        }
        assertNothingChanged();
    }

    @Test
    void malformedIdsPathsAndParametersAre400() throws Exception {
        assertError(400, "BAD_REQUEST", signed("PUT", "/chunks/.hidden", "", DATA));
        assertError(400, "BAD_REQUEST", signed("GET", "/chunks/" + "x".repeat(201), "", null));
        assertEquals(400, signed("GET", "/chunks/a%2Fb", "", null).statusCode(), "ambiguous paths are refused by Jetty itself");
        assertError(400, "BAD_REQUEST", signed("GET", "/records", "p=***&k=AA", null));
        assertError(400, "BAD_REQUEST", signed("GET", "/records", "p=AA", null));
        assertError(400, "BAD_REQUEST", signed("GET", "/chunks", "limit=x", null));
        assertError(400, "BAD_REQUEST", signed("POST", "/records", "", "{not json".getBytes(StandardCharsets.UTF_8)));
        assertError(400, "BAD_REQUEST", signed("POST", "/records", "", "[{\"version\":1}]".getBytes(StandardCharsets.UTF_8)));
        assertError(400, "BAD_REQUEST", signed("PATCH", "/chunks/existing", "", null));
        assertError(404, "NOT_FOUND", signed("GET", "/nothing-here", "", null));
        assertError(404, "NOT_FOUND", signed("GET", "/chunks/missing", "", null));
        assertNothingChanged();
    }

    @Test
    void rangeReadsAnswer206WithContentRangeAndTheRangeIsSigned() throws Exception {
        long date = System.currentTimeMillis();
        HttpResponse<String> r = send("GET", "/chunks/existing", "", null,
                auth(peer.signer(), "GET", "/chunks/existing", "", "h1", date, "bytes=6-10", null, null));
        assertEquals(206, r.statusCode());
        assertEquals("chunk", r.body());
        assertEquals("bytes 6-10/" + DATA.length, r.headers().firstValue("Content-Range").orElseThrow());
        assertEquals(RequestSigner.crcHex(crc(DATA)), r.headers().firstValue("X-Mx-Chunk-Crc32c").orElseThrow());
        assertError(400, "BAD_REQUEST", send("GET", "/chunks/existing", "", null,
                auth(peer.signer(), "GET", "/chunks/existing", "", "h1", date, "bytes=99-", null, null)));
        Map<String, String> otherRange = new LinkedHashMap<>(auth(peer.signer(), "GET", "/chunks/existing", "", "h1", date, "bytes=6-10", null, null));
        otherRange.put("Range", "bytes=0-4");
        assertError(403, "FORBIDDEN", send("GET", "/chunks/existing", "", null, otherRange));
    }
}

package org.mictlanx.peer.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.store.ChunkCodec;
import org.mictlanx.peer.testing.HttpPeerFixture;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The attacks of issue 12 against real peers (RocksDB, Jetty on loopback) with captured signed
 * requests: rewritten bodies (CRC32C kept), replays, requests redirected to another peer, stale
 * dates, and rewritten or forged responses on the way back.
 */
class PeerAuthTest {
    @TempDir
    Path dir;
    HttpPeerFixture p1;
    HttpPeerFixture p2;
    static final byte[] DATA = "the real chunk bytes, sealed by the router".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void start() {
        p1 = HttpPeerFixture.start(PeerConfig.builder("p1").dataDir(dir.resolve("p1")).diskReserveBytes(0).build());
        p2 = HttpPeerFixture.start(PeerConfig.builder("p2").dataDir(dir.resolve("p2")).diskReserveBytes(0).build());
    }

    @AfterEach
    void stop() {
        p1.close();
        p2.close();
    }

    static int crc(byte[] b) {
        return ChunkCodec.crc32c(b, 0, b.length);
    }

    /** The headers a router sends for this request to {@code peer} (a capture of them). */
    static Map<String, String> capture(HttpPeerFixture peer, String method, String path, String query, byte[] body, long date) {
        Map<String, String> h = new LinkedHashMap<>();
        String crc = method.equals("PUT") ? RequestSigner.crcHex(crc(body)) : null;
        RequestSigner s = peer.signer();
        String nonce = s.newNonce();
        String digest = body == null ? RequestSigner.EMPTY_DIGEST : s.bodyDigest(nonce, BodyDigest.Direction.REQUEST, body, 0, body.length);
        s.headers(new RequestSigner.Signed(method, path, query, peer.local().id(), date, nonce, null, crc, digest), h::put);
        return h;
    }

    static HttpResponse<String> send(URI base, String method, String path, String query, byte[] body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path + (query.isEmpty() ? "" : "?" + query)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try (HttpClient c = HttpClient.newHttpClient()) {
            return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    static void assertRefused(int status, String kind, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"kind\":\"" + kind + "\""), r.body());
    }

    @Test
    void chunkBytesRewrittenWithTheSameCrc32cAreRefusedAndNothingIsWritten() throws Exception {
        byte[] forged = Crc32cForgery.sameCrc(DATA, "EVIL".getBytes(StandardCharsets.US_ASCII));
        assertEquals(crc(DATA), crc(forged), "the forgery the old CRC-only signature accepted");
        assertEquals(DATA.length, forged.length);
        Map<String, String> captured = capture(p1, "PUT", "/chunks/c1", "", DATA, System.currentTimeMillis());
        assertRefused(400, "CHECKSUM_MISMATCH", send(p1.uri(), "PUT", "/chunks/c1", "", forged, captured));
        assertEquals(Optional.empty(), p1.local().headChunk("c1"));
        assertEquals(0, p1.local().stats().chunks());
    }

    @Test
    void largeChunksTaggedWithAesGcmAreCheckedTooAndTheTagBindsTheNonce() throws Exception {
        byte[] big = new byte[(1 << 20) + 17];
        new java.util.Random(7).nextBytes(big);
        Map<String, String> captured = capture(p1, "PUT", "/chunks/big", "", big, System.currentTimeMillis());
        assertTrue(captured.get(RequestSigner.BODY_DIGEST).startsWith("aes-gcm="), captured.toString());
        byte[] forged = Crc32cForgery.sameCrc(big, "EVIL".getBytes(StandardCharsets.US_ASCII));
        assertRefused(400, "CHECKSUM_MISMATCH", send(p1.uri(), "PUT", "/chunks/big", "", forged, captured));
        byte[] lastByte = big.clone();
        lastByte[lastByte.length - 1] ^= 1;
        Map<String, String> again = capture(p1, "PUT", "/chunks/big", "", big, System.currentTimeMillis());
        assertRefused(400, "CHECKSUM_MISMATCH", send(p1.uri(), "PUT", "/chunks/big", "", lastByte, again));
        assertEquals(Optional.empty(), p1.local().headChunk("big"));
        // the tag of a body under one nonce does not vouch for the same body under another
        Map<String, String> mixed = capture(p1, "PUT", "/chunks/big", "", big, System.currentTimeMillis());
        mixed.put(RequestSigner.BODY_DIGEST, again.get(RequestSigner.BODY_DIGEST));
        assertRefused(403, "FORBIDDEN", send(p1.uri(), "PUT", "/chunks/big", "", big, mixed));
        Map<String, String> good = capture(p1, "PUT", "/chunks/big", "", big, System.currentTimeMillis());
        assertEquals(204, send(p1.uri(), "PUT", "/chunks/big", "", big, good).statusCode());
        assertArrayEquals(big, p1.client().getChunk("big", 0, -1));
    }

    @Test
    void aRecordBodySwappedForAFarFutureTombstoneIsRefused() throws Exception {
        MetaRecord real = new MetaRecord("bucket", "key", 7, false, "v".getBytes(StandardCharsets.UTF_8));
        byte[] realBody = Json.MAPPER.writeValueAsBytes(List.of(real));
        MetaRecord tombstone = new MetaRecord("bucket", "key", 9_000_000_000_000_000_000L, true, new byte[0]);
        byte[] forged = Json.MAPPER.writeValueAsBytes(List.of(tombstone));
        Map<String, String> captured = capture(p1, "POST", "/records", "", realBody, System.currentTimeMillis());
        assertRefused(400, "CHECKSUM_MISMATCH", send(p1.uri(), "POST", "/records", "", forged, captured));
        assertEquals(Optional.empty(), p1.local().getRecord("bucket", "key"));
    }

    @Test
    void aReplayedRequestIsRefused() throws Exception {
        p1.client().putChunk("c1", DATA, crc(DATA));
        Map<String, String> delete = capture(p1, "DELETE", "/chunks/c1", "", null, System.currentTimeMillis());
        assertEquals(200, send(p1.uri(), "DELETE", "/chunks/c1", "", null, delete).statusCode());
        p1.client().putChunk("c1", DATA, crc(DATA));
        assertRefused(403, "FORBIDDEN", send(p1.uri(), "DELETE", "/chunks/c1", "", null, delete));
        assertTrue(p1.local().headChunk("c1").isPresent(), "the replayed delete changed nothing");

        Map<String, String> put = capture(p1, "PUT", "/chunks/c2", "", DATA, System.currentTimeMillis());
        assertEquals(204, send(p1.uri(), "PUT", "/chunks/c2", "", DATA, put).statusCode());
        p1.client().deleteChunk("c2");
        HttpResponse<String> again = send(p1.uri(), "PUT", "/chunks/c2", "", DATA, put);
        assertRefused(403, "FORBIDDEN", again);
        assertTrue(again.body().contains("replayed"), again.body());
        assertEquals(Optional.empty(), p1.local().headChunk("c2"));
    }

    @Test
    void aRequestForPeerP1SentToP2IsRefused() throws Exception {
        p2.client().putChunk("c1", DATA, crc(DATA));
        Map<String, String> forP1 = capture(p1, "DELETE", "/chunks/c1", "", null, System.currentTimeMillis());
        HttpResponse<String> r = send(p2.uri(), "DELETE", "/chunks/c1", "", null, forP1);
        assertRefused(403, "FORBIDDEN", r);
        assertTrue(r.body().contains("addressed to peer p1"), r.body());
        assertTrue(p2.local().headChunk("c1").isPresent());
        // with the destination header rewritten, the signature no longer matches
        Map<String, String> rewritten = new LinkedHashMap<>(forP1);
        rewritten.put(RequestSigner.PEER, "p2");
        assertRefused(403, "FORBIDDEN", send(p2.uri(), "DELETE", "/chunks/c1", "", null, rewritten));
        assertTrue(p2.local().headChunk("c1").isPresent());
    }

    @Test
    void aRequestWithAnOldTimestampIsRefused() throws Exception {
        long old = System.currentTimeMillis() - RequestSigner.MAX_SKEW.toMillis() - 1_000;
        Map<String, String> put = capture(p1, "PUT", "/chunks/c1", "", DATA, old);
        assertRefused(403, "FORBIDDEN", send(p1.uri(), "PUT", "/chunks/c1", "", DATA, put));
        assertEquals(Optional.empty(), p1.local().headChunk("c1"));
    }

    @Test
    void responsesRewrittenOrForgedOnTheWayBackAreRejectedByTheClient() throws Exception {
        p1.client().putChunk("c1", DATA, crc(DATA));
        p1.client().putRecord(new MetaRecord("bucket", "key", 7, false, "v".getBytes(StandardCharsets.UTF_8)));
        try (Relay relay = new Relay(p1.uri());
             HttpPeerClient viaRelay = new HttpPeerClient("p1", relay.uri(), p1.signer(), Duration.ofSeconds(10))) {
            // a faithful relay is invisible
            assertArrayEquals(DATA, viaRelay.getChunk("c1", 0, -1));
            assertTrue(viaRelay.getRecord("bucket", "key").isPresent());

            relay.tamper = r -> new Relay.Answer(r.status(), r.headers(), flipFirstByte(r.body()));
            assertEquals(PeerException.Kind.UNAVAILABLE, kindOf(() -> viaRelay.getChunk("c1", 0, -1)));
            assertEquals(PeerException.Kind.UNAVAILABLE, kindOf(() -> viaRelay.getRecord("bucket", "key")));

            relay.tamper = r -> new Relay.Answer(r.status(), without(r.headers(), RequestSigner.RESPONSE_SIGNATURE), r.body());
            assertEquals(PeerException.Kind.UNAVAILABLE, kindOf(() -> viaRelay.getRecord("bucket", "key")));

            // "no such record" forged from a real answer to another request: not taken as absence
            relay.tamper = r -> {
                Map<String, List<String>> h = new LinkedHashMap<>(r.headers());
                h.put("X-Mx-Error-Kind", List.of("NOT_FOUND"));
                return new Relay.Answer(404, h, "{\"kind\":\"NOT_FOUND\",\"message\":\"no such record\"}".getBytes(StandardCharsets.UTF_8));
            };
            assertEquals(PeerException.Kind.UNAVAILABLE, kindOf(() -> viaRelay.getRecord("bucket", "key")));
            assertEquals(PeerException.Kind.UNAVAILABLE, kindOf(() -> viaRelay.headChunk("c1")));

            relay.tamper = UnaryOperator.identity();
            assertTrue(viaRelay.headChunk("c1").isPresent());
        }
    }

    static PeerException.Kind kindOf(Runnable r) {
        try {
            r.run();
        } catch (PeerException e) {
            return e.kind();
        }
        fail("no exception");
        return null;
    }

    static byte[] flipFirstByte(byte[] b) {
        byte[] c = b.clone();
        if (c.length > 0) c[0] ^= 1;
        return c;
    }

    static Map<String, List<String>> without(Map<String, List<String>> h, String name) {
        Map<String, List<String>> c = new LinkedHashMap<>();
        h.forEach((k, v) -> {
            if (!k.equalsIgnoreCase(name)) c.put(k, v);
        });
        return c;
    }

    /** An on-path HTTP relay (real sockets) that forwards to a peer and may rewrite its answers. */
    static final class Relay implements AutoCloseable {
        record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        }

        private static final Set<String> HOP = Set.of("host", "content-length", "connection", "expect", "upgrade",
                "transfer-encoding", "date", ":status");
        private final HttpServer server;
        private final HttpClient client = HttpClient.newHttpClient();
        volatile UnaryOperator<Answer> tamper = UnaryOperator.identity();

        Relay(URI target) throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", ex -> {
                try {
                    byte[] body = ex.getRequestBody().readAllBytes();
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI().toString()))
                            .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
                    ex.getRequestHeaders().forEach((k, vs) -> {
                        if (!HOP.contains(k.toLowerCase())) vs.forEach(v -> b.header(k, v));
                    });
                    HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                    Map<String, List<String>> headers = new LinkedHashMap<>();
                    r.headers().map().forEach((k, v) -> {
                        if (!HOP.contains(k.toLowerCase())) headers.put(k, v);
                    });
                    Answer a = tamper.apply(new Answer(r.statusCode(), headers, r.body()));
                    a.headers().forEach((k, vs) -> ex.getResponseHeaders().put(k, vs));
                    boolean head = ex.getRequestMethod().equals("HEAD");
                    ex.sendResponseHeaders(a.status(), head || a.body().length == 0 ? -1 : a.body().length);
                    if (!head) ex.getResponseBody().write(a.body());
                } catch (Exception e) {
                    ex.sendResponseHeaders(502, -1);
                } finally {
                    ex.close();
                }
            });
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
            client.close();
        }
    }
}

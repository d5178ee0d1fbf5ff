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

    /** Builds a request signed over (signMethod, signPath, signQuery, date, signCrc) but sent as given. */
    static HttpResponse<String> send(String method, String path, String query, byte[] body, RequestSigner signer,
                                     long date, String signPath, String signQuery, int signCrc, int sentCrc) throws Exception {
        String crcHex = RequestSigner.crcHex(sentCrc);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(peer.uri() + path + (query.isEmpty() ? "" : "?" + query)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (signer != null) {
            b.header(RequestSigner.DATE, Long.toString(date)).header(RequestSigner.BODY_CRC, crcHex)
                    .header(RequestSigner.SIGNATURE, signer.sign(method, signPath, signQuery, date, RequestSigner.crcHex(signCrc)));
        }
        return http(b.build());
    }

    /** A fresh connection per request: the peer closes connections whose request body it refused to read. */
    static HttpResponse<String> http(HttpRequest request) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    static HttpResponse<String> signed(String method, String path, String query, byte[] body) throws Exception {
        int c = body == null ? 0 : crc(body);
        return send(method, path, query, body, peer.signer(), System.currentTimeMillis(), path, query, c, c);
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
        int c = crc(DATA);
        assertError(401, "UNAUTHORIZED", send("PUT", "/chunks/victim", "", DATA, null, now, null, null, 0, 0));
        RequestSigner wrong = new RequestSigner("not-the-secret");
        assertError(403, "FORBIDDEN", send("PUT", "/chunks/victim", "", DATA, wrong, now, "/chunks/victim", "", c, c));
        long stale = now - RequestSigner.MAX_SKEW.toMillis() - 1_000;
        assertError(403, "FORBIDDEN", send("PUT", "/chunks/victim", "", DATA, peer.signer(), stale, "/chunks/victim", "", c, c));
        long future = now + RequestSigner.MAX_SKEW.toMillis() + 1_000;
        assertError(403, "FORBIDDEN", send("PUT", "/chunks/victim", "", DATA, peer.signer(), future, "/chunks/victim", "", c, c));
        assertError(403, "FORBIDDEN", send("PUT", "/chunks/victim", "", DATA, peer.signer(), now, "/chunks/other", "", c, c));
        byte[] evil = "evil".getBytes(StandardCharsets.UTF_8);
        assertError(403, "FORBIDDEN", send("PUT", "/chunks/victim", "", evil, peer.signer(), now, "/chunks/victim", "", c, crc(evil)));
        assertError(403, "FORBIDDEN", send("DELETE", "/chunks/existing", "", null, peer.signer(), now, "/chunks/victim", "", 0, 0));
        assertError(403, "FORBIDDEN", send("GET", "/chunks", "limit=5", null, peer.signer(), now, "/chunks", "limit=1", 0, 0));
        assertError(401, "UNAUTHORIZED", send("GET", "/stats", "", null, null, now, null, null, 0, 0));
        assertError(401, "UNAUTHORIZED", send("POST", "/scrub", "", null, null, now, null, null, 0, 0));
        assertNothingChanged();
        assertEquals(200, send("GET", "/health", "", null, null, now, null, null, 0, 0).statusCode(), "liveness probes need no secret");
    }

    @Test
    void bodyThatDoesNotMatchItsSignedChecksumIs400AndNotStored() throws Exception {
        long now = System.currentTimeMillis();
        int c = crc(DATA);
        byte[] flipped = DATA.clone();
        flipped[0] ^= 1;
        assertError(400, "CHECKSUM_MISMATCH", send("PUT", "/chunks/victim", "", flipped, peer.signer(), now, "/chunks/victim", "", c, c));
        assertNothingChanged();
    }

    @Test
    void oversizedChunkGets413BeforeItsBodyIsRead() throws Exception {
        long length = PeerConfig.DEFAULT_MAX_CHUNK_BYTES + 1;
        long date = System.currentTimeMillis();
        String sig = peer.signer().sign("PUT", "/chunks/victim", "", date, "00000000");
        try (Socket s = new Socket("127.0.0.1", peer.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("PUT /chunks/victim HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n"
                    + RequestSigner.DATE + ": " + date + "\r\n" + RequestSigner.BODY_CRC + ": 00000000\r\n"
                    + RequestSigner.SIGNATURE + ": " + sig + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
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
    void rangeReadsAnswer206WithContentRange() throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(peer.uri() + "/chunks/existing")).header("Range", "bytes=6-10");
        long date = System.currentTimeMillis();
        b.header(RequestSigner.DATE, Long.toString(date)).header(RequestSigner.BODY_CRC, "00000000")
                .header(RequestSigner.SIGNATURE, peer.signer().sign("GET", "/chunks/existing", "", date, "00000000"));
        HttpResponse<String> r = http(b.build());
        assertEquals(206, r.statusCode());
        assertEquals("chunk", r.body());
        assertEquals("bytes 6-10/" + DATA.length, r.headers().firstValue("Content-Range").orElseThrow());
        assertEquals(RequestSigner.crcHex(crc(DATA)), r.headers().firstValue("X-Mx-Chunk-Crc32c").orElseThrow());
        HttpRequest bad = HttpRequest.newBuilder(URI.create(peer.uri() + "/chunks/existing")).header("Range", "bytes=99-")
                .header(RequestSigner.DATE, Long.toString(date)).header(RequestSigner.BODY_CRC, "00000000")
                .header(RequestSigner.SIGNATURE, peer.signer().sign("GET", "/chunks/existing", "", date, "00000000")).build();
        assertError(400, "BAD_REQUEST", http(bad));
    }
}

package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.testing.HttpPeerFixture;
import org.mictlanx.xolo.sigv4.SigV4Crypto;
import org.mictlanx.xolo.sigv4.SigV4Request;
import org.mictlanx.xolo.sigv4.SigV4Signer;

/** The assembled server: all-in-one over TLS, health and metrics, admin API and CLI, server role over HTTP peers. */
class MictlanXServerTest {

    static final String AK = "AKIASERVERTEST000001";
    static final String SK = "server/test/secret/key/000000000000000000";

    @TempDir
    Path dir;

    /** The body of GET /metrics (no token configured). */
    static String scrape(HttpClient http, URI endpoint) {
        try {
            return http.send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static HttpResponse<String> s3(HttpClient http, URI endpoint, String ak, String sk, String method, String path, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String host = endpoint.getHost() + ":" + endpoint.getPort();
        SigV4Request signed = new SigV4Signer(ak, sk, "us-east-1")
                .sign(method, path, "", Map.of("host", host), SigV4Crypto.sha256Hex(bytes), Instant.now()).request();
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.headers().forEach((k, v) -> {
            if (!k.equals("host")) b.header(k, v.get(0));
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void allInOneOverTlsServesS3HealthMetricsAndAdmin() throws Exception {
        Settings s = Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1", "--data", dir.toString(), "--peers", "3",
                "--access-key", AK, "--secret-key", SK, "--tls-self-signed"}, Map.of());
        try (MictlanXServer server = MictlanXServer.allInOne(s)) {
            URI ep = server.endpoint();
            assertEquals("https", ep.getScheme());
            SSLContext ssl = Main.trusting(dir.resolve("tls/self-signed.pem").toString());
            HttpClient http = HttpClient.newBuilder().sslContext(ssl).build();

            assertEquals(200, s3(http, ep, AK, SK, "PUT", "/tls-bucket", "").statusCode());
            assertEquals(200, s3(http, ep, AK, SK, "PUT", "/tls-bucket/hello", "hello over tls").statusCode());
            HttpResponse<String> got = s3(http, ep, AK, SK, "GET", "/tls-bucket/hello", "");
            assertEquals("hello over tls", got.body());

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(ep.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"ready\":true") && health.body().contains("\"peersUp\":3"), health.body());
            // the front door counts a request once its response has completed, a moment after the client has it
            org.mictlanx.router.fake.TestCluster.await("the GET counted on /metrics", () -> scrape(http, ep)
                    .contains("mictlanx_s3_response_body_bytes_total{operation=\"GetObject\"} 14"));
            String metrics = scrape(http, ep);
            assertTrue(metrics.contains("mictlanx_s3_requests_seconds_count{operation=\"PutObject\",status=\"200\"} 1"), metrics);
            assertTrue(metrics.contains("mictlanx_s3_requests_seconds_bucket{operation=\"GetObject\""), "latency histogram");
            assertTrue(metrics.contains("mictlanx_peer_up{peer=\"p2\"} 1"), "peer health");
            assertTrue(metrics.contains("mictlanx_s3_response_body_bytes_total{operation=\"GetObject\"} 14"), metrics.lines().filter(l -> l.contains("bytes_out")).toList().toString());
            // An authenticated GET /health is the bucket "health", not the probe.
            assertEquals(404, s3(http, ep, AK, SK, "GET", "/health", "").statusCode());

            // Admin API: root adds a user; the user's keys work for S3 but not for the admin API.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Path pem = dir.resolve("tls/self-signed.pem");
            int rc = Main.admin(Settings.parse(new String[] {"user", "add", "alice", "--endpoint", ep.toString(), "--ca-cert", pem.toString()},
                    Map.of("MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK)), new PrintStream(out), System.err);
            assertEquals(0, rc);
            String printed = out.toString(StandardCharsets.UTF_8);
            String aliceAk = printed.lines().filter(l -> l.startsWith("access key:")).findFirst().orElseThrow().split(":\\s+")[1];
            String aliceSk = printed.lines().filter(l -> l.startsWith("secret key:")).findFirst().orElseThrow().split(":\\s+")[1];
            assertEquals(200, s3(http, ep, aliceAk, aliceSk, "PUT", "/alices", "").statusCode());
            assertEquals(403, s3(http, ep, aliceAk, aliceSk, "GET", "/tls-bucket/hello", "").statusCode());
            AdminClient asAlice = new AdminClient(ep, aliceAk, aliceSk, ssl);
            assertTrue(assertThrows(java.io.IOException.class, () -> asAlice.addUser("mallory")).getMessage().contains("403"));
            assertTrue(assertThrows(java.io.IOException.class, () -> new AdminClient(ep, AK, SK, ssl).addUser("alice")).getMessage().contains("409"));
        }
    }

    @Test
    void jettyLevelErrorsAreS3Xml() throws Exception {
        Settings s = Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1", "--data", dir.toString(),
                "--access-key", AK, "--secret-key", SK}, Map.of());
        try (MictlanXServer server = MictlanXServer.allInOne(s); Socket socket = new Socket("127.0.0.1", server.endpoint().getPort())) {
            socket.getOutputStream().write("GET /b/nul%00key HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("<Code>InvalidURI</Code>") && response.toLowerCase().contains("x-amz-request-id"), response);
        }
    }

    @Test
    void serverRoleOverSignedHttpPeers() throws Exception {
        List<HttpPeerFixture> peers = new ArrayList<>();
        try {
            StringBuilder urls = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                HttpPeerFixture p = HttpPeerFixture.start(PeerConfig.builder("hp" + i).dataDir(dir.resolve("hp" + i)).build());
                peers.add(p);
                urls.append(i > 1 ? "," : "").append("hp").append(i).append('=').append(p.uri());
            }
            String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
            Map<String, String> env = Map.of("MICTLANX_CLUSTER_SECRET", HttpPeerFixture.SECRET, "MICTLANX_MASTER_KEY", key,
                    "MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK, "MICTLANX_PEER_URLS", urls.toString());
            HttpClient http = HttpClient.newHttpClient();
            String[] args = {"--port", "0", "--host", "127.0.0.1", "--data", dir.resolve("router").toString()};
            try (MictlanXServer a = MictlanXServer.server(Settings.parse(args, env));
                 MictlanXServer b = MictlanXServer.server(Settings.parse(args, env))) {
                assertEquals(200, s3(http, a.endpoint(), AK, SK, "PUT", "/shared", "").statusCode());
                // Over the inline limit (8 KiB), so the ball has a chunk on chunk peers.
                String body = "written through router a; ".repeat(400);
                assertEquals(200, s3(http, a.endpoint(), AK, SK, "PUT", "/shared/k", body).statusCode());
                assertEquals(body, s3(http, b.endpoint(), AK, SK, "GET", "/shared/k", "").body());
                // N = 3 replicas: the PUT was answered at W = 2, the third lands after it
                org.mictlanx.router.fake.TestCluster.await("N=3 replicas",
                        () -> peers.stream().filter(p -> p.local().stats().chunks() == 1).count() == 3);

                // Membership through the admin CLI: add a fourth peer, then drain the first one away.
                HttpPeerFixture fourth = HttpPeerFixture.start(PeerConfig.builder("hp4").dataDir(dir.resolve("hp4")).build());
                peers.add(fourth);
                Map<String, String> adminEnv = Map.of("MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertEquals(0, Main.admin(Settings.parse(new String[] {"peer", "add", "hp4", fourth.uri().toString(),
                        "--zone", "z4", "--endpoint", a.endpoint().toString()}, adminEnv), new PrintStream(out), System.err));
                assertTrue(out.toString().contains("\"hp4\""), out.toString());
                assertEquals(0, Main.admin(Settings.parse(new String[] {"peer", "drain", "hp1", "--endpoint", a.endpoint().toString()},
                        adminEnv), new PrintStream(out), System.err));
                b.router().probeNow(); // router b picks up the stored layout on its next probe; run it now
                var layout = new AdminClient(b.endpoint(), AK, SK).layout();
                assertTrue(layout.toString().contains("hp4") && !b.router().layout().peer("hp1").isPresent(), layout.toString());
                assertEquals(body, s3(http, b.endpoint(), AK, SK, "GET", "/shared/k", "").body());
                assertEquals(3, peers.stream().filter(p -> !p.local().config().id().equals("hp1"))
                        .filter(p -> p.local().stats().chunks() == 1).count(), "3 replicas on hp2..hp4 after the drain");
            }
            // A router with the wrong cluster secret is refused by every peer, so it cannot write.
            Map<String, String> wrong = new java.util.HashMap<>(env);
            wrong.put("MICTLANX_CLUSTER_SECRET", "not-the-secret");
            try (MictlanXServer c = MictlanXServer.server(Settings.parse(args, wrong))) {
                assertEquals(503, s3(http, c.endpoint(), AK, SK, "PUT", "/other", "").statusCode());
            }
            Map<String, String> missing = new java.util.HashMap<>(env);
            missing.remove("MICTLANX_MASTER_KEY");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> MictlanXServer.server(Settings.parse(args, missing)))
                    .getMessage().contains("master key"));
        } finally {
            peers.forEach(HttpPeerFixture::close);
        }
    }
}

package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.http.PeerTls;
import org.mictlanx.peer.store.ChunkCodec;
import org.mictlanx.peer.testing.HttpPeerFixture;
import org.mictlanx.peer.testing.TestCerts;

/** The server role over peers reached by mutual TLS (peer-tls-* settings), and deploy/gen-secrets.sh's certificates. */
class PeerTlsServerTest {
    static final String AK = "AKIAPEERTLSTEST00001";
    static final String SK = "peer/tls/test/secret/key/000000000000000";

    @TempDir
    Path dir;

    @Test
    void serverRoleWritesAndReadsThroughMutualTlsPeers() throws Exception {
        TestCerts ca = TestCerts.newCa(dir.resolve("pki"), "cluster-ca");
        PeerTls router = ca.node("router1");
        List<HttpPeerFixture> peers = new ArrayList<>();
        try {
            StringBuilder urls = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                HttpPeerFixture p = HttpPeerFixture.startTls(PeerConfig.builder("tp" + i).dataDir(dir.resolve("tp" + i)).build(),
                        ca.node("tp" + i), router);
                peers.add(p);
                urls.append(i > 1 ? "," : "").append("tp").append(i).append('=').append(p.uri());
            }
            assertTrue(urls.toString().contains("https://"));
            Map<String, String> env = new HashMap<>(Map.of("MICTLANX_CLUSTER_SECRET", HttpPeerFixture.SECRET,
                    "MICTLANX_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]),
                    "MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK, "MICTLANX_PEER_URLS", urls.toString(),
                    "MICTLANX_PEER_TLS_CERT", router.cert().toString(), "MICTLANX_PEER_TLS_KEY", router.key().toString(),
                    "MICTLANX_PEER_TLS_CA", router.ca().toString()));
            String[] args = {"--port", "0", "--host", "127.0.0.1", "--data", dir.resolve("router").toString()};
            HttpClient http = HttpClient.newHttpClient();
            try (MictlanXServer s = MictlanXServer.server(Settings.parse(args, env))) {
                assertEquals(200, MictlanXServerTest.s3(http, s.endpoint(), AK, SK, "PUT", "/tls", "").statusCode());
                String body = "through mutual TLS; ".repeat(600); // over the inline limit: chunks on the peers
                assertEquals(200, MictlanXServerTest.s3(http, s.endpoint(), AK, SK, "PUT", "/tls/k", body).statusCode());
                assertEquals(body, MictlanXServerTest.s3(http, s.endpoint(), AK, SK, "GET", "/tls/k", "").body());
                // N = 3 replicas: the PUT was answered at W = 2, the third lands after it
                org.mictlanx.router.fake.TestCluster.await("N=3 replicas",
                        () -> peers.stream().filter(p -> p.local().stats().chunks() == 1).count() == 3);
            }
            Map<String, String> partial = new HashMap<>(env);
            partial.remove("MICTLANX_PEER_TLS_KEY");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> MictlanXServer.server(Settings.parse(args, partial)))
                    .getMessage().contains("--peer-tls-key"));
            Map<String, String> plainUrls = new HashMap<>(env);
            plainUrls.put("MICTLANX_PEER_URLS", urls.toString().replace("https://", "http://"));
            assertThrows(IllegalArgumentException.class, () -> MictlanXServer.server(Settings.parse(args, plainUrls)),
                    "plain http peer URLs while peer TLS is configured");
            Map<String, String> noTls = new HashMap<>(env);
            noTls.keySet().removeIf(k -> k.startsWith("MICTLANX_PEER_TLS_"));
            assertThrows(IllegalArgumentException.class, () -> MictlanXServer.server(Settings.parse(args, noTls)),
                    "https peer URLs without peer TLS settings");
        } finally {
            peers.forEach(HttpPeerFixture::close);
        }
    }

    @Test
    void genSecretsCertificatesWorkForPeerAndRouter() throws Exception {
        assumeTrue(new ProcessBuilder("openssl", "version").start().waitFor() == 0, "openssl is needed by deploy/gen-secrets.sh");
        Path script = Path.of("..", "deploy", "gen-secrets.sh").toAbsolutePath().normalize();
        Path out = dir.resolve("secrets");
        Process p = new ProcessBuilder("bash", script.toString(), out.toString(), "peerx=localhost,127.0.0.1", "routerx")
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, log);
        Path tls = out.resolve("tls");
        for (String f : List.of("cluster-secret", "master-key", "access-key", "secret-key", "tls/ca.crt", "tls/ca.key",
                "tls/peerx.crt", "tls/peerx.key", "tls/routerx.crt", "tls/routerx.key")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + "\n" + log);
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("ca.key"))));
        PeerTls peerTls = new PeerTls(tls.resolve("peerx.crt"), tls.resolve("peerx.key"), tls.resolve("ca.crt"));
        PeerTls routerTls = new PeerTls(tls.resolve("routerx.crt"), tls.resolve("routerx.key"), tls.resolve("ca.crt"));
        byte[] data = "gen-secrets certificates".getBytes(StandardCharsets.UTF_8);
        try (HttpPeerFixture peer = HttpPeerFixture.startTls(PeerConfig.builder("peerx").dataDir(dir.resolve("px")).build(), peerTls, routerTls)) {
            peer.client().putChunk("c", data, ChunkCodec.crc32c(data, 0, data.length));
            assertArrayEquals(data, peer.client().getChunk("c", 0, -1));
            // any node certificate of the CA is accepted as a client certificate
            try (HttpPeerClient c = new HttpPeerClient("peerx", peer.uri(), peer.signer(), Duration.ofSeconds(5), peerTls)) {
                assertArrayEquals(data, c.getChunk("c", 0, -1));
            }
        }
    }
}

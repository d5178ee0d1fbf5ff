package org.mictlanx.peer.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.store.ChunkCodec;
import org.mictlanx.peer.testing.ChildPeer;
import org.mictlanx.peer.testing.HttpPeerFixture;
import org.mictlanx.peer.testing.TestCerts;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Mutual TLS between a router-side client and a peer (cluster CA, node certificates), in-process and as PeerMain. */
class PeerTlsTest {
    @TempDir
    static Path dir;
    static TestCerts ca;
    static PeerTls peerCert;
    static PeerTls routerCert;
    static HttpPeerFixture peer;
    static final byte[] DATA = "over tls".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void start() throws Exception {
        ca = TestCerts.newCa(dir.resolve("pki"), "cluster-ca");
        peerCert = ca.node("p1");
        routerCert = ca.node("router1");
        peer = HttpPeerFixture.startTls(PeerConfig.builder("p1").dataDir(dir.resolve("p1")).diskReserveBytes(0).build(), peerCert, routerCert);
    }

    @AfterAll
    static void stop() {
        peer.close();
    }

    static int crc(byte[] b) {
        return ChunkCodec.crc32c(b, 0, b.length);
    }

    @Test
    void aRouterWithItsClusterCertificateTalksToThePeer() {
        assertEquals("https", peer.uri().getScheme());
        peer.client().putChunk("c1", DATA, crc(DATA));
        assertArrayEquals(DATA, peer.client().getChunk("c1", 0, -1));
        assertTrue(peer.client().putRecord(new MetaRecord("b", "k", 1, false, DATA)));
        assertArrayEquals(DATA, peer.client().getRecord("b", "k").orElseThrow().value());
    }

    /** A JDK client trusting the cluster CA but presenting no certificate. */
    static HttpClient withoutClientCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca.caFile())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    @Test
    void aClientWithoutACertificateIsRefusedBeforeAnyRequest() throws Exception {
        try (HttpClient anonymous = withoutClientCertificate()) {
            HttpRequest health = HttpRequest.newBuilder(peer.uri().resolve("/health")).build();
            assertThrows(java.io.IOException.class, () -> anonymous.send(health, HttpResponse.BodyHandlers.ofString()),
                    "the handshake fails: no client certificate");
        }
        // control: the same JDK client with the router's certificate gets through
        var factory = routerCert.clientFactory();
        factory.start();
        try (HttpClient withCert = HttpClient.newBuilder().sslContext(factory.getSslContext()).build()) {
            HttpRequest health = HttpRequest.newBuilder(peer.uri().resolve("/health")).build();
            assertEquals(200, withCert.send(health, HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            factory.stop();
        }
    }

    @Test
    void aClientCertificateOfAnotherCaIsRefusedAndPlainHttpIsNotServed() throws Exception {
        TestCerts other = TestCerts.newCa(dir.resolve("other-pki"), "other-ca");
        PeerTls stranger = new PeerTls(other.node("mallory").cert(), other.node("mallory").key(), ca.caFile());
        try (HttpPeerClient c = new HttpPeerClient("p1", peer.uri(), peer.signer(), Duration.ofSeconds(5), stranger)) {
            assertEquals(PeerException.Kind.UNAVAILABLE, assertThrows(PeerException.class, c::stats).kind());
        }
        // a client that does not trust the peer's CA refuses the peer
        PeerTls trustsOther = new PeerTls(routerCert.cert(), routerCert.key(), other.caFile());
        try (HttpPeerClient c = new HttpPeerClient("p1", peer.uri(), peer.signer(), Duration.ofSeconds(5), trustsOther)) {
            assertEquals(PeerException.Kind.UNAVAILABLE, assertThrows(PeerException.class, c::stats).kind());
        }
        URI plain = URI.create("http://127.0.0.1:" + peer.port());
        try (HttpPeerClient c = new HttpPeerClient("p1", plain, peer.signer(), Duration.ofSeconds(5))) {
            assertEquals(PeerException.Kind.UNAVAILABLE, assertThrows(PeerException.class, c::stats).kind());
        }
        assertThrows(IllegalArgumentException.class, () -> new HttpPeerClient("p1", peer.uri(), peer.signer(), Duration.ofSeconds(5)),
                "an https peer without TLS settings is a configuration error");
    }

    @Test
    void peerMainServesMutualTlsFromPemFilesAndKeepsItsDataOwnerOnly() throws Exception {
        Path data = dir.resolve("child").resolve("data");
        PeerTls childCert = ca.node("child");
        try (ChildPeer child = ChildPeer.start("child", data, HttpPeerFixture.SECRET, 60, List.of(
                "--peer-tls-cert", childCert.cert().toString(), "--peer-tls-key", childCert.key().toString(),
                "--peer-tls-ca", childCert.ca().toString()));
             HttpPeerClient c = new HttpPeerClient("child", child.uri(), peer.signer(), Duration.ofSeconds(10), routerCert)) {
            assertEquals("https", child.uri().getScheme());
            c.putChunk("c1", DATA, crc(DATA));
            assertArrayEquals(DATA, c.getChunk("c1", 0, -1));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.getParent())));
        }
    }
}

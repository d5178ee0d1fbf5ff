package org.mictlanx.peer.testing;

import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.http.PeerServer;
import org.mictlanx.peer.http.PeerTls;
import org.mictlanx.peer.http.ReplayCache;
import org.mictlanx.peer.http.RequestSigner;

import java.net.URI;
import java.time.Duration;

/**
 * A real peer (LocalPeer + Jetty on an ephemeral loopback port) and a signed client to it. Reused by
 * the server module through the peer test-jar. Closing stops client, server and peer.
 */
public final class HttpPeerFixture implements AutoCloseable {
    public static final String SECRET = "test-cluster-secret";

    private final LocalPeer local;
    private final PeerServer server;
    private final HttpPeerClient client;
    private final RequestSigner signer;

    private HttpPeerFixture(LocalPeer local, PeerServer server, HttpPeerClient client, RequestSigner signer) {
        this.local = local;
        this.server = server;
        this.client = client;
        this.signer = signer;
    }

    public static HttpPeerFixture start(PeerConfig config) {
        return start(config, SECRET);
    }

    public static HttpPeerFixture start(PeerConfig config, String secret) {
        return start(config, secret, null, null);
    }

    /** A peer serving mutual TLS with {@code serverTls}, and a client presenting {@code clientTls}. */
    public static HttpPeerFixture startTls(PeerConfig config, PeerTls serverTls, PeerTls clientTls) {
        return start(config, SECRET, serverTls, clientTls);
    }

    private static HttpPeerFixture start(PeerConfig config, String secret, PeerTls serverTls, PeerTls clientTls) {
        LocalPeer local = LocalPeer.open(config);
        RequestSigner signer = new RequestSigner(secret);
        PeerServer server = PeerServer.start(local, signer, "127.0.0.1", 0, serverTls, ReplayCache.DEFAULT_MAX_ENTRIES);
        HttpPeerClient client = new HttpPeerClient(config.id(), server.uri(), signer, Duration.ofSeconds(30), clientTls);
        return new HttpPeerFixture(local, server, client, signer);
    }

    public LocalPeer local() {
        return local;
    }

    public HttpPeerClient client() {
        return client;
    }

    public RequestSigner signer() {
        return signer;
    }

    public URI uri() {
        return server.uri();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            try {
                server.close();
            } finally {
                local.close();
            }
        }
    }
}

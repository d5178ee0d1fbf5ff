package org.mictlanx.peer.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.api.PeerException;

import java.net.URI;

/**
 * Jetty 12 server exposing one {@link LocalPeer} over the signed HTTP API ({@link PeerHandler}), in
 * plain HTTP or, with {@link PeerTls}, HTTPS requiring a client certificate of the cluster CA.
 */
public final class PeerServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;

    private PeerServer(Server server, ServerConnector connector, boolean tls) {
        this.server = server;
        this.connector = connector;
        this.tls = tls;
    }

    /** Starts serving {@code peer} on {@code host:port} (port 0: an ephemeral port) over plain HTTP. Does not own the peer. */
    public static PeerServer start(LocalPeer peer, RequestSigner signer, String host, int port) {
        return start(peer, signer, host, port, null, ReplayCache.DEFAULT_MAX_ENTRIES);
    }

    /**
     * Starts serving {@code peer} on {@code host:port}; over mutual TLS when {@code tls} is not null.
     * {@code replayCacheEntries} bounds the nonces remembered ({@link ReplayCache}). Does not own the peer.
     */
    public static PeerServer start(LocalPeer peer, RequestSigner signer, String host, int port, PeerTls tls, int replayCacheEntries) {
        QueuedThreadPool threads = new QueuedThreadPool(128, 8);
        threads.setName("peer-" + peer.id() + "-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector;
        if (tls == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // routers reach peers by any name or address the certificate lists
            http.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(tls.serverFactory(), "http/1.1"),
                    new HttpConnectionFactory(http));
        }
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(60_000);
        server.addConnector(connector);
        server.setHandler(new PeerHandler(peer, signer, new ReplayCache(signer.clock(), RequestSigner.MAX_SKEW, replayCacheEntries)));
        server.setStopTimeout(5_000);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // already failing
            }
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "cannot start peer server on " + host + ":" + port, e);
        }
        return new PeerServer(server, connector, tls != null);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public URI uri() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        return URI.create((tls ? "https://" : "http://") + host + ":" + port());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "error stopping peer server", e);
        }
    }
}

package org.mictlanx.peer.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.api.PeerException;

import java.net.URI;

/** Jetty 12 server exposing one {@link LocalPeer} over the signed HTTP API ({@link PeerHandler}). */
public final class PeerServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private PeerServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Starts serving {@code peer} on {@code host:port} (port 0: an ephemeral port). Does not own the peer. */
    public static PeerServer start(LocalPeer peer, RequestSigner signer, String host, int port) {
        QueuedThreadPool threads = new QueuedThreadPool(128, 8);
        threads.setName("peer-" + peer.id() + "-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(60_000);
        server.addConnector(connector);
        server.setHandler(new PeerHandler(peer, signer));
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
        return new PeerServer(server, connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public URI uri() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        return URI.create("http://" + host + ":" + port());
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

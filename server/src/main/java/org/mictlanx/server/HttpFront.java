package org.mictlanx.server;

import java.net.URI;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;

import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.mictlanx.s3.cors.CorsRules;

/**
 * The S3 port: one Jetty server, plain HTTP or TLS, request handling on virtual threads (handlers
 * block on peer I/O), large output buffers for streaming, and an access log to the SLF4J logger
 * {@code mictlanx.access} in the NCSA extended format.
 *
 * <p>Slow and stalled clients are bounded by {@link Timeouts}: a request head must arrive whole within
 * the header deadline (else the connection is closed without an answer), and a connection on which no
 * byte moves for the idle timeout is given up: a handler blocked reading the body fails with a timeout
 * (answered 400 RequestTimeout while an answer can still be written), an idle keep-alive connection is
 * closed.
 */
public final class HttpFront implements AutoCloseable {

    /**
     * @param header   the whole request head must arrive within this, from its first byte
     * @param idle     no byte read or written for this long: a body read fails (RequestTimeout), an idle
     *                 connection is closed
     */
    public record Timeouts(Duration header, Duration idle) {
        /** S3-like defaults: 20 s for a request head, 30 s without body bytes. */
        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(20), Duration.ofSeconds(30));

        public Timeouts {
            if (header.isNegative() || header.isZero() || idle.isNegative() || idle.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;

    /**
     * Starts serving {@code handler} on {@code host:port} (port 0: any free port).
     *
     * @param keyStore TLS key and certificate (see {@link TlsMaterial}), or null for plain HTTP
     */
    public HttpFront(String host, int port, KeyStore keyStore, Handler handler) throws Exception {
        this(host, port, keyStore, handler, Timeouts.DEFAULTS);
    }

    /** As above, with the given header deadline and idle timeout. */
    public HttpFront(String host, int port, KeyStore keyStore, Handler handler, Timeouts timeouts) throws Exception {
        this(host, port, keyStore, handler, timeouts, DEFAULT_DRAIN, Optional.empty());
    }

    /** How long {@link #close()} waits for requests in flight by default. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(20);

    /**
     * As above; {@link #close()} stops accepting connections, then waits up to {@code drain} for the
     * requests in flight to finish (their connections are closed after their answer) before closing
     * what remains.
     */
    public HttpFront(String host, int port, KeyStore keyStore, Handler handler, Timeouts timeouts, Duration drain) throws Exception {
        this(host, port, keyStore, handler, timeouts, drain, Optional.empty());
    }

    /**
     * As above; {@code errorCors} (the store-wide default CORS rules) adds CORS headers to the errors
     * Jetty answers itself ({@link JettyErrorXml}) for allowed origins.
     */
    public HttpFront(String host, int port, KeyStore keyStore, Handler handler, Timeouts timeouts, Duration drain,
                     Optional<CorsRules> errorCors) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("s3");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        http.setOutputBufferSize(256 * 1024);
        http.setRequestHeaderSize(16 * 1024);
        http.setResponseHeaderSize(16 * 1024);
        http.setRelativeRedirectAllowed(true);
        // S3 keys may contain anything, "//" and "%2F" included: the front door decodes paths itself.
        http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.UNSAFE);
        tls = keyStore != null;
        if (tls) {
            http.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(keyStore);
            ssl.setKeyStorePassword(new String(TlsMaterial.STORE_PASSWORD));
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new S3HttpConnectionFactory(http, timeouts.header()));
        } else {
            connector = new ServerConnector(server, new S3HttpConnectionFactory(http, timeouts.header()));
        }
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(timeouts.idle().toMillis());
        server.addConnector(connector);
        Slf4jRequestLogWriter accessLog = new RedactingRequestLogWriter();
        server.setRequestLog(new CustomRequestLog(accessLog, CustomRequestLog.EXTENDED_NCSA_FORMAT));
        // In-flight requests are tracked so stop() waits for them (bounded by the stop timeout).
        server.setHandler(new org.eclipse.jetty.server.handler.GracefulHandler(handler));
        server.setErrorHandler(new JettyErrorXml(errorCors));
        server.setStopTimeout(Math.max(1, drain.toMillis()));
        server.start();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:9000}. */
    public URI endpoint() {
        String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0") ? "127.0.0.1" : connector.getHost();
        return URI.create((tls ? "https://" : "http://") + host + ":" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}

package org.mictlanx.server;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.mictlanx.console.BucketUsageSource;
import org.mictlanx.console.ConsoleServlet;
import org.mictlanx.console.ConsoleSessions;
import org.mictlanx.console.LoginLimiter;
import org.mictlanx.router.BallStore;
import org.mictlanx.s3.S3Servlet;
import org.mictlanx.xolo.identity.UserRegistry;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Builds the web console from the settings: {@code console} (default true) turns it on,
 * {@code console-port} (unset: the S3 port under {@code /console}) serves it on a port of its own,
 * {@code console-session-idle-minutes} (30) and {@code console-session-max-hours} (12) bound sessions,
 * which live in the replicated metadata (any router serves them; see {@link ConsoleSessions}).
 */
final class ConsoleWiring {

    private ConsoleWiring() {
    }

    /** Whether the console is served at all. */
    static boolean enabled(Settings s) {
        String v = s.get("console", "true").strip();
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("--console must be true or false, got '" + v + "'");
        }
        return v.equalsIgnoreCase("true");
    }

    /**
     * The console's bucket size and object count read from the router's usage accounting (stored
     * balls and versions, as {@code admin bucket list} shows them); "not available" when the figures
     * cannot be read (no such bucket, metadata quorum unreachable), never a count by listing.
     */
    static BucketUsageSource usage(org.mictlanx.router.BucketUsages usages) {
        return bucket -> {
            try {
                org.mictlanx.router.BucketUsage u = usages.usage(bucket);
                return java.util.Optional.of(new BucketUsageSource.Usage(u.bytes(), u.objects()));
            } catch (org.mictlanx.router.RouterException e) {
                return java.util.Optional.empty();
            }
        };
    }

    /** Whether the console has a port of its own (else it is under {@code /console} on the S3 port). */
    static boolean ownPort(Settings s) {
        return s.get("console-port").isPresent();
    }

    /**
     * The console's handler (context {@code /console}).
     *
     * @param sessionTable the replicated metadata the sessions are kept in
     * @param s3Port the S3 port, for share links made on the console's own port
     * @param s3Tls  whether the S3 port speaks TLS
     */
    static Handler handler(Settings s, S3Servlet s3, AdminHandler admin, UserRegistry users, BallStore store,
                           org.mictlanx.router.MetaTable sessionTable, MeterRegistry metrics, BucketUsageSource usage, java.util.function.IntSupplier s3Port, boolean s3Tls) {
        int idle = s.getInt("console-session-idle-minutes", 30);
        int max = s.getInt("console-session-max-hours", 12);
        if (idle < 1 || max < 1) {
            throw new IllegalArgumentException("--console-session-idle-minutes and --console-session-max-hours must be at least 1");
        }
        Clock clock = Clock.systemUTC();
        ConsoleSessions sessions = new ConsoleSessions(sessionTable, clock, new SecureRandom(), Duration.ofMinutes(idle),
                Duration.ofHours(max), 10_000);
        LoginLimiter limiter = new LoginLimiter(clock, 5, Duration.ofMinutes(5), 100_000);
        boolean own = ownPort(s);
        java.util.function.Function<HttpServletRequest, URI> endpoint = request -> {
            if (!own) {
                return URI.create((request.isSecure() ? "https://" : "http://") + request.getHeader("Host"));
            }
            String host = request.getServerName();
            if (host.contains(":")) host = "[" + host + "]";
            return URI.create((s3Tls ? "https://" : "http://") + host + ":" + s3Port.getAsInt());
        };
        ConsoleServlet servlet = new ConsoleServlet(new ConsoleServlet.Wiring(sessions, limiter, users, users::principalFor,
                store, s3, admin, usage, metrics, FrontDoorWiring.region(s), endpoint, clock));
        ServletContextHandler context = new ServletContextHandler("/console", ServletContextHandler.NO_SESSIONS);
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.addServlet(new ServletHolder("console", servlet), "/*");
        return context;
    }

    /**
     * On the S3 port: {@code /console} goes to the console unless the request is a signed S3 request
     * (an {@code Authorization} header or a presigned query), which stays S3's (a bucket named
     * {@code console} keeps working for S3 clients).
     */
    static Handler onS3Port(Handler console, Handler s3) {
        return new Handler.Sequence(new Handler.Wrapper(console) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                if (!(path.equals("/console") || path.startsWith("/console/")) || signed(request)) {
                    return false;
                }
                return super.handle(request, response, callback);
            }
        }, s3);
    }

    private static boolean signed(Request request) {
        if (request.getHeaders().contains(HttpHeader.AUTHORIZATION)) return true;
        Fields query = Request.extractQueryParameters(request);
        return query.get("X-Amz-Credential") != null || query.get("AWSAccessKeyId") != null;
    }

}

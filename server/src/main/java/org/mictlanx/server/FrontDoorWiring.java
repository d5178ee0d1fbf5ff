package org.mictlanx.server;

import java.time.Clock;
import java.time.Duration;

import org.eclipse.jetty.server.Handler;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.s3.Authenticator;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3FrontDoor;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.cors.CorsResponder;
import org.mictlanx.s3.website.WebsiteServlet;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.xolo.identity.UserRegistry;
import org.mictlanx.xolo.policy.AccessControl;
import org.mictlanx.xolo.policy.PolicyStore;
import org.mictlanx.xolo.post.PostPolicyVerifier;
import org.mictlanx.xolo.sigv2.SigV2Verifier;
import org.mictlanx.xolo.sigv4.SigV4Verifier;

/** Builds the S3 front door handler, its limits (timeouts, request buffer budget) from the server settings. */
final class FrontDoorWiring {

    private FrontDoorWiring() {
    }

    /** The store's region (setting {@code region}, default {@code us-east-1}): the SigV4 scope must name it. */
    static String region(Settings s) {
        return s.get("region", "us-east-1");
    }

    static Handler s3Handler(BallStore store, SigV4Verifier verifier, UserRegistry users, PolicyStore policies, Settings s,
                             BufferBudget budget) {
        return S3FrontDoor.handler(s3Servlet(store, verifier, users, policies, s, budget,
                new org.mictlanx.s3.notify.TargetRegistry(store.metaTable(), NotifyWiring.targets(s), System::nanoTime)));
    }

    /** The S3 front door's servlet (the web console serves its S3 calls through the same instance). */
    static org.mictlanx.s3.S3Servlet s3Servlet(BallStore store, SigV4Verifier verifier, UserRegistry users, PolicyStore policies,
                                               Settings s, BufferBudget budget, org.mictlanx.s3.notify.TargetRegistry targets) {
        // sse-customer-keys-over-http: accept SSE-C headers over plain HTTP (S3 refuses them; for tests
        // or a TLS-terminating proxy in front).
        S3Config config = new S3Config(s.get("base-domain").orElse(null), region(s))
                .withSseCustomerKeysOverHttp(s.getBoolean("sse-customer-keys-over-http"));
        Authenticator authenticator = sigV2(s)
                ? Authenticator.withSigV2(verifier, new SigV2Verifier(users, config.baseDomain(), Clock.systemUTC()))
                : Authenticator.sigV4(verifier);
        return S3FrontDoor.servlet(store, authenticator,
                new Authorizer(users::principalFor, name -> users.user(name).isPresent(),
                        new org.mictlanx.xolo.policy.Grantees(() -> users.listUsers().stream().map(UserRegistry.UserEntry::name).toList()),
                        new AccessControl(policies)), config, Clock.systemUTC(), budget,
                CorsResponder.defaultFor(s.get("cors-allowed-origins").orElse(null)),
                new PostPolicyVerifier(users, config.region(), sigV2(s)), LifecycleWiring.dayMillis(s), targets,
                accessLogs(s));
    }

    /** Counters of server access logging: lines buffered, lines dropped over the memory bound, log objects written. */
    static void bindAccessLogMetrics(org.mictlanx.s3.S3Servlet servlet, io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.FunctionCounter.builder("mictlanx_access_log_lines", servlet,
                v -> v.accessLogStats().map(org.mictlanx.s3.accesslog.AccessLogs.Stats::lines).orElse(0L))
                .description("server access log records buffered for delivery").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("mictlanx_access_log_dropped", servlet,
                v -> v.accessLogStats().map(org.mictlanx.s3.accesslog.AccessLogs.Stats::dropped).orElse(0L))
                .description("server access log records dropped (buffer over its memory bound, or a log object not written)")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("mictlanx_access_log_objects", servlet,
                v -> v.accessLogStats().map(org.mictlanx.s3.accesslog.AccessLogs.Stats::objects).orElse(0L))
                .description("server access log objects written into target buckets").register(registry);
    }

    /** Server access logging: {@code access-log-flush-seconds} (default 300) between log objects. */
    static org.mictlanx.s3.accesslog.AccessLogs.Settings accessLogs(Settings s) {
        int seconds = s.getInt("access-log-flush-seconds", 300);
        if (seconds < 1) throw new IllegalArgumentException("--access-log-flush-seconds must be at least 1");
        return new org.mictlanx.s3.accesslog.AccessLogs.Settings(java.time.Duration.ofSeconds(seconds), 4L << 20, 32L << 20);
    }

    /**
     * The static website endpoint on {@code website-port} (unset: none), bucket from the Host under
     * {@code website-domain} or the first path segment; every read is anonymous, allowed per object by
     * the bucket policy and ACLs in {@code policies} as on S3.
     */
    static HttpFront websiteFront(BallStore store, Settings s, java.security.KeyStore tls, PolicyStore policies)
            throws Exception {
        if (s.get("website-port").isEmpty()) {
            return null;
        }
        org.eclipse.jetty.ee10.servlet.ServletContextHandler context =
                new org.eclipse.jetty.ee10.servlet.ServletContextHandler("/", org.eclipse.jetty.ee10.servlet.ServletContextHandler.NO_SESSIONS);
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.addServlet(new org.eclipse.jetty.ee10.servlet.ServletHolder("website", new WebsiteServlet(store,
                new BucketConfigurations(store.metaTable(), System::nanoTime), new S3Xml(),
                s.get("website-domain").orElse(null),
                new Authorizer(accessKey -> java.util.Optional.empty(), new AccessControl(policies)),
                Clock.systemUTC())), "/");
        return new HttpFront(s.get("host", "0.0.0.0"), s.getInt("website-port", 0), tls, context, timeouts(s),
                MictlanXServer.shutdownTimeout(s));
    }

    /** {@code sigv2} (default true): whether Signature Version 2 requests are accepted, as by S3. */
    static boolean sigV2(Settings s) {
        String v = s.get("sigv2", "true").strip();
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("--sigv2 must be true or false, got '" + v + "'");
        }
        return v.equalsIgnoreCase("true");
    }

    /** {@code buffer-budget} (bytes, default a quarter of the heap) and {@code buffer-wait-ms} (default 2000). */
    static BufferBudget budget(Settings s) {
        long capacity = s.getBytes("buffer-budget", BufferBudget.defaultCapacity());
        int waitMs = s.getInt("buffer-wait-ms", (int) BufferBudget.DEFAULT_WAIT.toMillis());
        if (capacity <= 0) throw new IllegalArgumentException("--buffer-budget must be positive");
        if (waitMs < 0) throw new IllegalArgumentException("--buffer-wait-ms must not be negative");
        return new BufferBudget(capacity, Duration.ofMillis(waitMs));
    }

    /** {@code header-timeout-seconds} (default 20) and {@code idle-timeout-seconds} (default 30). */
    static HttpFront.Timeouts timeouts(Settings s) {
        int header = s.getInt("header-timeout-seconds", (int) HttpFront.Timeouts.DEFAULTS.header().toSeconds());
        int idle = s.getInt("idle-timeout-seconds", (int) HttpFront.Timeouts.DEFAULTS.idle().toSeconds());
        if (header < 1 || idle < 1) throw new IllegalArgumentException("--header-timeout-seconds and --idle-timeout-seconds must be at least 1");
        return new HttpFront.Timeouts(Duration.ofSeconds(header), Duration.ofSeconds(idle));
    }
}

package org.mictlanx.s3;

import java.time.Clock;
import java.util.Optional;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.s3.handler.AclHandler;
import org.mictlanx.s3.handler.AttributesHandler;
import org.mictlanx.s3.handler.BucketConfigurationHandler;
import org.mictlanx.s3.handler.BucketHandler;
import org.mictlanx.s3.handler.CopyHandler;
import org.mictlanx.s3.handler.MultipartHandler;
import org.mictlanx.s3.handler.UploadListingHandler;
import org.mictlanx.s3.handler.DeleteObjectsHandler;
import org.mictlanx.s3.handler.ListingHandler;
import org.mictlanx.s3.handler.ObjectHandler;
import org.mictlanx.s3.handler.PolicyHandler;
import org.mictlanx.s3.handler.TaggingHandler;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.cors.CorsHandler;
import org.mictlanx.s3.cors.CorsResponder;
import org.mictlanx.s3.cors.CorsRules;
import org.mictlanx.s3.lifecycle.ExpirationHeader;
import org.mictlanx.s3.lifecycle.LifecycleConfigs;
import org.mictlanx.s3.lifecycle.LifecycleHandler;
import org.mictlanx.s3.lifecycle.LifecycleWorker;
import org.mictlanx.s3.post.PostObjectHandler;
import org.mictlanx.s3.website.WebsiteHandler;
import org.mictlanx.s3.handler.VersioningHandler;
import org.mictlanx.s3.handler.ObjectLockHandler;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.xolo.post.PostPolicyVerifier;
import org.mictlanx.xolo.sigv4.SigV4Verifier;

/**
 * Builds the S3 front door. Mount {@link #handler} at the root of the S3 port (for example with
 * {@code new HttpFront(host, port, keyStore, S3FrontDoor.handler(...))}); the connector must accept
 * ambiguous URIs ({@code UriCompliance.UNSAFE}) because keys may contain {@code //}, {@code ..} and
 * {@code %2F}.
 */
public final class S3FrontDoor {

    private S3FrontDoor() {
    }

    /** The servlet with the real SigV4 verifier. */
    public static S3Servlet create(BallStore store, SigV4Verifier verifier, Authorizer authorizer, S3Config config) {
        return create(store, verifier, authorizer, config, defaultBudget(store));
    }

    /**
     * The servlet with the real SigV4 verifier, reserving request buffers (aws-chunked decoding, XML
     * bodies) from {@code budget}; pass the router's, so one bound covers the front door and the puts.
     */
    public static S3Servlet create(BallStore store, SigV4Verifier verifier, Authorizer authorizer, S3Config config,
                                   BufferBudget budget) {
        return servlet(store, Authenticator.sigV4(verifier), authorizer, config, Clock.systemUTC(), budget,
                Optional.empty(), new PostPolicyVerifier(verifier.secrets(), verifier.region(), false));
    }

    private static BufferBudget defaultBudget(BallStore store) {
        return store instanceof org.mictlanx.router.Router r ? r.bufferBudget() : BufferBudget.unlimited();
    }

    /** The servlet with any authenticator (tests inject failures through it). */
    public static S3Servlet servlet(BallStore store, Authenticator authenticator, Authorizer authorizer,
                                    S3Config config, Clock clock) {
        return servlet(store, authenticator, authorizer, config, clock, defaultBudget(store));
    }

    /** The servlet with any authenticator and the given request buffer budget. */
    public static S3Servlet servlet(BallStore store, Authenticator authenticator, Authorizer authorizer,
                                    S3Config config, Clock clock, BufferBudget budget) {
        return servlet(store, authenticator, authorizer, config, clock, budget, Optional.empty(), null);
    }

    /**
     * The servlet with any authenticator (the server passes SigV4 and, unless turned off, SigV2:
     * {@link Authenticator#withSigV2}), the request buffer budget, and the store-wide default CORS
     * rules (empty: buckets without a CORS configuration get no CORS headers), and the verifier of POST
     * object policy signatures (null: POST object is refused with 501).
     */
    public static S3Servlet servlet(BallStore store, Authenticator authenticator, Authorizer authorizer,
                                    S3Config config, Clock clock, BufferBudget budget, Optional<CorsRules> defaultCors,
                                    PostPolicyVerifier postPolicies) {
        return servlet(store, authenticator, authorizer, config, clock, budget, defaultCors, postPolicies,
                LifecycleWorker.DAY_MILLIS);
    }

    /**
     * As the eight-argument form; {@code lifecycleDayMillis} is how long a lifecycle "day" is for the
     * {@code x-amz-expiration} header (one real day unless the {@code lifecycle-seconds-per-day} test
     * setting scales it; must match the {@link LifecycleWorker}'s).
     */
    public static S3Servlet servlet(BallStore store, Authenticator authenticator, Authorizer authorizer,
                                    S3Config config, Clock clock, BufferBudget budget, Optional<CorsRules> defaultCors,
                                    PostPolicyVerifier postPolicies, long lifecycleDayMillis) {
        return servlet(store, authenticator, authorizer, config, clock, budget, defaultCors, postPolicies, lifecycleDayMillis,
                org.mictlanx.s3.notify.NotificationTargets.none());
    }

    /**
     * As the nine-argument form; {@code targets} are the event notification targets the operator
     * defined (configurations may name only these ARNs); successful writes queue their events in the
     * replicated outbox ({@link org.mictlanx.s3.notify.EventOutbox}) for the
     * {@link org.mictlanx.s3.notify.EventSender}.
     */
    public static S3Servlet servlet(BallStore store, Authenticator authenticator, Authorizer authorizer,
                                    S3Config config, Clock clock, BufferBudget budget, Optional<CorsRules> defaultCors,
                                    PostPolicyVerifier postPolicies, long lifecycleDayMillis,
                                    org.mictlanx.s3.notify.NotificationTargets targets) {
        return servlet(store, authenticator, authorizer, config, clock, budget, defaultCors, postPolicies, lifecycleDayMillis,
                new org.mictlanx.s3.notify.TargetRegistry(store.metaTable(), targets, System::nanoTime),
                new org.mictlanx.s3.accesslog.AccessLogs.Settings(java.time.Duration.ofMinutes(5), 4L << 20, 32L << 20));
    }

    /**
     * As the ten-argument form with every target of {@code targets} (the settings' and those added
     * through the admin API); {@code accessLogs} are the flush interval and memory bounds of server
     * access logging (PutBucketLogging); the servlet flushes what is buffered when it is destroyed.
     */
    public static S3Servlet servlet(BallStore store, Authenticator authenticator, Authorizer authorizer,
                                    S3Config config, Clock clock, BufferBudget budget, Optional<CorsRules> defaultCors,
                                    PostPolicyVerifier postPolicies, long lifecycleDayMillis,
                                    org.mictlanx.s3.notify.TargetRegistry targets,
                                    org.mictlanx.s3.accesslog.AccessLogs.Settings accessLogs) {
        S3Xml xml = new S3Xml();
        BucketConfigurations configs = new BucketConfigurations(store.metaTable(), System::nanoTime);
        org.mictlanx.s3.sse.BucketDefaults defaults = new org.mictlanx.s3.sse.BucketDefaults(store.metaTable());
        LifecycleConfigs lifecycle = new LifecycleConfigs(configs, xml);
        ExpirationHeader expiration = new ExpirationHeader(lifecycle, lifecycleDayMillis);
        org.mictlanx.s3.notify.NotificationConfigs notifications = new org.mictlanx.s3.notify.NotificationConfigs(configs, xml, targets);
        Dispatcher dispatcher = new Dispatcher(new Dispatcher.Handlers(
                new BucketHandler(store, authorizer, config, xml),
                new ObjectHandler(store, authorizer, config, clock, defaults, expiration),
                new ListingHandler(store, authorizer.policies()),
                new DeleteObjectsHandler(store, authorizer, config, xml),
                new CopyHandler(store, authorizer, clock, defaults, config.region()),
                new MultipartHandler(store, authorizer, config, xml, clock, defaults),
                new UploadListingHandler(store, authorizer.policies()),
                new AttributesHandler(store, clock),
                new TaggingHandler(store, authorizer, config, xml),
                new PolicyHandler(authorizer, config, xml),
                new AclHandler(store, authorizer, config, xml),
                new BucketConfigurationHandler(store, config, xml, defaults),
                new CorsHandler(configs, xml), new WebsiteHandler(configs, xml),
                new VersioningHandler(store, config, xml, authorizer.policies()),
                new ObjectLockHandler(store, authorizer, config, xml, clock),
                new LifecycleHandler(lifecycle, xml, expiration, store),
                new org.mictlanx.s3.notify.NotificationHandler(notifications, xml),
                new org.mictlanx.s3.accesslog.LoggingHandler(store, configs, xml)));
        return new S3Servlet(new S3RequestParser(config), authenticator, authorizer, store, dispatcher, xml, budget, clock,
                new CorsResponder(configs, xml, defaultCors), postPolicies == null ? null
                : new PostObjectHandler(store, postPolicies, config, xml, clock, defaults, expiration),
                new org.mictlanx.s3.sse.SseTransport(config.sseCustomerKeysOverHttp(), config.region()),
                new org.mictlanx.s3.notify.EventRecorder(store, notifications,
                        new org.mictlanx.s3.notify.EventOutbox(store.metaTable(), clock::millis), clock, config.region()),
                new org.mictlanx.s3.accesslog.AccessLogs(store, configs, xml, accessLogs, clock));
    }

    /** A Jetty handler serving {@code servlet} for every path, ambiguous paths included. */
    public static Handler handler(S3Servlet servlet) {
        ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.addServlet(new ServletHolder("s3", servlet), "/");
        return context;
    }

    /** Shorthand: the handler with the real SigV4 verifier. */
    public static Handler handler(BallStore store, SigV4Verifier verifier, Authorizer authorizer, S3Config config) {
        return handler(create(store, verifier, authorizer, config));
    }
}

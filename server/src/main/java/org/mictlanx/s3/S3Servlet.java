package org.mictlanx.s3;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.s3.cors.CorsResponder;
import org.mictlanx.s3.post.PostObjectHandler;
import org.mictlanx.s3.sse.SseTransport;
import org.mictlanx.s3.xml.S3Xml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 front door's servlet: per request, a request id, a share of the buffer budget, CORS
 * preflights, then the one fixed pipeline ({@link S3Pipeline}): parse the request into an {@link S3Operation} →
 * authenticate (SigV4, every {@code x-amz-*} header signed; a request without any signature is
 * anonymous) → look up the bucket → authorize (the permission table {@link S3Permissions} and the
 * policy engine; an anonymous caller gets AccessDenied, never NoSuchBucket) →
 * refuse unbuilt features ({@link UnbuiltFeatures}) and ACLs the bucket does not allow ({@link AclHeaders})
 * → dispatch to the family's handler → store the ACL a successful write asked for → render.
 * Handlers only ever see a verified {@link S3Request}.
 *
 * <p>No body byte is read before the request is authenticated, authorized and its bucket found:
 * Jetty answers {@code Expect: 100-continue} only when the body is first read, so a refused upload
 * gets its error without being invited to send the body (and its connection is closed). Any other
 * {@code Expect} value is {@code ExpectationFailed} (417). A GET/HEAD/DELETE that announces a body
 * is answered without waiting for it (and its connection closed). Every response carries
 * {@code x-amz-request-id} and {@code x-amz-id-2}; every failure goes through {@link ErrorMapper}
 * and {@link ErrorRenderer}. If a streamed body fails after the response was committed, the
 * connection is aborted so the client sees a short body, never a silently truncated one. Successful
 * answers are written by {@link S3ResponseWriter}; the {@code Expect} and body-draining rules live in
 * {@link BodyProbe}.
 */
public final class S3Servlet extends HttpServlet {

    /** Request attribute naming the parsed S3 operation (e.g. {@code GetObject}), for metrics and logs. */
    public static final String OPERATION_ATTRIBUTE = "mictlanx.s3.operation";
    /** Request attribute holding the parsed {@link S3Operation} itself (bucket and key), for the request trace. */
    public static final String REQUEST_OPERATION_ATTRIBUTE = "mictlanx.s3.request-operation";
    /** Request attribute holding the access key id the request was signed with (never a secret). */
    public static final String ACCESS_KEY_ATTRIBUTE = "mictlanx.s3.access-key";
    /** Request attribute holding the user name of that key ({@code root} for root). */
    public static final String USER_ATTRIBUTE = "mictlanx.s3.user";
    /** Request attribute holding the S3 error code answered (e.g. {@code AccessDenied}). */
    public static final String ERROR_ATTRIBUTE = "mictlanx.s3.error";


    private static final Logger LOG = LoggerFactory.getLogger(S3Servlet.class);

    private final transient S3RequestParser parser;
    private final transient BallStore store;
    private final transient S3Pipeline pipeline;
    private final transient S3ResponseWriter writer;
    private final transient ErrorMapper errors = new ErrorMapper();
    private final transient ErrorRenderer renderer;
    private final transient RequestIds ids = new RequestIds();
    private final transient BufferBudget budget;
    private final transient CorsResponder cors;
    /** Server access logging of buckets that ask for it; null: none. */
    private final transient org.mictlanx.s3.accesslog.AccessLogs accessLogs;
    private final transient Clock clock;

    /**
     * @param posts      serves POST object (browser form uploads); null: refused with 501
     * @param events     queues event notifications of successful writes; null: none
     * @param accessLogs server access logging of buckets that ask for it; null: none
     */
    S3Servlet(S3RequestParser parser, Authenticator authenticator, Authorizer authorizer, BallStore store,
              Dispatcher dispatcher, S3Xml xml, BufferBudget budget, Clock clock, CorsResponder cors,
              PostObjectHandler posts, SseTransport sseTransport,
              org.mictlanx.s3.notify.EventRecorder events, org.mictlanx.s3.accesslog.AccessLogs accessLogs) {
        this.accessLogs = accessLogs;
        this.clock = clock;
        this.parser = parser;
        this.store = store;
        this.budget = budget;
        this.cors = cors;
        this.pipeline = new S3Pipeline(parser, authenticator, authorizer, store, dispatcher, clock, posts, sseTransport,
                events);
        this.writer = new S3ResponseWriter(xml);
        this.renderer = new ErrorRenderer(xml);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // The request's share of the buffer budget: whatever it reserved is returned on every path.
        try (BufferBudget.Lease buffers = budget.open()) {
            serve(request, response, buffers, null);
        }
    }

    /**
     * Serves an S3 request already authenticated by the caller as {@code accessKeyId} (the web
     * console's session, whose key the console checked is still enabled): the same pipeline minus the
     * signature check, so the request is authorized through the permission table and the policy
     * engine exactly as a signed request of that key would be. Its body is taken as an unsigned
     * payload; CORS preflights and POST object forms are not served this way.
     */
    public void serveAs(HttpServletRequest request, HttpServletResponse response, String accessKeyId) throws IOException {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        try (BufferBudget.Lease buffers = budget.open()) {
            serve(request, response, buffers, accessKeyId);
        }
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, BufferBudget.Lease buffers,
                       String sessionKey) throws IOException {
        String requestId = ids.requestId();
        String hostId = ids.hostId();
        long started = System.nanoTime();
        try {
            serveLogged(request, response, buffers, sessionKey, requestId, hostId);
        } finally {
            if (accessLogs != null) {
                accessLog(request, response, requestId, hostId, started);
            }
        }
    }

    private void serveLogged(HttpServletRequest request, HttpServletResponse response, BufferBudget.Lease buffers,
                             String sessionKey, String requestId, String hostId) throws IOException {
        S3ResponseWriter.stamp(response, requestId, hostId);
        String rawPath = request.getRequestURI();
        boolean head = "HEAD".equalsIgnoreCase(request.getMethod());
        BodyProbe probe = new BodyProbe(request);
        boolean preflight = sessionKey == null && "OPTIONS".equalsIgnoreCase(request.getMethod());
        try {
            S3Response result = preflight ? preflight(request, rawPath)
                    : pipeline.handle(request, rawPath, requestId, probe, buffers, sessionKey);
            if (!probe.mayDrain()) {
                response.setHeader("Connection", "close");
            }
            if (!preflight) {
                corsHeaders(request, rawPath, response);
            }
            writer.write(result, head, response);
        } catch (Exception failure) {
            S3Exception error = errors.map(failure, requestId);
            request.setAttribute(ERROR_ATTRIBUTE, error.code().code());
            if (response.isCommitted()) {
                LOG.warn("request {}: failed after the response was committed; aborting: {}", requestId,
                        error.getMessage());
                throw new IOException("aborted after commit: " + error.code().code(), failure);
            }
            response.reset();
            S3ResponseWriter.stamp(response, requestId, hostId);
            // A client that stopped sending (RequestTimeout) is not waited for a second time.
            if (error.code() == S3ErrorCode.REQUEST_TIMEOUT || !probe.mayDrain() || !probe.drainSmallBody()) {
                // The body stays unread, so Jetty will close the connection after this answer: say so,
                // or a client pipelining on a pooled connection sends its next request into the void.
                response.setHeader("Connection", "close");
            }
            if (!preflight) {
                corsHeaders(request, rawPath, response);
            }
            renderer.render(error, head, S3Pipeline.resource(rawPath), requestId, response);
            return;
        }
        if (probe.mayDrain()) {
            probe.drainSmallBody();
        }
    }

    /** One server access log record of this request, when its bucket logs (never throws). */
    private void accessLog(HttpServletRequest request, HttpServletResponse response, String requestId, String hostId,
                           long started) {
        try {
            if (!(request.getAttribute(REQUEST_OPERATION_ATTRIBUTE) instanceof S3Operation op) || op.bucket().isEmpty()) {
                return;
            }
            Optional<BucketInfo> bucket = store.bucket(op.bucket().get());
            // most buckets do not log: nothing of the record is built for them
            if (bucket.isEmpty() || accessLogs.target(bucket.get()).isEmpty()) return;
            String prefix = S3Permissions.bucket(bucket.get().name()) + "/";
            String resource = S3Permissions.resource(op);
            String key = resource.startsWith(prefix) ? resource.substring(prefix.length()) : null;
            String query = request.getQueryString();
            String sub = null;
            if (query != null) {
                for (String part : query.split("&")) {
                    String name = part.split("=", 2)[0];
                    if (!name.isEmpty() && !name.startsWith("X-Amz-") && !name.equals("versionId")
                            && !name.startsWith("response-") && !name.startsWith("list-type")) {
                        sub = name;
                        break;
                    }
                }
            }
            String length = response.getHeader("Content-Length");
            long millis = (System.nanoTime() - started) / 1_000_000;
            Object user = request.getAttribute(USER_ATTRIBUTE);
            Object error = request.getAttribute(ERROR_ATTRIBUTE);
            accessLogs.record(bucket.get(), new org.mictlanx.s3.accesslog.AccessLogRecord(bucket.get().owner(),
                    bucket.get().name(), clock.instant(), request.getRemoteAddr(), user == null ? null : user.toString(),
                    requestId, org.mictlanx.s3.accesslog.AccessLogRecord.operation(request.getMethod(), key != null, sub),
                    key, request.getMethod() + " " + request.getRequestURI() + (query == null ? "" : "?" + query) + " "
                    + request.getProtocol(), response.getStatus(), error == null ? null : error.toString(),
                    length == null ? null : Long.parseLong(length), null, millis, millis,
                    request.getHeader("referer"), request.getHeader("user-agent"), response.getHeader("x-amz-version-id"),
                    hostId, request.getHeader("authorization") != null && request.getHeader("authorization").startsWith("AWS ")
                    ? "SigV2" : user == null ? null : "SigV4",
                    request.getAttribute("jakarta.servlet.request.cipher_suite") instanceof String cipher ? cipher : null,
                    user == null ? null : query != null && query.contains("X-Amz-Signature") ? "QueryString" : "AuthHeader",
                    request.getHeader("host"), null));
        } catch (RuntimeException e) {
            LOG.debug("request {}: no access log record: {}", requestId, e.toString());
        }
    }

    /** Server access logging's counters (lines, dropped, objects); empty when this servlet does not log. */
    public Optional<org.mictlanx.s3.accesslog.AccessLogs.Stats> accessLogStats() {
        return accessLogs == null ? Optional.empty() : Optional.of(accessLogs.stats());
    }

    @Override
    public void destroy() {
        if (accessLogs != null) {
            accessLogs.close();
        }
        super.destroy();
    }

    /**
     * A CORS preflight ({@code OPTIONS}): answered from the bucket's CORS rules (or the store-wide
     * default) before and without authentication, as browsers send it without credentials.
     */
    private S3Response preflight(HttpServletRequest request, String rawPath) {
        Optional<String> name = parser.addressedBucket(request.getHeader("host"), rawPath);
        Optional<BucketInfo> bucket = name.flatMap(store::bucket);
        request.setAttribute(OPERATION_ATTRIBUTE, "PreflightRequest");
        return cors.preflight(name, bucket, request.getHeader("origin"),
                request.getHeader("access-control-request-method"), request.getHeader("access-control-request-headers"));
    }

    /** Adds the CORS headers of an actual request (success or error) that carries {@code Origin}. */
    private void corsHeaders(HttpServletRequest request, String rawPath, HttpServletResponse response) {
        String origin = request.getHeader("origin");
        if (origin == null) {
            return;
        }
        Optional<BucketInfo> bucket;
        try {
            bucket = parser.addressedBucket(request.getHeader("host"), rawPath).flatMap(store::bucket);
        } catch (RuntimeException e) {
            LOG.debug("no CORS headers: bucket lookup failed: {}", e.toString());
            return;
        }
        for (Map.Entry<String, String> h : cors.actual(bucket, origin, request.getMethod())) {
            response.setHeader(h.getKey(), h.getValue());
        }
    }
}

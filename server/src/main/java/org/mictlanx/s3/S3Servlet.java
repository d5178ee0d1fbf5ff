package org.mictlanx.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.s3.cors.CorsResponder;
import org.mictlanx.s3.post.PostObjectHandler;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.xolo.policy.Caller;
import org.mictlanx.xolo.sigv2.SigV2Verifier;
import org.mictlanx.xolo.sigv4.AuthResult;
import org.mictlanx.xolo.sigv4.PayloadMode;
import org.mictlanx.xolo.sigv4.SigV4Exception;
import org.mictlanx.xolo.sigv4.AwsChunkedInputStream;
import org.mictlanx.xolo.sigv4.SigV4Bodies;
import org.mictlanx.xolo.sigv4.SigV4Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 front door's one fixed pipeline: parse the request into an {@link S3Operation} →
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
 * connection is aborted so the client sees a short body, never a silently truncated one.
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
    /**
     * Bodies up to this size are read to the end after an error answer, so the client, which is
     * typically still sending, gets the answer on an open connection. Closing instead resets the
     * connection under a client that has not finished sending, which then often loses the answer
     * ("header parser received no bytes"; seen with a 3 MiB DeleteObjects body under a 1 MiB limit).
     */
    private static final long DRAIN_LIMIT = 8L * 1024 * 1024;

    private final transient S3RequestParser parser;
    private final transient Authenticator authenticator;
    private final transient Authorizer authorizer;
    private final transient BallStore store;
    private final transient Dispatcher dispatcher;
    private final transient S3Xml xml;
    private final transient ErrorMapper errors = new ErrorMapper();
    private final transient ErrorRenderer renderer;
    private final transient RequestIds ids = new RequestIds();
    private final transient UnbuiltFeatures features = new UnbuiltFeatures();
    private final transient AclHeaders acls;
    private final transient BufferBudget budget;
    private final transient org.mictlanx.s3.sse.SseTransport sseTransport;
    private final transient Clock clock;
    private final transient CorsResponder cors;
    private final transient PostObjectHandler posts;
    /** What an unsigned request authenticates as: nobody, its payload unsigned. */
    private static final AuthResult ANONYMOUS = new AuthResult(null, PayloadMode.UNSIGNED, null, null, false);

    /** @param posts serves POST object (browser form uploads); null: refused with 501 */
    S3Servlet(S3RequestParser parser, Authenticator authenticator, Authorizer authorizer, BallStore store,
              Dispatcher dispatcher, S3Xml xml, BufferBudget budget, Clock clock, CorsResponder cors,
              PostObjectHandler posts, org.mictlanx.s3.sse.SseTransport sseTransport) {
        this.budget = budget;
        this.sseTransport = sseTransport;
        this.clock = clock;
        this.acls = new AclHeaders(authorizer.policies(), store, authorizer.grantees());
        this.cors = cors;
        this.posts = posts;
        this.parser = parser;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.store = store;
        this.dispatcher = dispatcher;
        this.xml = xml;
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
        java.util.Objects.requireNonNull(accessKeyId, "accessKeyId");
        try (BufferBudget.Lease buffers = budget.open()) {
            serve(request, response, buffers, accessKeyId);
        }
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, BufferBudget.Lease buffers,
                       String sessionKey) throws IOException {
        String requestId = ids.requestId();
        String hostId = ids.hostId();
        stamp(response, requestId, hostId);
        String rawPath = request.getRequestURI();
        boolean head = "HEAD".equalsIgnoreCase(request.getMethod());
        BodyProbe probe = new BodyProbe(request);
        boolean preflight = sessionKey == null && "OPTIONS".equalsIgnoreCase(request.getMethod());
        try {
            S3Response result = preflight ? preflight(request, rawPath)
                    : handle(request, rawPath, requestId, probe, buffers, sessionKey);
            if (!probe.mayDrain()) {
                response.setHeader("Connection", "close");
            }
            if (!preflight) {
                corsHeaders(request, rawPath, response);
            }
            render(result, head, response);
        } catch (Exception failure) {
            S3Exception error = errors.map(failure, requestId);
            request.setAttribute(ERROR_ATTRIBUTE, error.code().code());
            if (response.isCommitted()) {
                LOG.warn("request {}: failed after the response was committed; aborting: {}", requestId,
                        error.getMessage());
                throw new IOException("aborted after commit: " + error.code().code(), failure);
            }
            response.reset();
            stamp(response, requestId, hostId);
            // A client that stopped sending (RequestTimeout) is not waited for a second time.
            if (error.code() == S3ErrorCode.REQUEST_TIMEOUT || !probe.mayDrain() || !drainSmallBody(request)) {
                // The body stays unread, so Jetty will close the connection after this answer: say so,
                // or a client pipelining on a pooled connection sends its next request into the void.
                response.setHeader("Connection", "close");
            }
            if (!preflight) {
                corsHeaders(request, rawPath, response);
            }
            renderer.render(error, head, resource(rawPath), requestId, response);
            return;
        }
        if (probe.mayDrain()) {
            drainSmallBody(request);
        }
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

    private S3Response handle(HttpServletRequest request, String rawPath, String requestId, BodyProbe probe,
                               BufferBudget.Lease buffers, String sessionKey)
            throws IOException {
        String expect = request.getHeader("expect");
        if (expect != null && !expect.strip().equalsIgnoreCase("100-continue")) {
            throw new S3Exception(S3ErrorCode.EXPECTATION_FAILED);
        }
        Map<String, List<String>> received = headers(request);
        String rawQuery = request.getQueryString() == null ? "" : request.getQueryString();
        Map<String, List<String>> headers = sseTransport.withKmsKeyArn(PresignedHeaders.withQueryHeaders(received, rawQuery));
        S3Operation op = parser.parse(request.getMethod(), request.getHeader("host"), rawPath, rawQuery,
                name -> joined(headers, name));
        request.setAttribute(OPERATION_ATTRIBUTE, op.action());
        request.setAttribute(REQUEST_OPERATION_ATTRIBUTE, op);
        if (op instanceof S3Operation.PostObject post) {
            if (sessionKey != null) {
                throw Dispatcher.notImplemented(new S3Operation.NotImplemented("PostObject", post.bucket()));
            }
            return postObject(request, post, requestId, probe, buffers, rawPath);
        }
        SigV4Request signed = new SigV4Request(request.getMethod().toUpperCase(Locale.ROOT), rawPath, rawQuery, received);
        AuthResult auth = sessionKey != null ? new AuthResult(sessionKey, PayloadMode.UNSIGNED, null, null, false)
                : authenticate(signed);
        Caller caller = authorizer.caller(auth.accessKeyId());
        request.setAttribute(ACCESS_KEY_ATTRIBUTE, auth.accessKeyId());
        request.setAttribute(USER_ATTRIBUTE, caller.user());
        if (op instanceof S3Operation.NotImplemented ni) {
            if (caller.anonymous()) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
            }
            throw Dispatcher.notImplemented(ni);
        }
        Optional<BucketInfo> bucket = op.bucket().flatMap(store::bucket);
        if (op instanceof S3Operation.BucketScoped && !(op instanceof S3Operation.CreateBucket) && bucket.isEmpty()) {
            throw new S3Exception(caller.anonymous() ? S3ErrorCode.ACCESS_DENIED : S3ErrorCode.NO_SUCH_BUCKET);
        }
        AddressedBall ball = new AddressedBall(op, bucket);
        RequestConditionKeys keys = new RequestConditionKeys(caller, op, headers, request.getRemoteAddr(),
                request.isSecure(), caller.anonymous() ? null : auth.presigned() ? "REST-QUERY-STRING" : "REST-HEADER",
                caller.anonymous() ? null : sessionKey == null && SigV2Verifier.isSigV2(signed) ? "AWS" : "AWS4-HMAC-SHA256",
                clock.instant(), ball::tags, ball::version);
        authorizer.authorize(caller, op, bucket, keys);
        features.check(op, headers);
        sseTransport.check(headers, request.isSecure());
        acls.check(op, headers, bucket, caller.user());
        long decoded = decodedLength(first(headers, "x-amz-decoded-content-length"));
        InputStream body = SigV4Bodies.open(probe.open(), auth, decoded, buffers);
        long length = auth.payloadMode().chunked() ? decoded : request.getContentLengthLong();
        Supplier<Map<String, String>> trailers = body instanceof AwsChunkedInputStream chunked
                ? chunked::trailers : Map::of;
        S3Request verified = new S3Request(op, auth.accessKeyId(), caller.user(), auth,
                headers, bucket, body, length, trailers, requestId, resource(rawPath), buffers, caller, keys,
                acls.ownership(op, headers, bucket, caller.ownerId()));
        S3Response response = dispatcher.dispatch(verified);
        acls.applied(op, headers, bucket, response, caller.ownerId());
        return response;
    }

    /**
     * SigV4, or anonymous when the request carries no signature at all (no Authorization header, no
     * X-Amz-Signature query): anonymous requests are then authorized against bucket policies.
     */
    private AuthResult authenticate(SigV4Request signed) {
        try {
            return authenticator.authenticate(signed);
        } catch (SigV4Exception e) {
            if (e.reason() == SigV4Exception.Reason.MISSING_AUTHENTICATION) {
                return ANONYMOUS;
            }
            throw e;
        }
    }

    /**
     * The ball an operation addresses, looked up at most once and only when a policy or an ACL asks
     * (its tags for {@code s3:ExistingObjectTag/*}, its version for its ACL).
     */
    private final class AddressedBall {
        private final S3Operation op;
        private final Optional<BucketInfo> bucket;
        private Optional<org.mictlanx.router.BallInfo> ball;

        AddressedBall(S3Operation op, Optional<BucketInfo> bucket) {
            this.op = op;
            this.bucket = bucket;
        }

        private Optional<org.mictlanx.router.BallInfo> get() {
            if (ball == null) {
                ball = Optional.empty();
                String prefix = bucket.map(b -> S3Permissions.bucket(b.name()) + "/").orElse(null);
                String resource = S3Permissions.resource(op);
                if (prefix != null && !(op instanceof S3Operation.DeleteObjects) && resource.startsWith(prefix)) {
                    String key = resource.substring(prefix.length());
                    String versionId = versionId(op);
                    if (versionId == null) {
                        ball = store.headBall(bucket.get().name(), key);
                    } else if (versionId.equals(org.mictlanx.router.meta.VersionIds.NULL)
                            || org.mictlanx.router.meta.VersionIds.wellFormed(versionId)) {
                        // the addressed version's own tags and ACL, never the latest's
                        ball = store.headBallVersion(bucket.get().name(), key, versionId)
                                .filter(b -> !b.deleteMarker());
                    }
                }
            }
            return ball;
        }

        /** The {@code versionId} an object operation names, {@code null} for the latest. */
        private static String versionId(S3Operation op) {
            return switch (op) {
                case S3Operation.GetObject o -> o.versionId();
                case S3Operation.HeadObject o -> o.versionId();
                case S3Operation.DeleteObject o -> o.versionId();
                case S3Operation.GetObjectTagging o -> o.versionId();
                case S3Operation.PutObjectTagging o -> o.versionId();
                case S3Operation.DeleteObjectTagging o -> o.versionId();
                case S3Operation.GetObjectAttributes o -> o.versionId();
                case S3Operation.GetObjectAcl o -> o.versionId();
                case S3Operation.PutObjectAcl o -> o.versionId();
                case S3Operation.GetObjectRetention o -> o.versionId();
                case S3Operation.PutObjectRetention o -> o.versionId();
                case S3Operation.GetObjectLegalHold o -> o.versionId();
                case S3Operation.PutObjectLegalHold o -> o.versionId();
                default -> null;
            };
        }

        Map<String, String> tags() {
            return get().map(org.mictlanx.router.BallInfo::tags).orElse(null);
        }

        org.mictlanx.xolo.policy.ObjectVersion version() {
            return get().map(org.mictlanx.xolo.policy.ObjectVersion::of).orElse(org.mictlanx.xolo.policy.ObjectVersion.NONE);
        }
    }

    /**
     * POST object: authenticated by the form's policy signature instead of request headers; the
     * handler admits the upload through the same authorization and unbuilt-feature checks.
     */
    private S3Response postObject(HttpServletRequest request, S3Operation.PostObject post, String requestId,
                                  BodyProbe probe, BufferBudget.Lease buffers, String rawPath) throws IOException {
        if (posts == null) {
            throw Dispatcher.notImplemented(new S3Operation.NotImplemented("PostObject", post.bucket()));
        }
        Optional<BucketInfo> bucket = store.bucket(post.bucketName());
        if (bucket.isEmpty()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET);
        }
        return posts.post(new PostObjectHandler.Incoming(post.bucketName(), bucket, request.getHeader("content-type"),
                        request.getHeader("host"), probe.open(), requestId, resource(rawPath), buffers),
                new PostObjectHandler.Admission() {
                    @Override
                    public PostObjectHandler.Admitted admit(String accessKeyId, String signatureVersion,
                                                            S3Operation.PutObject put, Map<String, List<String>> fields) {
                        Caller caller = authorizer.caller(accessKeyId);
                        request.setAttribute(ACCESS_KEY_ATTRIBUTE, accessKeyId);
                        request.setAttribute(USER_ATTRIBUTE, caller.user());
                        AddressedBall ball = new AddressedBall(put, bucket);
                        RequestConditionKeys keys = new RequestConditionKeys(caller, put, sseTransport.withKmsKeyArn(fields),
                                request.getRemoteAddr(),
                                request.isSecure(), "POST", signatureVersion, clock.instant(), ball::tags, ball::version);
                        authorizer.authorize(caller, put, bucket, keys);
                        features.check(put, fields);
                        sseTransport.check(fields, request.isSecure());
                        acls.check(put, fields, bucket, caller.user());
                        return new PostObjectHandler.Admitted(caller, keys,
                                acls.ownership(put, fields, bucket, caller.ownerId()));
                    }

                    @Override
                    public void stored(PostObjectHandler.Admitted admitted, S3Operation.PutObject put,
                                       Map<String, List<String>> fields, S3Response response) {
                        acls.applied(put, fields, bucket, response, admitted.caller().ownerId());
                    }
                });
    }

    private void render(S3Response result, boolean head, HttpServletResponse response) throws IOException {
        response.setStatus(result.status());
        boolean hasLength = false;
        for (Map.Entry<String, String> h : result.headers()) {
            if (h.getKey().equalsIgnoreCase("Content-Length")) {
                response.setContentLengthLong(Long.parseLong(h.getValue()));
                hasLength = true;
            } else {
                response.addHeader(h.getKey(), h.getValue());
            }
        }
        switch (result.body()) {
            case S3Response.Empty e -> {
                if (!hasLength) {
                    response.setContentLength(0);
                }
            }
            case S3Response.Xml x -> {
                byte[] bytes = xml.write(x.value());
                response.setContentType("application/xml");
                response.setContentLength(bytes.length);
                if (!head) {
                    response.getOutputStream().write(bytes);
                }
            }
            case S3Response.Stream s -> {
                try (InputStream in = s.in()) {
                    if (!head) {
                        copy(in, response.getOutputStream(), s.length());
                    }
                }
            }
        }
    }

    /** Streams exactly {@code length} bytes; a stream may override {@code transferTo} to skip a copy. */
    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        long n = in.transferTo(out);
        if (n != length) {
            throw new IOException("ball stream gave " + n + " of " + length + " bytes");
        }
    }

    /**
     * Reads and discards what is left of a request body of at most {@code DRAIN_LIMIT} bytes, so the
     * connection can serve the next request. Returns whether the body is now fully consumed.
     */
    private static boolean drainSmallBody(HttpServletRequest request) {
        try {
            jakarta.servlet.ServletInputStream in = request.getInputStream();
            if (in.isFinished()) {
                return true;
            }
            long length = request.getContentLengthLong();
            if (length > DRAIN_LIMIT) {
                return false;
            }
            byte[] sink = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(sink)) >= 0) {
                total += n;
                if (total > DRAIN_LIMIT) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not drain request body: {}", e.toString());
            return false;
        }
    }

    /**
     * Watches the request body: whether the handler has started reading it (which is when Jetty sends
     * {@code 100 Continue}), and so whether reading the rest after the answer is allowed.
     */
    private static final class BodyProbe {
        private final HttpServletRequest request;
        private final boolean announced;
        private final boolean bodyless;
        private final boolean expectsContinue;
        private final boolean unknownExpectation;
        private boolean touched;

        BodyProbe(HttpServletRequest request) {
            this.request = request;
            this.announced = request.getContentLengthLong() > 0 || request.getHeader("transfer-encoding") != null;
            String m = request.getMethod().toUpperCase(Locale.ROOT);
            this.bodyless = m.equals("GET") || m.equals("HEAD") || m.equals("DELETE");
            String expect = request.getHeader("expect");
            this.expectsContinue = expect != null && expect.strip().equalsIgnoreCase("100-continue");
            this.unknownExpectation = expect != null && !expectsContinue;
        }

        /**
         * The body for the handler; the first read marks it touched and only then asks Jetty for the
         * servlet input stream (asking for it already sends {@code 100 Continue}, which would invite the
         * body of a request the handler then refuses, e.g. a write past its bucket's quota).
         */
        InputStream open() {
            return new InputStream() {
                private InputStream in;

                private InputStream in() throws IOException {
                    touched = true;
                    if (in == null) in = request.getInputStream();
                    return in;
                }

                @Override
                public int read() throws IOException {
                    return in().read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in().read(b, off, len);
                }

                @Override
                public long skip(long n) throws IOException {
                    return in().skip(n);
                }

                @Override
                public int available() throws IOException {
                    return in == null ? 0 : in.available();
                }

                @Override
                public void close() throws IOException {
                    if (in != null) in.close();
                }
            };
        }

        /**
         * Whether the rest of the body may be read after the answer so the connection can be kept:
         * not when the client waits for {@code 100 Continue} that was never sent (reading would
         * invite the body of a refused request), not after an unknown expectation (the client may
         * wait), and not for a GET/HEAD/DELETE announcing a body it may never send (reading would
         * hang the answer).
         */
        boolean mayDrain() {
            if (!announced) {
                return true;
            }
            return !bodyless && !unknownExpectation && !(expectsContinue && !touched);
        }
    }

    private static void stamp(HttpServletResponse response, String requestId, String hostId) {
        response.setHeader("x-amz-request-id", requestId);
        response.setHeader("x-amz-id-2", hostId);
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            List<String> values = out.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>());
            values.addAll(Collections.list(request.getHeaders(name)));
        }
        return out;
    }

    private static String first(Map<String, List<String>> headers, String lowerName) {
        List<String> v = headers.get(lowerName);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** All values of a header joined by commas (RFC 9110 list semantics), or null. */
    private static String joined(Map<String, List<String>> headers, String lowerName) {
        List<String> v = headers.get(lowerName);
        return v == null || v.isEmpty() ? null : String.join(",", v);
    }

    private static long decodedLength(String value) {
        if (value == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid x-amz-decoded-content-length");
        }
    }

    /** The decoded path for error bodies; the raw path when it does not decode. */
    private static String resource(String rawPath) {
        try {
            return Uris.decodePath(rawPath);
        } catch (S3Exception e) {
            return rawPath;
        }
    }
}

package org.mictlanx.s3;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;

import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.s3.post.PostObjectHandler;
import org.mictlanx.s3.sse.SseTransport;
import org.mictlanx.xolo.policy.Caller;
import org.mictlanx.xolo.sigv2.SigV2Verifier;
import org.mictlanx.xolo.sigv4.AuthResult;
import org.mictlanx.xolo.sigv4.AwsChunkedInputStream;
import org.mictlanx.xolo.sigv4.PayloadMode;
import org.mictlanx.xolo.sigv4.SigV4Bodies;
import org.mictlanx.xolo.sigv4.SigV4Exception;
import org.mictlanx.xolo.sigv4.SigV4Request;

/**
 * The front door's request pipeline, from the servlet request to the handler's {@link S3Response}:
 * parse into an {@link S3Operation} → authenticate (SigV4 or SigV2, every {@code x-amz-*} header
 * signed; a request without any signature is anonymous; a console session is taken as already
 * authenticated) → look up the bucket → authorize (the permission table {@link S3Permissions} and the
 * policy engine; an anonymous caller gets AccessDenied, never NoSuchBucket) → refuse unbuilt features
 * ({@link UnbuiltFeatures}), SSE headers the transport does not allow and ACLs the bucket does not
 * allow ({@link AclHeaders}) → open the (possibly aws-chunked) body → dispatch to the family's handler
 * → store the ACL a successful write asked for. Handlers only ever see a verified {@link S3Request}.
 * Every failure is thrown (an {@link S3Exception} or what {@link ErrorMapper} maps); no body byte is
 * read before the request is authorized and its bucket found. Thread-safe.
 */
final class S3Pipeline {

    /** What an unsigned request authenticates as: nobody, its payload unsigned. */
    private static final AuthResult ANONYMOUS = new AuthResult(null, PayloadMode.UNSIGNED, null, null, false);

    private final S3RequestParser parser;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final BallStore store;
    private final Dispatcher dispatcher;
    private final UnbuiltFeatures features = new UnbuiltFeatures();
    private final AclHeaders acls;
    private final SseTransport sseTransport;
    private final Clock clock;
    private final PostObjectHandler posts;
    /** Queues event notifications of successful writes; null: none. */
    private final org.mictlanx.s3.notify.EventRecorder events;

    /**
     * @param posts  serves POST object (browser form uploads); null: refused with 501
     * @param events queues event notifications of successful writes; null: none
     */
    S3Pipeline(S3RequestParser parser, Authenticator authenticator, Authorizer authorizer, BallStore store,
               Dispatcher dispatcher, Clock clock, PostObjectHandler posts, SseTransport sseTransport,
               org.mictlanx.s3.notify.EventRecorder events) {
        this.events = events;
        this.parser = parser;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.store = store;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.posts = posts;
        this.sseTransport = sseTransport;
        this.acls = new AclHeaders(authorizer.policies(), store, authorizer.grantees());
    }

    /**
     * Runs the pipeline for one request.
     *
     * @param sessionKey the access key a console session authenticated, or null for a request that
     *                   authenticates itself
     */
    S3Response handle(HttpServletRequest request, String rawPath, String requestId, BodyProbe probe,
                      BufferBudget.Lease buffers, String sessionKey) throws IOException {
        probe.checkExpectation();
        Map<String, List<String>> received = headers(request);
        String rawQuery = request.getQueryString() == null ? "" : request.getQueryString();
        Map<String, List<String>> headers = sseTransport.withKmsKeyArn(PresignedHeaders.withQueryHeaders(received, rawQuery));
        S3Operation op = parser.parse(request.getMethod(), request.getHeader("host"), rawPath, rawQuery,
                name -> joined(headers, name));
        request.setAttribute(S3Servlet.OPERATION_ATTRIBUTE, op.action());
        request.setAttribute(S3Servlet.REQUEST_OPERATION_ATTRIBUTE, op);
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
        request.setAttribute(S3Servlet.ACCESS_KEY_ATTRIBUTE, auth.accessKeyId());
        request.setAttribute(S3Servlet.USER_ATTRIBUTE, caller.user());
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
        AddressedBall ball = new AddressedBall(store, op, bucket);
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
        // the scope writes the intent that covers a crash between the commit and the queued events
        org.mictlanx.s3.notify.EventScope scope = events == null ? org.mictlanx.s3.notify.EventScope.NONE
                : events.begin(op, bucket, origin(caller, request, requestId));
        S3Request verified = new S3Request(op, auth.accessKeyId(), caller.user(), auth,
                headers, bucket, body, length, trailers, requestId, resource(rawPath), buffers, caller, keys,
                scope.withStoredHeaders(acls.ownership(op, headers, bucket, caller.ownerId())), scope);
        S3Response response;
        try {
            response = dispatcher.dispatch(verified);
        } catch (S3Exception refused) {
            if (refused.code().status() < 500) scope.refused(); // refused before anything was committed
            throw refused;
        }
        acls.applied(op, headers, bucket, response, caller.ownerId());
        scope.recorded(response);
        return response;
    }

    private static org.mictlanx.s3.notify.EventRecorder.Origin origin(Caller caller, HttpServletRequest request,
                                                                      String requestId) {
        return new org.mictlanx.s3.notify.EventRecorder.Origin(caller.anonymous() || caller.user() == null
                ? "anonymous" : caller.user(), String.valueOf(request.getRemoteAddr()), requestId);
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
        org.mictlanx.s3.notify.EventScope[] scope = {org.mictlanx.s3.notify.EventScope.NONE};
        try {
            return posts.post(new PostObjectHandler.Incoming(post.bucketName(), bucket, request.getHeader("content-type"),
                            request.getHeader("host"), probe.open(), requestId, resource(rawPath), buffers),
                    new PostObjectHandler.Admission() {
                        @Override
                        public PostObjectHandler.Admitted admit(String accessKeyId, String signatureVersion,
                                                                S3Operation.PutObject put, Map<String, List<String>> fields) {
                            Caller caller = authorizer.caller(accessKeyId);
                            request.setAttribute(S3Servlet.ACCESS_KEY_ATTRIBUTE, accessKeyId);
                            request.setAttribute(S3Servlet.USER_ATTRIBUTE, caller.user());
                            AddressedBall ball = new AddressedBall(store, put, bucket);
                            RequestConditionKeys keys = new RequestConditionKeys(caller, put, sseTransport.withKmsKeyArn(fields),
                                    request.getRemoteAddr(),
                                    request.isSecure(), "POST", signatureVersion, clock.instant(), ball::tags, ball::version);
                            authorizer.authorize(caller, put, bucket, keys);
                            features.check(put, fields);
                            sseTransport.check(fields, request.isSecure());
                            acls.check(put, fields, bucket, caller.user());
                            if (events != null) scope[0] = events.beginPost(bucket.get(), put, origin(caller, request, requestId));
                            return new PostObjectHandler.Admitted(caller, keys,
                                    scope[0].withStoredHeaders(acls.ownership(put, fields, bucket, caller.ownerId())));
                        }

                        @Override
                        public void stored(PostObjectHandler.Admitted admitted, S3Operation.PutObject put,
                                           Map<String, List<String>> fields, S3Response response) {
                            acls.applied(put, fields, bucket, response, admitted.caller().ownerId());
                            scope[0].recorded(response);
                        }
                    });
        } catch (S3Exception refused) {
            if (refused.code().status() < 500) scope[0].refused(); // the upload was refused before its commit
            throw refused;
        }
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
    static String resource(String rawPath) {
        try {
            return Uris.decodePath(rawPath);
        } catch (S3Exception e) {
            return rawPath;
        }
    }
}

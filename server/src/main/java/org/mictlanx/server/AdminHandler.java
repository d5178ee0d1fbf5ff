package org.mictlanx.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.mictlanx.xolo.sigv4.AuthResult;
import org.mictlanx.xolo.sigv4.SigV4Exception;
import org.mictlanx.xolo.sigv4.SigV4Request;
import org.mictlanx.xolo.sigv4.SigV4Verifier;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The admin API under {@code /_mictlanx/admin/} (no bucket name can start with '_', so it never
 * shadows S3). Requests are SigV4-signed like S3 requests. Every route needs one admin action
 * ({@link AdminRoutes}, the one table): root has them all, another user those its policies grant
 * ({@link Authorizer}, e.g. the built-in {@code consoleAdmin}); anyone else gets 403 {@code AccessDenied}.
 * Answers are JSON; errors are {@code {"error": CODE, "message": TEXT}} ({@link AdminErrors}, the one table).
 *
 * <ul>
 *   <li>{@code POST /_mictlanx/admin/users?name=NAME}: creates a user, returns its first key and secret;</li>
 *   <li>{@code GET /_mictlanx/admin/users}: every user with its status; {@code ?name=NAME}: one user and its keys;</li>
 *   <li>{@code DELETE /_mictlanx/admin/users?name=NAME}: deletes a user and its keys;</li>
 *   <li>{@code POST /_mictlanx/admin/users/disable?name=NAME} and {@code users/enable}: refuse or accept
 *       all of a user's keys again;</li>
 *   <li>{@code GET /_mictlanx/admin/keys?user=NAME}: a user's access keys (never secrets);
 *       {@code POST keys?user=NAME}: issues another key and returns its secret (rotation);
 *       {@code DELETE keys?user=NAME&accessKey=ID}: deletes one; {@code POST keys/disable} and
 *       {@code keys/enable} with the same parameters;</li>
 *   <li>{@code GET /_mictlanx/admin/policies}: every user policy (built-ins included); {@code ?name=N}: one
 *       with its document; {@code ?user=U}: the policies attached to a user;
 *       {@code PUT policies?name=N} with the policy JSON as the (signed) body: creates or replaces it
 *       (400 {@code MalformedPolicy} with S3's message); {@code DELETE policies?name=N} (409 while attached);
 *       {@code POST policies/attach?user=U&name=N} and {@code policies/detach} ({@code group=G} instead of
 *       {@code user=U}: a group's; {@code GET policies?group=G}: the policies attached to a group);</li>
 *   <li>{@code GET /_mictlanx/admin/groups}: every group; {@code ?name=G}: its members and policies;
 *       {@code POST groups?name=G} creates one (409 EntityAlreadyExists), {@code DELETE groups?name=G}
 *       (409 DeleteConflict while it has members or policies); {@code POST groups/members?name=G&user=U}
 *       adds a member, {@code DELETE groups/members?name=G&user=U} removes it;</li>
 *   <li>{@code POST /_mictlanx/admin/root/rotate}: draws a new root secret when the server keeps it
 *       (409 {@code ROOT_FROM_SETTINGS} when it comes from the settings);</li>
 *   <li>{@code POST /_mictlanx/admin/kms[?description=D]}: creates an SSE-KMS key of the built-in key
 *       service; {@code GET kms}: every key; {@code GET kms?id=ID}: one key (state, versions; never
 *       material); {@code POST kms/disable?id=ID}, {@code kms/enable}, {@code kms/rotate} (a new
 *       current version; old ones stay for reading); {@code POST kms/schedule-deletion?id=ID&days=N}
 *       (7-30, default 30: PendingDeletion, deleted when the period ends) and {@code kms/cancel-deletion};
 *       {@code POST kms/rewrap-master}: starts the background re-wrap of every KMS key version and ball
 *       data key under the current master key and returns its status at once; {@code GET kms/rewrap-master}:
 *       its progress;</li>
 *   <li>{@code GET /_mictlanx/admin/stats}: router and peer statistics;</li>
 *   <li>{@code POST /_mictlanx/admin/repair}: runs a repair pass now (returns when done);</li>
 *   <li>{@code GET /_mictlanx/admin/layout}: the cluster layout (peers, zones, weights, draining);</li>
 *   <li>{@code POST /_mictlanx/admin/peers?id=ID&url=URL[&zone=Z][&weight=W]}: adds a peer; its share
 *       of the data moves to it in the background;</li>
 *   <li>{@code POST /_mictlanx/admin/peers/replace?id=ID&url=URL}: points a peer id at a new (e.g.
 *       empty) peer; repair refills it;</li>
 *   <li>{@code POST /_mictlanx/admin/peers/drain?id=ID}: stops placing data on the peer, moves its data
 *       away, then removes it (returns when done);</li>
 *   <li>{@code POST /_mictlanx/admin/peers/remove?id=ID}: removes a dead peer now; repair restores its replicas;</li>
 *   <li>{@code POST /_mictlanx/admin/peers/rebuild?id=ID}: starts a peer's online rebuild (Router#rebuildPeer); its status;</li>
 *   <li>{@code GET /_mictlanx/admin/buckets}: every bucket with owner, size, object count, open uploads' bytes and
 *       quota; {@code ?name=N}: one bucket (404 {@code NoSuchBucket});</li>
 *   <li>{@code POST /_mictlanx/admin/buckets/quota?name=N&size=S} ({@code 10GiB}, {@code 500MB}, bytes) sets a hard
 *       quota, {@code DELETE buckets/quota?name=N} clears it; {@code POST buckets/recount[?name=N]} recounts usage.</li>
 *   <li>{@code GET /_mictlanx/admin/notify/targets}: event notification targets (settings and admin ones);
 *       {@code POST notify/targets?id=ID&url=URL} adds a webhook {@code arn:mictlanx:sqs::ID:webhook} (replicated,
 *       seen by every router), {@code DELETE notify/targets?id=ID} removes one (409 TargetInUse while a bucket uses it,
 *       409 TargetFromSettings for a settings target, 404 NoSuchTarget).</li>
 *   <li>{@code GET /_mictlanx/admin/trace[?bucket=B&status=S&user=U&operation=O&queue=N]}: a live stream of the
 *       requests this router serves ({@link TraceStream}); 404 when the server runs without a trace publisher.</li>
 * </ul>
 */
public final class AdminHandler extends Handler.Wrapper {

    public static final String PREFIX = "/_mictlanx/admin/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SigV4Verifier verifier;
    private final Admin admin;
    private final PolicyAdmin policies;
    private final BucketAdmin buckets;
    private final NotifyAdmin notify;
    private final TraceStream trace;
    private final Authorizer authorizer;

    public AdminHandler(Handler next, SigV4Verifier verifier, Admin admin, PolicyAdmin policies) {
        this(next, verifier, admin, policies, null, null);
    }

    /** @param trace the requests {@code GET trace} streams; null: no trace endpoint */
    public AdminHandler(Handler next, SigV4Verifier verifier, Admin admin, PolicyAdmin policies, TracePublisher trace) {
        this(next, verifier, admin, policies, null, trace);
    }

    /**
     * @param buckets the bucket usage and quota routes ({@code buckets...}); null: none
     * @param trace   the requests {@code GET trace} streams; null: no trace endpoint
     */
    public AdminHandler(Handler next, SigV4Verifier verifier, Admin admin, PolicyAdmin policies, BucketAdmin buckets,
                        TracePublisher trace) {
        this(next, verifier, admin, policies, buckets, null, trace, null);
    }

    /**
     * @param authorizer who may run which admin action ({@link AdminAccess}); null: the root user only
     */
    public AdminHandler(Handler next, SigV4Verifier verifier, Admin admin, PolicyAdmin policies, BucketAdmin buckets,
                        TracePublisher trace, Authorizer authorizer) {
        this(next, verifier, admin, policies, buckets, null, trace, authorizer);
    }

    /** @param notify the event notification target routes ({@code notify/targets}); null: none */
    AdminHandler(Handler next, SigV4Verifier verifier, Admin admin, PolicyAdmin policies, BucketAdmin buckets,
                 NotifyAdmin notify, TracePublisher trace) {
        this(next, verifier, admin, policies, buckets, notify, trace, null);
    }

    /**
     * @param notify     the event notification target routes ({@code notify/targets}); null: none
     * @param authorizer who may run which admin action ({@link AdminAccess}); null: the root user only
     */
    public AdminHandler(Handler next, SigV4Verifier verifier, Admin admin, PolicyAdmin policies, BucketAdmin buckets,
                        NotifyAdmin notify, TracePublisher trace, Authorizer authorizer) {
        super(next);
        this.authorizer = authorizer != null ? authorizer : (key, action) -> admin.isRoot(key);
        this.buckets = buckets;
        this.notify = notify;
        this.verifier = verifier;
        this.admin = admin;
        this.policies = policies;
        this.trace = trace == null ? null : new TraceStream(trace);
    }

    /** Whether a caller may run an admin action ({@link AdminRoutes}); implemented by {@link AdminAccess}. */
    @FunctionalInterface
    public interface Authorizer {
        boolean allowed(String accessKeyId, String action);
    }

    /** Whether the caller (already authenticated) may run the admin action (as {@link AdminRoutes} names it). */
    public boolean allowed(String accessKeyId, String action) {
        return authorizer.allowed(accessKeyId, action);
    }

    /** What the admin API can do; implemented by the server assembly over identity and router. */
    public interface Admin {
        boolean isRoot(String accessKeyId);

        Map<String, String> addUser(String name);

        Map<String, Object> listUsers();

        Map<String, Object> showUser(String name);

        Map<String, Object> deleteUser(String name);

        Map<String, Object> setUserEnabled(String name, boolean enabled);

        Map<String, Object> listKeys(String user);

        Map<String, Object> addKey(String user);

        Map<String, Object> deleteKey(String user, String accessKeyId);

        Map<String, Object> setKeyEnabled(String user, String accessKeyId, boolean enabled);

        Map<String, Object> rotateRoot();

        Map<String, Object> stats();

        /** Version, uptime, layout, every peer with its state and capacity, repair and GC progress. */
        Map<String, Object> info();

        Map<String, Object> repairNow();

        Map<String, Object> layout();

        /**
         * The built-in key service of SSE-KMS: {@code action} create (with {@code description}),
         * list, describe, disable, enable, rotate, schedule-deletion (with {@code days}, 7-30) or
         * cancel-deletion ({@code keyId} for these), rewrap-master (starts the background re-wrap of
         * KMS keys and balls under the current master key) or rewrap-status (its progress).
         */
        Map<String, Object> kms(String action, String keyId, String description, Integer days);

        /** Applies a membership change; {@code action} is add, replace, drain or remove. */
        Map<String, Object> changePeers(String action, String id, String url, String zone, Double weight);
    }

    /** An admin answer: HTTP status and the JSON body. */
    public record Reply(int status, Object body) {
    }

    /** Reads a request body (only PUT policies has one); called at most once, only after authorization. */
    @FunctionalInterface
    public interface BodyReader {
        byte[] read() throws java.io.IOException;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(PREFIX)) return super.handle(request, response, callback);
        String action = path.substring(PREFIX.length());
        try {
            AuthResult auth = verifier.verify(toSigV4(request));
            request.setAttribute(org.mictlanx.s3.S3Servlet.ACCESS_KEY_ATTRIBUTE, auth.accessKeyId());
            boolean putPolicy = action.equals("policies") && request.getMethod().equals("PUT");
            if (!putPolicy && auth.payloadMode() != org.mictlanx.xolo.sigv4.PayloadMode.UNSIGNED
                    && !org.mictlanx.xolo.sigv4.SigV4Crypto.EMPTY_SHA256.equals(auth.payloadSha256())) {
                // The admin API takes no request bodies: only the empty payload may be signed.
                return json(response, callback, 400, Map.of("error", "InvalidRequest", "message", "admin requests carry no body"));
            }
            boolean root = admin.isRoot(auth.accessKeyId());
            if (root) request.setAttribute(org.mictlanx.s3.S3Servlet.USER_ATTRIBUTE, "root");
            if (action.equals("trace") && request.getMethod().equals("GET") && trace != null
                    && authorizer.allowed(auth.accessKeyId(), "admin:Trace")) {
                request.setAttribute(Observability.NOT_TRACED_ATTRIBUTE, Boolean.TRUE);
                try {
                    return trace.serve(request, response, callback, Request.extractQueryParameters(request));
                } catch (IllegalArgumentException e) {
                    return json(response, callback, 400, Map.of("error", "InvalidArgument", "message", String.valueOf(e.getMessage())));
                }
            }
            Reply reply = answer(auth.accessKeyId(), request.getMethod(), action, Request.extractQueryParameters(request),
                    () -> signedBody(request, auth));
            return json(response, callback, reply.status(), reply.body());
        } catch (SigV4Exception e) {
            return json(response, callback, e.reason() == SigV4Exception.Reason.AUTHORIZATION_HEADER_MALFORMED ? 400 : 403,
                    Map.of("error", e.reason().name(), "message", String.valueOf(e.getMessage())));
        }
    }

    /**
     * Runs one admin action for an authenticated caller: the one authorization rule (the route's
     * action from {@link AdminRoutes}, decided by the {@link Authorizer}) and the one routing table,
     * shared by the signed admin API and the web console.
     *
     * @param accessKeyId who asks (already authenticated)
     * @param action      the path after {@link #PREFIX}, e.g. {@code users} or {@code policies/attach}
     * @param body        the policy document for {@code PUT policies}
     */
    public Reply answer(String accessKeyId, String method, String action, Fields query, BodyReader body) throws Exception {
        try {
            String needed = AdminRoutes.action(method, action, query);
            if (needed == null) {
                return new Reply(404, Map.of("error", "NoSuchAdminAction", "message", method + " " + PREFIX + action));
            }
            if (!authorizer.allowed(accessKeyId, needed)) {
                return new Reply(403, Map.of("error", "AccessDenied", "message", AdminRoutes.ROOT_ONLY.equals(needed)
                        ? "only the root user may " + method + " " + PREFIX + action
                        : "only the root user or a user whose policy allows " + needed + " may " + method + " " + PREFIX + action));
            }
            if (action.equals("policies") && method.equals("PUT")) {
                return new Reply(200, policies.put(param(query, "name"), body.read()));
            }
            if (action.equals("users") && method.equals("POST")) {
                String name = query.getValue("name");
                if (name == null || !name.matches("[A-Za-z0-9._@+=,-]{1,64}")) {
                    return new Reply(400, Map.of("error", "InvalidArgument", "message", "name must be 1-64 of [A-Za-z0-9._@+=,-]"));
                }
                return new Reply(200, admin.addUser(name));
            }
            Object policy = policy(action, method, query);
            if (policy != null) return new Reply(200, policy);
            Object bucket = bucket(action, method, query);
            if (bucket != null) return new Reply(200, bucket);
            if (notify != null && action.equals("notify/targets")) {
                Object target = switch (method) {
                    case "GET" -> notify.list();
                    case "POST" -> notify.add(param(query, "id"), param(query, "url"));
                    case "DELETE" -> notify.remove(param(query, "id"));
                    default -> null;
                };
                if (target != null) return new Reply(200, target);
            }
            Object identity = identity(action, method, query);
            if (identity != null) return new Reply(200, identity);
            if (action.equals("kms") || action.startsWith("kms/")) {
                String kmsAction = switch (method + " " + action) {
                    case "POST kms" -> "create";
                    case "GET kms" -> query.getValue("id") == null ? "list" : "describe";
                    case "POST kms/disable" -> "disable";
                    case "POST kms/enable" -> "enable";
                    case "POST kms/rotate" -> "rotate";
                    case "POST kms/rewrap-master" -> "rewrap-master";
                    case "GET kms/rewrap-master" -> "rewrap-status";
                    case "POST kms/schedule-deletion" -> "schedule-deletion";
                    case "POST kms/cancel-deletion" -> "cancel-deletion";
                    default -> null;
                };
                if (kmsAction != null) {
                    String days = query.getValue("days");
                    Integer pendingDays;
                    try {
                        pendingDays = days == null ? null : Integer.valueOf(days.strip());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("days must be a number of days (7 to 30)");
                    }
                    return new Reply(200, admin.kms(kmsAction, query.getValue("id"), query.getValue("description"), pendingDays));
                }
            }
            if (action.equals("stats") && method.equals("GET")) return new Reply(200, admin.stats());
            if (action.equals("info") && method.equals("GET")) return new Reply(200, admin.info());
            if (action.equals("repair") && method.equals("POST")) return new Reply(200, admin.repairNow());
            if (action.equals("layout") && method.equals("GET")) return new Reply(200, admin.layout());
            if ((action.equals("peers") || action.startsWith("peers/")) && method.equals("POST")) {
                String change = action.equals("peers") ? "add" : action.substring("peers/".length());
                String weight = query.getValue("weight");
                return new Reply(200, admin.changePeers(change, query.getValue("id"), query.getValue("url"),
                        query.getValue("zone"), weight == null ? null : Double.valueOf(weight)));
            }
            return new Reply(404, Map.of("error", "NoSuchAdminAction", "message", method + " " + PREFIX + action));
        } catch (RuntimeException e) {
            return AdminErrors.reply(e);
        }
    }

    /** The bucket usage and quota routes; null when {@code action} is none of them. */
    private Object bucket(String action, String method, Fields query) {
        if (buckets == null) return null;
        return switch (method + " " + action) {
            case "GET buckets" -> query.getValue("name") == null ? buckets.list() : buckets.show(query.getValue("name"));
            case "POST buckets/quota" -> buckets.setQuota(param(query, "name"), param(query, "size"));
            case "DELETE buckets/quota" -> buckets.clearQuota(param(query, "name"));
            case "POST buckets/recount" -> buckets.recount(query.getValue("name"));
            default -> null;
        };
    }

    /** The user and key routes other than user creation; null when {@code action} is none of them. */
    private Object identity(String action, String method, Fields query) {
        return switch (method + " " + action) {
            case "GET users" -> query.getValue("name") == null ? admin.listUsers() : admin.showUser(query.getValue("name"));
            case "DELETE users" -> admin.deleteUser(param(query, "name"));
            case "POST users/disable" -> admin.setUserEnabled(param(query, "name"), false);
            case "POST users/enable" -> admin.setUserEnabled(param(query, "name"), true);
            case "GET keys" -> admin.listKeys(param(query, "user"));
            case "POST keys" -> admin.addKey(param(query, "user"));
            case "DELETE keys" -> admin.deleteKey(param(query, "user"), param(query, "accessKey"));
            case "POST keys/disable" -> admin.setKeyEnabled(param(query, "user"), param(query, "accessKey"), false);
            case "POST keys/enable" -> admin.setKeyEnabled(param(query, "user"), param(query, "accessKey"), true);
            case "POST root/rotate" -> admin.rotateRoot();
            default -> null;
        };
    }

    /** The user policy routes other than PUT; null when {@code action} is none of them. */
    private Object policy(String action, String method, Fields query) {
        return switch (method + " " + action) {
            case "GET policies" -> query.getValue("name") != null ? policies.show(query.getValue("name"))
                    : query.getValue("user") != null ? policies.attached(query.getValue("user"))
                    : query.getValue("group") != null ? policies.groupAttached(query.getValue("group")) : policies.list();
            case "DELETE policies" -> policies.delete(param(query, "name"));
            case "POST policies/attach" -> query.getValue("group") != null
                    ? policies.attachToGroup(param(query, "group"), param(query, "name"))
                    : policies.attach(param(query, "user"), param(query, "name"));
            case "POST policies/detach" -> query.getValue("group") != null
                    ? policies.detachFromGroup(param(query, "group"), param(query, "name"))
                    : policies.detach(param(query, "user"), param(query, "name"));
            case "GET groups" -> query.getValue("name") != null ? policies.showGroup(query.getValue("name")) : policies.listGroups();
            case "POST groups" -> policies.createGroup(param(query, "name"));
            case "DELETE groups" -> policies.deleteGroup(param(query, "name"));
            case "POST groups/members" -> policies.addMember(param(query, "name"), param(query, "user"));
            case "DELETE groups/members" -> policies.removeMember(param(query, "name"), param(query, "user"));
            default -> null;
        };
    }

    /** The request body, at most a policy's size, checked against the signed payload hash (which must be signed). */
    private static byte[] signedBody(Request request, AuthResult auth) throws java.io.IOException {
        if (auth.payloadMode() != org.mictlanx.xolo.sigv4.PayloadMode.SIGNED) {
            throw new IllegalArgumentException("a policy body must be signed (x-amz-content-sha256: its SHA-256)");
        }
        byte[] body;
        try (java.io.InputStream in = org.eclipse.jetty.io.Content.Source.asInputStream(request)) {
            body = in.readNBytes(org.mictlanx.xolo.policy.PolicyParser.MAX_BYTES + 1);
        }
        if (body.length > org.mictlanx.xolo.policy.PolicyParser.MAX_BYTES) {
            throw new IllegalArgumentException("a policy is at most " + org.mictlanx.xolo.policy.PolicyParser.MAX_BYTES + " bytes");
        }
        if (!org.mictlanx.xolo.sigv4.SigV4Crypto.constantTimeEquals(auth.payloadSha256(),
                org.mictlanx.xolo.sigv4.SigV4Crypto.sha256Hex(body))) {
            throw new IllegalArgumentException("the body does not match x-amz-content-sha256");
        }
        return body;
    }

    private static String param(Fields query, String name) {
        String v = query.getValue(name);
        if (v == null || v.isBlank()) throw new IllegalArgumentException(name + " is required");
        return v;
    }

    static SigV4Request toSigV4(Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.computeIfAbsent(f.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(f.getValue());
        }
        String rawQuery = request.getHttpURI().getQuery();
        return new SigV4Request(request.getMethod(), request.getHttpURI().getPath(), rawQuery == null ? "" : rawQuery, headers);
    }

    private static boolean json(Response response, Callback callback, int status, Object body) throws Exception {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body)), callback);
        return true;
    }

}

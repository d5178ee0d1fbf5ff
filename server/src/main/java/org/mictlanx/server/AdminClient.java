package org.mictlanx.server;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.mictlanx.xolo.sigv4.SigV4Crypto;
import org.mictlanx.xolo.sigv4.SigV4Request;
import org.mictlanx.xolo.sigv4.SigV4Signer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Calls the admin API ({@link AdminHandler}) of a running server, signed as the root user. */
public final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One admin API route ({@link AdminHandler}): the HTTP method and the action path under
     * {@link AdminHandler#PREFIX}. The table below names every fixed route this client calls.
     */
    record Route(String method, String action) {
        static final Route DELETE_USERS = new Route("DELETE", "users");
        static final Route GET_USERS = new Route("GET", "users");
        static final Route POST_USERS = new Route("POST", "users");
        static final Route POST_USERS_DISABLE = new Route("POST", "users/disable");
        static final Route POST_USERS_ENABLE = new Route("POST", "users/enable");
        static final Route DELETE_KEYS = new Route("DELETE", "keys");
        static final Route GET_KEYS = new Route("GET", "keys");
        static final Route POST_KEYS = new Route("POST", "keys");
        static final Route POST_KEYS_DISABLE = new Route("POST", "keys/disable");
        static final Route POST_KEYS_ENABLE = new Route("POST", "keys/enable");
        static final Route POST_ROOT_ROTATE = new Route("POST", "root/rotate");
        static final Route GET_KMS = new Route("GET", "kms");
        static final Route POST_KMS = new Route("POST", "kms");
        static final Route GET_KMS_REWRAP_MASTER = new Route("GET", "kms/rewrap-master");
        static final Route POST_KMS_REWRAP_MASTER = new Route("POST", "kms/rewrap-master");
        static final Route POST_KMS_SCHEDULE_DELETION = new Route("POST", "kms/schedule-deletion");
        static final Route GET_INFO = new Route("GET", "info");
        static final Route GET_LAYOUT = new Route("GET", "layout");
        static final Route POST_REPAIR = new Route("POST", "repair");
        static final Route GET_STATS = new Route("GET", "stats");
        static final Route POST_PEERS = new Route("POST", "peers");
        static final Route DELETE_POLICIES = new Route("DELETE", "policies");
        static final Route GET_POLICIES = new Route("GET", "policies");
        static final Route PUT_POLICIES = new Route("PUT", "policies");
        static final Route POST_POLICIES_ATTACH = new Route("POST", "policies/attach");
        static final Route POST_POLICIES_DETACH = new Route("POST", "policies/detach");
        static final Route GET_BUCKETS = new Route("GET", "buckets");
        static final Route DELETE_BUCKETS_QUOTA = new Route("DELETE", "buckets/quota");
        static final Route POST_BUCKETS_QUOTA = new Route("POST", "buckets/quota");
        static final Route POST_BUCKETS_RECOUNT = new Route("POST", "buckets/recount");
        static final Route DELETE_GROUPS = new Route("DELETE", "groups");
        static final Route GET_GROUPS = new Route("GET", "groups");
        static final Route POST_GROUPS = new Route("POST", "groups");
        static final Route DELETE_GROUPS_MEMBERS = new Route("DELETE", "groups/members");
        static final Route POST_GROUPS_MEMBERS = new Route("POST", "groups/members");
        static final Route GET_TRACE = new Route("GET", "trace");
        static final Route GET_NOTIFY_TARGETS = new Route("GET", "notify/targets");
        static final Route POST_NOTIFY_TARGETS = new Route("POST", "notify/targets");
        static final Route DELETE_NOTIFY_TARGETS = new Route("DELETE", "notify/targets");

        /** Routes that answer when their work is done (a repair pass, a drain, a recount): allowed hours, not a minute. */
        boolean longRunning() {
            return action.equals("repair") || action.equals("peers/drain") || action.equals("buckets/recount");
        }
    }

    private final URI endpoint;
    private final SigV4Signer signer;
    private final HttpClient http;

    public AdminClient(URI endpoint, String accessKey, String secretKey) {
        this(endpoint, accessKey, secretKey, null);
    }

    /** @param tls the TLS context for an https endpoint (e.g. one trusting a development certificate); null: the JDK default */
    public AdminClient(URI endpoint, String accessKey, String secretKey, javax.net.ssl.SSLContext tls) {
        this(endpoint, accessKey, secretKey, tls, "us-east-1");
    }

    /** @param region the server's region (setting {@code region}): requests are signed for it, as the server requires */
    public AdminClient(URI endpoint, String accessKey, String secretKey, javax.net.ssl.SSLContext tls, String region) {
        this.endpoint = endpoint;
        this.signer = new SigV4Signer(accessKey, secretKey, region);
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (tls != null) b.sslContext(tls);
        this.http = b.build();
    }

    /** The server this client calls. */
    public URI endpoint() {
        return endpoint;
    }

        public record NewUser(String name, String accessKey, String secretKey) {
    }

    /**
     * The server refused an admin call: {@code status} is the HTTP status, {@code code} the error
     * (e.g. {@code NO_SUCH_USER}, {@code SIGNATURE_DOES_NOT_MATCH}), {@code detail} the server's message.
     */
    public static final class AdminException extends IOException {
        private final int status;
        private final String code;
        private final String detail;

        AdminException(String action, int status, String code, String detail) {
            super("admin " + action + " failed: HTTP " + status + " " + code + ": " + detail);
            this.status = status;
            this.code = code;
            this.detail = detail;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }

        public String detail() {
            return detail;
        }
    }

    public NewUser addUser(String name) throws IOException, InterruptedException {
        JsonNode n = call(Route.POST_USERS, "name", name);
        return new NewUser(n.path("name").asText(), n.path("accessKey").asText(), n.path("secretKey").asText());
    }

    /** {@code {"users": [{"name", "status", "created"}]}}. */
    public JsonNode listUsers() throws IOException, InterruptedException {
        return call(Route.GET_USERS);
    }

    /** {@code {"name", "status", "created", "keys": [{"accessKey", "status", "created"}]}}. */
    public JsonNode showUser(String name) throws IOException, InterruptedException {
        return call(Route.GET_USERS, "name", name);
    }

    public JsonNode deleteUser(String name) throws IOException, InterruptedException {
        return call(Route.DELETE_USERS, "name", name);
    }

    public JsonNode setUserEnabled(String name, boolean enabled) throws IOException, InterruptedException {
        return call(enabled ? Route.POST_USERS_ENABLE : Route.POST_USERS_DISABLE, "name", name);
    }

    public JsonNode listKeys(String user) throws IOException, InterruptedException {
        return call(Route.GET_KEYS, "user", user);
    }

    /** Issues another key to {@code user} (rotation); the answer holds its secret, shown only here. */
    public NewUser addKey(String user) throws IOException, InterruptedException {
        JsonNode n = call(Route.POST_KEYS, "user", user);
        return new NewUser(n.path("name").asText(), n.path("accessKey").asText(), n.path("secretKey").asText());
    }

    public JsonNode deleteKey(String user, String accessKey) throws IOException, InterruptedException {
        return call(Route.DELETE_KEYS, "accessKey", accessKey, "user", user);
    }

    public JsonNode setKeyEnabled(String user, String accessKey, boolean enabled) throws IOException, InterruptedException {
        return call(enabled ? Route.POST_KEYS_ENABLE : Route.POST_KEYS_DISABLE, "accessKey", accessKey, "user", user);
    }

    /** Rotates the root secret (when the server keeps it): {@code {"accessKey", "secretKey", "keptIn"}}. */
    public JsonNode rotateRoot() throws IOException, InterruptedException {
        return call(Route.POST_ROOT_ROTATE);
    }

    /** A query string of name/value pairs in order; a pair whose value is null is left out. */
    private static String query(String... pairs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.append(out.isEmpty() ? "" : "&").append(pairs[i]).append('=')
                        .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return out.toString();
    }

    /** Creates an SSE-KMS key of the built-in key service. */
    public JsonNode createKmsKey(String description) throws IOException, InterruptedException {
        return call(Route.POST_KMS, "description", description);
    }

    public JsonNode listKmsKeys() throws IOException, InterruptedException {
        return call(Route.GET_KMS);
    }

    public JsonNode describeKmsKey(String id) throws IOException, InterruptedException {
        return call(Route.GET_KMS, "id", id);
    }

    /** Starts the background re-wrap of KMS keys and balls under the current master key; its status. */
    public JsonNode rewrapKmsKeys() throws IOException, InterruptedException {
        return call(Route.POST_KMS_REWRAP_MASTER);
    }

    /** The master re-wrap's progress. */
    public JsonNode rewrapStatus() throws IOException, InterruptedException {
        return call(Route.GET_KMS_REWRAP_MASTER);
    }

    /** Schedules a key's deletion after {@code days} (null: 30). */
    public JsonNode scheduleKmsKeyDeletion(String id, String days) throws IOException, InterruptedException {
        return call(Route.POST_KMS_SCHEDULE_DELETION, "id", id, "days", days);
    }

    /** {@code action}: disable, enable, rotate or cancel-deletion. */
    public JsonNode changeKmsKey(String action, String id) throws IOException, InterruptedException {
        return call(new Route("POST", "kms/" + action), "id", id);
    }

    public JsonNode stats() throws IOException, InterruptedException {
        return call(Route.GET_STATS);
    }

    /** {@code GET info}: version, uptime, layout, peers with state and capacity, repair and GC progress. */
    public JsonNode info() throws IOException, InterruptedException {
        return call(Route.GET_INFO);
    }

    public JsonNode repairNow() throws IOException, InterruptedException {
        return call(Route.POST_REPAIR);
    }

    public JsonNode layout() throws IOException, InterruptedException {
        return call(Route.GET_LAYOUT);
    }

    /** {@code action}: add, replace, drain, remove or rebuild; null parameters are left out. */
    public JsonNode changePeers(String action, String id, String url, String zone, String weight) throws IOException, InterruptedException {
        Route route = action.equals("add") ? Route.POST_PEERS : new Route("POST", "peers/" + action);
        return call(route, "id", id, "url", url, "zone", zone, "weight", weight);
    }

    /** Creates or replaces a user policy from its JSON document. */
    public JsonNode putPolicy(String name, byte[] document) throws IOException, InterruptedException {
        return call(Route.PUT_POLICIES, query("name", name), document);
    }

    /** {@code {"policies": [{"name", "builtIn"}]}}. */
    public JsonNode listPolicies() throws IOException, InterruptedException {
        return call(Route.GET_POLICIES);
    }

    /** {@code {"name", "builtIn", "document"}}. */
    public JsonNode showPolicy(String name) throws IOException, InterruptedException {
        return call(Route.GET_POLICIES, "name", name);
    }

    public JsonNode deletePolicy(String name) throws IOException, InterruptedException {
        return call(Route.DELETE_POLICIES, "name", name);
    }

    /** {@code {"user", "attached": [names]}}. */
    public JsonNode attachedPolicies(String user) throws IOException, InterruptedException {
        return call(Route.GET_POLICIES, "user", user);
    }

    public JsonNode attachPolicy(String user, String name) throws IOException, InterruptedException {
        return call(Route.POST_POLICIES_ATTACH, "name", name, "user", user);
    }

    public JsonNode detachPolicy(String user, String name) throws IOException, InterruptedException {
        return call(Route.POST_POLICIES_DETACH, "name", name, "user", user);
    }

    /** {@code {"buckets": [{"name", "owner", "created", "sizeBytes", "objects", "uploadBytes", "quotaBytes"}]}} (quota -1: none). */
    public JsonNode listBuckets() throws IOException, InterruptedException {
        return call(Route.GET_BUCKETS);
    }

    /** One bucket as in {@link #listBuckets}, with its region and replication. */
    public JsonNode showBucket(String name) throws IOException, InterruptedException {
        return call(Route.GET_BUCKETS, "name", name);
    }

    /** Sets a bucket's hard quota; {@code size} as {@code 10GiB}, {@code 500MB} or bytes (parsed by the server). */
    public JsonNode setQuota(String name, String size) throws IOException, InterruptedException {
        return call(Route.POST_BUCKETS_QUOTA, "name", name, "size", size);
    }

    public JsonNode clearQuota(String name) throws IOException, InterruptedException {
        return call(Route.DELETE_BUCKETS_QUOTA, "name", name);
    }

    /** {@code {"targets": [{"id", "arn", "url", "source"}]}}: event notification targets (source settings or admin). */
    public JsonNode listNotifyTargets() throws IOException, InterruptedException {
        return call(Route.GET_NOTIFY_TARGETS);
    }

    /** Adds webhook target {@code id} (ARN {@code arn:mictlanx:sqs::ID:webhook}) posting to {@code url}. */
    public JsonNode addNotifyTarget(String id, String url) throws IOException, InterruptedException {
        return call(Route.POST_NOTIFY_TARGETS, "id", id, "url", url);
    }

    /** Removes an added target; 409 TargetInUse while a bucket's notification configuration names it. */
    public JsonNode removeNotifyTarget(String id) throws IOException, InterruptedException {
        return call(Route.DELETE_NOTIFY_TARGETS, "id", id);
    }

    /** Recounts one bucket's usage (null: every bucket): {@code {"recounted": [{"name", "before", "after", "corrected"}]}}. */
    public JsonNode recount(String name) throws IOException, InterruptedException {
        return call(Route.POST_BUCKETS_RECOUNT, "name", name);
    }

    /** {@code {"group", "attached": [names]}}. */
    public JsonNode groupPolicies(String group) throws IOException, InterruptedException {
        return call(Route.GET_POLICIES, "group", group);
    }

    public JsonNode attachGroupPolicy(String group, String name) throws IOException, InterruptedException {
        return call(Route.POST_POLICIES_ATTACH, "group", group, "name", name);
    }

    public JsonNode detachGroupPolicy(String group, String name) throws IOException, InterruptedException {
        return call(Route.POST_POLICIES_DETACH, "group", group, "name", name);
    }

    /** {@code {"groups": [{"name", "created", "members"}]}}. */
    public JsonNode listGroups() throws IOException, InterruptedException {
        return call(Route.GET_GROUPS);
    }

    /** {@code {"name", "created", "members": [users], "attached": [policies]}}. */
    public JsonNode showGroup(String name) throws IOException, InterruptedException {
        return call(Route.GET_GROUPS, "name", name);
    }

    public JsonNode addGroup(String name) throws IOException, InterruptedException {
        return call(Route.POST_GROUPS, "name", name);
    }

    public JsonNode deleteGroup(String name) throws IOException, InterruptedException {
        return call(Route.DELETE_GROUPS, "name", name);
    }

    /** Adds ({@code add}) or removes a member; {@code {"group", "members": [users]}}. */
    public JsonNode groupMember(String group, String user, boolean add) throws IOException, InterruptedException {
        return call(add ? Route.POST_GROUPS_MEMBERS : Route.DELETE_GROUPS_MEMBERS, "name", group, "user", user);
    }

    /** Calls {@code route} with the query of {@code pairs} (see {@link #query}) and no body. */
    private JsonNode call(Route route, String... pairs) throws IOException, InterruptedException {
        return call(route, query(pairs), null);
    }

    /**
     * {@code GET trace?QUERY}: the live request stream's lines (newline-delimited JSON, see
     * {@link TraceStream}) as they arrive; closing the stream ends the subscription.
     *
     * @throws AdminException when the server refuses (403 for a non-root key, 400 for a bad filter)
     */
    public java.util.stream.Stream<String> trace(String query) throws IOException, InterruptedException {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(signed(Route.GET_TRACE, query, null),
                HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            String body;
            try (java.util.stream.Stream<String> lines = r.body()) {
                body = String.join("\n", lines.toList());
            }
            throw refused("trace", r.statusCode(), body);
        }
        return r.body();
    }

    private HttpRequest signed(Route route, String query, byte[] body) {
        String method = route.method();
        String path = AdminHandler.PREFIX + route.action();
        String host = endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
        String payloadHash = body == null ? SigV4Crypto.EMPTY_SHA256 : SigV4Crypto.sha256Hex(body);
        SigV4Request signed = signer.sign(method, path, query, Map.of("host", host), payloadHash, Instant.now()).request();
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path + (query.isEmpty() ? "" : "?" + query)))
                // Repair passes and drains return when the data has moved: allow them time.
                .timeout(route.longRunning() ? Duration.ofHours(6) : Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
            if (!h.getKey().equals("host")) b.header(h.getKey(), h.getValue().get(0));
        }
        return b.build();
    }

    private AdminException refused(String action, int status, String body) {
        try {
            JsonNode answer = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            return new AdminException(action, status, answer.path("error").asText(), answer.path("message").asText());
        } catch (IOException notJson) {
            return new AdminException(action, status, "NotAdminApi", "the answer is not the MictlanX admin API's (is "
                    + endpoint + " a MictlanX server?)");
        }
    }

    private JsonNode call(Route route, String query, byte[] body) throws IOException, InterruptedException {
        String action = route.action();
        HttpResponse<String> r = http.send(signed(route, query, body), HttpResponse.BodyHandlers.ofString());
        JsonNode answer;
        try {
            answer = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException notJson) {
            throw new AdminException(action, r.statusCode(), "NotAdminApi", "the answer is not the MictlanX admin API's (is "
                    + endpoint + " a MictlanX server?)");
        }
        if (r.statusCode() != 200) {
            throw new AdminException(action, r.statusCode(), answer.path("error").asText(), answer.path("message").asText());
        }
        return answer;
    }
}

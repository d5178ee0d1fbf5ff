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
        JsonNode n = call("POST", "users", q("name", name));
        return new NewUser(n.path("name").asText(), n.path("accessKey").asText(), n.path("secretKey").asText());
    }

    /** {@code {"users": [{"name", "status", "created"}]}}. */
    public JsonNode listUsers() throws IOException, InterruptedException {
        return call("GET", "users", "");
    }

    /** {@code {"name", "status", "created", "keys": [{"accessKey", "status", "created"}]}}. */
    public JsonNode showUser(String name) throws IOException, InterruptedException {
        return call("GET", "users", q("name", name));
    }

    public JsonNode deleteUser(String name) throws IOException, InterruptedException {
        return call("DELETE", "users", q("name", name));
    }

    public JsonNode setUserEnabled(String name, boolean enabled) throws IOException, InterruptedException {
        return call("POST", enabled ? "users/enable" : "users/disable", q("name", name));
    }

    public JsonNode listKeys(String user) throws IOException, InterruptedException {
        return call("GET", "keys", q("user", user));
    }

    /** Issues another key to {@code user} (rotation); the answer holds its secret, shown only here. */
    public NewUser addKey(String user) throws IOException, InterruptedException {
        JsonNode n = call("POST", "keys", q("user", user));
        return new NewUser(n.path("name").asText(), n.path("accessKey").asText(), n.path("secretKey").asText());
    }

    public JsonNode deleteKey(String user, String accessKey) throws IOException, InterruptedException {
        return call("DELETE", "keys", q("accessKey", accessKey) + "&" + q("user", user));
    }

    public JsonNode setKeyEnabled(String user, String accessKey, boolean enabled) throws IOException, InterruptedException {
        return call("POST", enabled ? "keys/enable" : "keys/disable", q("accessKey", accessKey) + "&" + q("user", user));
    }

    /** Rotates the root secret (when the server keeps it): {@code {"accessKey", "secretKey", "keptIn"}}. */
    public JsonNode rotateRoot() throws IOException, InterruptedException {
        return call("POST", "root/rotate", "");
    }

    private static String q(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Creates an SSE-KMS key of the built-in key service. */
    public JsonNode createKmsKey(String description) throws IOException, InterruptedException {
        return call("POST", "kms", description == null ? "" : q("description", description));
    }

    public JsonNode listKmsKeys() throws IOException, InterruptedException {
        return call("GET", "kms", "");
    }

    public JsonNode describeKmsKey(String id) throws IOException, InterruptedException {
        return call("GET", "kms", q("id", id));
    }

    /** Starts the background re-wrap of KMS keys and balls under the current master key; its status. */
    public JsonNode rewrapKmsKeys() throws IOException, InterruptedException {
        return call("POST", "kms/rewrap-master", "");
    }

    /** The master re-wrap's progress. */
    public JsonNode rewrapStatus() throws IOException, InterruptedException {
        return call("GET", "kms/rewrap-master", "");
    }

    /** Schedules a key's deletion after {@code days} (null: 30). */
    public JsonNode scheduleKmsKeyDeletion(String id, String days) throws IOException, InterruptedException {
        return call("POST", "kms/schedule-deletion", q("id", id) + (days == null ? "" : "&" + q("days", days)));
    }

    /** {@code action}: disable, enable, rotate or cancel-deletion. */
    public JsonNode changeKmsKey(String action, String id) throws IOException, InterruptedException {
        return call("POST", "kms/" + action, q("id", id));
    }

    public JsonNode stats() throws IOException, InterruptedException {
        return call("GET", "stats", "");
    }

    /** {@code GET info}: version, uptime, layout, peers with state and capacity, repair and GC progress. */
    public JsonNode info() throws IOException, InterruptedException {
        return call("GET", "info", "");
    }

    public JsonNode repairNow() throws IOException, InterruptedException {
        return call("POST", "repair", "");
    }

    public JsonNode layout() throws IOException, InterruptedException {
        return call("GET", "layout", "");
    }

    /** {@code action}: add, replace, drain, remove or rebuild; null parameters are left out. */
    public JsonNode changePeers(String action, String id, String url, String zone, String weight) throws IOException, InterruptedException {
        StringBuilder q = new StringBuilder("id=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        if (url != null) q.append("&url=").append(URLEncoder.encode(url, StandardCharsets.UTF_8));
        if (zone != null) q.append("&zone=").append(URLEncoder.encode(zone, StandardCharsets.UTF_8));
        if (weight != null) q.append("&weight=").append(URLEncoder.encode(weight, StandardCharsets.UTF_8));
        return call("POST", action.equals("add") ? "peers" : "peers/" + action, q.toString());
    }

    /** Creates or replaces a user policy from its JSON document. */
    public JsonNode putPolicy(String name, byte[] document) throws IOException, InterruptedException {
        return call("PUT", "policies", q("name", name), document);
    }

    /** {@code {"policies": [{"name", "builtIn"}]}}. */
    public JsonNode listPolicies() throws IOException, InterruptedException {
        return call("GET", "policies", "");
    }

    /** {@code {"name", "builtIn", "document"}}. */
    public JsonNode showPolicy(String name) throws IOException, InterruptedException {
        return call("GET", "policies", q("name", name));
    }

    public JsonNode deletePolicy(String name) throws IOException, InterruptedException {
        return call("DELETE", "policies", q("name", name));
    }

    /** {@code {"user", "attached": [names]}}. */
    public JsonNode attachedPolicies(String user) throws IOException, InterruptedException {
        return call("GET", "policies", q("user", user));
    }

    public JsonNode attachPolicy(String user, String name) throws IOException, InterruptedException {
        return call("POST", "policies/attach", q("name", name) + "&" + q("user", user));
    }

    public JsonNode detachPolicy(String user, String name) throws IOException, InterruptedException {
        return call("POST", "policies/detach", q("name", name) + "&" + q("user", user));
    }

    /** {@code {"buckets": [{"name", "owner", "created", "sizeBytes", "objects", "uploadBytes", "quotaBytes"}]}} (quota -1: none). */
    public JsonNode listBuckets() throws IOException, InterruptedException {
        return call("GET", "buckets", "");
    }

    /** One bucket as in {@link #listBuckets}, with its region and replication. */
    public JsonNode showBucket(String name) throws IOException, InterruptedException {
        return call("GET", "buckets", q("name", name));
    }

    /** Sets a bucket's hard quota; {@code size} as {@code 10GiB}, {@code 500MB} or bytes (parsed by the server). */
    public JsonNode setQuota(String name, String size) throws IOException, InterruptedException {
        return call("POST", "buckets/quota", q("name", name) + "&" + q("size", size));
    }

    public JsonNode clearQuota(String name) throws IOException, InterruptedException {
        return call("DELETE", "buckets/quota", q("name", name));
    }

    /** Recounts one bucket's usage (null: every bucket): {@code {"recounted": [{"name", "before", "after", "corrected"}]}}. */
    public JsonNode recount(String name) throws IOException, InterruptedException {
        return call("POST", "buckets/recount", name == null ? "" : q("name", name));
    }

    /** {@code {"group", "attached": [names]}}. */
    public JsonNode groupPolicies(String group) throws IOException, InterruptedException {
        return call("GET", "policies", q("group", group));
    }

    public JsonNode attachGroupPolicy(String group, String name) throws IOException, InterruptedException {
        return call("POST", "policies/attach", q("group", group) + "&" + q("name", name));
    }

    public JsonNode detachGroupPolicy(String group, String name) throws IOException, InterruptedException {
        return call("POST", "policies/detach", q("group", group) + "&" + q("name", name));
    }

    /** {@code {"groups": [{"name", "created", "members"}]}}. */
    public JsonNode listGroups() throws IOException, InterruptedException {
        return call("GET", "groups", "");
    }

    /** {@code {"name", "created", "members": [users], "attached": [policies]}}. */
    public JsonNode showGroup(String name) throws IOException, InterruptedException {
        return call("GET", "groups", q("name", name));
    }

    public JsonNode addGroup(String name) throws IOException, InterruptedException {
        return call("POST", "groups", q("name", name));
    }

    public JsonNode deleteGroup(String name) throws IOException, InterruptedException {
        return call("DELETE", "groups", q("name", name));
    }

    /** Adds ({@code add}) or removes a member; {@code {"group", "members": [users]}}. */
    public JsonNode groupMember(String group, String user, boolean add) throws IOException, InterruptedException {
        return call(add ? "POST" : "DELETE", "groups/members", q("name", group) + "&" + q("user", user));
    }

    private JsonNode call(String method, String action, String query) throws IOException, InterruptedException {
        return call(method, action, query, null);
    }

    /**
     * {@code GET trace?QUERY}: the live request stream's lines (newline-delimited JSON, see
     * {@link TraceStream}) as they arrive; closing the stream ends the subscription.
     *
     * @throws AdminException when the server refuses (403 for a non-root key, 400 for a bad filter)
     */
    public java.util.stream.Stream<String> trace(String query) throws IOException, InterruptedException {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(signed("GET", "trace", query, null),
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

    private HttpRequest signed(String method, String action, String query, byte[] body) {
        String path = AdminHandler.PREFIX + action;
        String host = endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
        String payloadHash = body == null ? SigV4Crypto.EMPTY_SHA256 : SigV4Crypto.sha256Hex(body);
        SigV4Request signed = signer.sign(method, path, query, Map.of("host", host), payloadHash, Instant.now()).request();
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path + (query.isEmpty() ? "" : "?" + query)))
                // Repair passes and drains return when the data has moved: allow them time.
                .timeout(action.equals("repair") || action.equals("peers/drain") || action.equals("buckets/recount") ? Duration.ofHours(6) : Duration.ofSeconds(60))
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

    private JsonNode call(String method, String action, String query, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(signed(method, action, query, body), HttpResponse.BodyHandlers.ofString());
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

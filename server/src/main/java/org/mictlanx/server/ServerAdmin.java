package org.mictlanx.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mictlanx.router.Router;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.xolo.identity.Credentials;
import org.mictlanx.xolo.identity.IdentityException;
import org.mictlanx.xolo.identity.RootAccount;
import org.mictlanx.xolo.identity.UserRegistry;
import org.mictlanx.xolo.policy.PolicyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's operations over the router and the user registry. Identity changes are logged
 * (user names and access key ids only, never a secret).
 */
final class ServerAdmin implements AdminHandler.Admin {

    private static final Logger LOG = LoggerFactory.getLogger(ServerAdmin.class);

    private final Router router;
    private final UserRegistry users;
    private final RootAccount root;
    private final SecureRandom random = new SecureRandom();

    private final PolicyStore policies;

    /** Lifecycle worker progress (null: no worker). */
    private final java.util.function.Supplier<org.mictlanx.s3.lifecycle.LifecycleWorker.Stats> lifecycle;

    ServerAdmin(Router router, UserRegistry users, RootAccount root, PolicyStore policies) {
        this(router, users, root, policies, null);
    }

    ServerAdmin(Router router, UserRegistry users, RootAccount root, PolicyStore policies,
                java.util.function.Supplier<org.mictlanx.s3.lifecycle.LifecycleWorker.Stats> lifecycle) {
        this.lifecycle = lifecycle;
        this.router = router;
        this.policies = policies;
        this.users = users;
        this.root = root;
    }

    @Override
    public boolean isRoot(String accessKeyId) {
        return root.get().accessKeyId().equals(accessKeyId);
    }

    @Override
    public Map<String, String> addUser(String name) {
        Credentials c = users.addUser(name);
        LOG.info("admin: added user {} with access key {}", name, c.accessKeyId());
        Map<String, String> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("accessKey", c.accessKeyId());
        out.put("secretKey", c.secretKey());
        return out;
    }

    @Override
    public Map<String, Object> listUsers() {
        List<Map<String, Object>> list = users.listUsers().stream().map(u -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", u.name());
            m.put("status", u.disabled() ? "Disabled" : "Active");
            m.put("created", Instant.ofEpochMilli(u.createdMillis()).toString());
            return m;
        }).toList();
        return Map.of("users", list);
    }

    @Override
    public Map<String, Object> showUser(String name) {
        UserRegistry.UserEntry u = users.user(name)
                .orElseThrow(() -> new IdentityException(IdentityException.Kind.NO_SUCH_USER, "no user " + name));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", u.name());
        m.put("status", u.disabled() ? "Disabled" : "Active");
        m.put("created", Instant.ofEpochMilli(u.createdMillis()).toString());
        m.put("keys", keys(name));
        m.put("policies", policies.users().attached(name));
        m.put("groups", policies.users().groups().groupsOf(name));
        m.put("canonicalId", org.mictlanx.xolo.policy.Caller.canonicalId(name));
        m.put("arn", org.mictlanx.xolo.policy.Caller.userArn(name));
        return m;
    }

    @Override
    public Map<String, Object> deleteUser(String name) {
        if (!users.deleteUser(name)) throw new IdentityException(IdentityException.Kind.NO_SUCH_USER, "no user " + name);
        policies.users().userDeleted(name); // a user created later under the name starts without policies
        LOG.info("admin: deleted user {}", name);
        return Map.of("deleted", name, "refusedEverywhereWithinSeconds", users.cacheTtl().toSeconds());
    }

    @Override
    public Map<String, Object> setUserEnabled(String name, boolean enabled) {
        users.setUserEnabled(name, enabled);
        LOG.info("admin: {} user {}", enabled ? "enabled" : "disabled", name);
        return Map.of("name", name, "status", enabled ? "Active" : "Disabled",
                "refusedEverywhereWithinSeconds", users.cacheTtl().toSeconds());
    }

    @Override
    public Map<String, Object> listKeys(String user) {
        return Map.of("user", user, "keys", keys(user));
    }

    @Override
    public Map<String, Object> addKey(String user) {
        Credentials c = users.addKey(user);
        LOG.info("admin: added access key {} to user {}", c.accessKeyId(), user);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", user);
        out.put("accessKey", c.accessKeyId());
        out.put("secretKey", c.secretKey());
        return out;
    }

    @Override
    public Map<String, Object> deleteKey(String user, String accessKeyId) {
        users.deleteKey(user, accessKeyId);
        LOG.info("admin: deleted access key {} of user {}", accessKeyId, user);
        return Map.of("user", user, "deleted", accessKeyId, "refusedEverywhereWithinSeconds", users.cacheTtl().toSeconds());
    }

    @Override
    public Map<String, Object> setKeyEnabled(String user, String accessKeyId, boolean enabled) {
        users.setKeyEnabled(user, accessKeyId, enabled);
        LOG.info("admin: {} access key {} of user {}", enabled ? "enabled" : "disabled", accessKeyId, user);
        return Map.of("user", user, "accessKey", accessKeyId, "status", enabled ? "Active" : "Inactive");
    }

    @Override
    public Map<String, Object> rotateRoot() {
        try {
            Credentials c = root.rotate(random);
            LOG.info("admin: rotated the root secret (access key {}), kept in {}", c.accessKeyId(), root.file().orElseThrow());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("accessKey", c.accessKeyId());
            out.put("secretKey", c.secretKey());
            out.put("keptIn", root.file().orElseThrow().toString());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the new root secret: " + e.getMessage(), e);
        }
    }

    private List<Map<String, Object>> keys(String user) {
        return users.keyInfos(user).stream().map(k -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accessKey", k.accessKeyId());
            m.put("status", k.disabled() ? "Inactive" : "Active");
            m.put("created", Instant.ofEpochMilli(k.createdMillis()).toString());
            return m;
        }).toList();
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>(asMap(router.stats()));
        if (lifecycle != null) out.put("lifecycle", asMap(lifecycle.get()));
        return out;
    }

    @Override
    public Map<String, Object> info() {
        var stats = router.stats();
        var capacity = router.peerStats(java.time.Duration.ofSeconds(5));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", version());
        long uptimeMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        out.put("startedAt", Instant.now().minusMillis(uptimeMs).toString());
        out.put("uptimeSeconds", uptimeMs / 1000);
        out.put("layoutVersion", stats.layoutVersion());
        List<Map<String, Object>> peers = new java.util.ArrayList<>();
        for (var p : stats.peers()) {
            Map<String, Object> peer = new LinkedHashMap<>();
            peer.put("id", p.id());
            peer.put("url", p.url());
            peer.put("zone", p.zone());
            peer.put("state", p.draining() ? "draining" : p.up() ? "up" : "down");
            var c = capacity.get(p.id());
            if (c != null) {
                peer.put("chunks", c.chunks());
                peer.put("usedBytes", c.chunkBytes());
                peer.put("freeBytes", c.freeDiskBytes());
                peer.put("records", c.records());
                peer.put("memory", c.memory());
                if (c.problem() != null) peer.put("problem", c.problem());
            }
            peers.add(peer);
        }
        out.put("peers", peers);
        out.put("buckets", bucketTotals());
        out.put("maintenance", asMap(stats.maintenance()));
        if (lifecycle != null) out.put("lifecycle", asMap(lifecycle.get()));
        return out;
    }

    /** Bucket count and the sums of their usage; {@code {"error": ...}} when the usage records cannot be read now. */
    private Map<String, Object> bucketTotals() {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            var all = router.usage().all();
            out.put("count", all.size());
            out.put("sizeBytes", all.stream().mapToLong(org.mictlanx.router.BucketUsage::bytes).sum());
            out.put("objects", all.stream().mapToLong(org.mictlanx.router.BucketUsage::objects).sum());
            out.put("uploadBytes", all.stream().mapToLong(org.mictlanx.router.BucketUsage::uploadBytes).sum());
            out.put("withQuota", all.stream().filter(u -> u.quotaBytes() >= 0).count());
        } catch (RuntimeException e) {
            out.put("error", String.valueOf(e.getMessage()));
        }
        return out;
    }

    /** The build's version (from the jar manifest or Maven metadata), else "development build". */
    static String version() {
        String v = ServerAdmin.class.getPackage().getImplementationVersion();
        if (v != null) return v;
        try (var in = ServerAdmin.class.getResourceAsStream("/META-INF/maven/org.mictlanx/mictlanx-server/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                if (p.getProperty("version") != null) return p.getProperty("version");
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "development build";
    }

    @Override
    public Map<String, Object> layout() {
        return asMap(router.layout());
    }

    @Override
    public Map<String, Object> changePeers(String action, String id, String url, String zone, Double weight) {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("id is required");
        if (action.equals("rebuild")) {
            if (router.layout().peer(id).isEmpty()) throw new IllegalArgumentException("no peer " + id + " in the layout");
            return asMap(router.rebuildPeer(id));
        }
        ClusterLayout result = switch (action) {
            case "add" -> router.addPeer(new PeerDescriptor(id, require(url, "url"), zone == null ? "default" : zone, weight == null ? 1.0 : weight));
            case "replace" -> {
                PeerDescriptor old = router.layout().peer(id).orElseThrow(() -> new IllegalArgumentException("no peer " + id + " in the layout"));
                yield router.replacePeer(new PeerDescriptor(id, require(url, "url"), zone == null ? old.zone() : zone,
                        weight == null ? old.weight() : weight));
            }
            case "drain" -> router.drainPeer(id);
            case "remove" -> router.removePeer(id);
            default -> throw new IllegalArgumentException("unknown peer action " + action + " (add, replace, drain, remove, rebuild)");
        };
        return asMap(result);
    }

    private static String require(String v, String name) {
        if (v == null || v.isBlank()) throw new IllegalArgumentException(name + " is required");
        return v;
    }

    private static Map<String, Object> asMap(Object value) {
        return Json.MAPPER.convertValue(value, Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    }

    @Override
    public Map<String, Object> kms(String action, String keyId, String description, Integer days) {
        if (!(router.keyService().orElse(null) instanceof org.mictlanx.router.crypto.BuiltInKeyService keys)) {
            throw new IllegalArgumentException("this server uses an external key service: manage keys there");
        }
        if (action.equals("list")) {
            return Map.of("keys", keys.list(10_000).stream().map(ServerAdmin::describeKey).toList());
        }
        if (action.equals("rewrap-master")) {
            var status = router.startMasterRewrap();
            LOG.info("admin: master key re-wrap started (target {})", status.targetMasterKey());
            return asMap(status);
        }
        if (action.equals("rewrap-status")) {
            return asMap(router.masterRewrapStatus());
        }
        if (action.equals("create")) {
            return describeKey(keys.create(description));
        }
        String id = require(keyId, "id");
        var key = switch (action) {
            case "describe" -> keys.describe(id).orElseThrow(() -> new org.mictlanx.router.crypto.KeyServiceException(
                    org.mictlanx.router.crypto.KeyServiceException.Kind.NOT_FOUND, "Invalid keyId " + id));
            case "disable" -> keys.setEnabled(id, false);
            case "enable" -> keys.setEnabled(id, true);
            case "rotate" -> keys.rotate(id);
            case "schedule-deletion" -> keys.scheduleDeletion(id, days == null
                    ? org.mictlanx.router.crypto.BuiltInKeyService.MAX_PENDING_DAYS : days);
            case "cancel-deletion" -> keys.cancelDeletion(id);
            default -> throw new IllegalArgumentException("unknown kms action " + action);
        };
        LOG.info("kms {} {}", action, id);
        return describeKey(key);
    }

    /** A key as the admin API shows it: state and versions, never material. */
    private static Map<String, Object> describeKey(org.mictlanx.router.crypto.BuiltInKeyService.KeyRecord k) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("keyId", k.keyId());
        m.put("description", k.description());
        m.put("state", k.state());
        if (k.deletionMillis() > 0) m.put("deletionDate", java.time.Instant.ofEpochMilli(k.deletionMillis()).toString());
        if (!k.alias().isEmpty()) m.put("alias", k.alias());
        m.put("created", java.time.Instant.ofEpochMilli(k.createdMillis()).toString());
        m.put("currentVersion", k.currentVersion());
        m.put("versions", k.versions().stream().map(v -> Map.of("version", v.version(), "masterKeyId", v.masterKeyId(),
                "created", java.time.Instant.ofEpochMilli(v.createdMillis()).toString())).toList());
        return m;
    }

    @Override
    public Map<String, Object> repairNow() {
        router.repairNow(true);
        return stats();
    }
}

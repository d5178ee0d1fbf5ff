package org.mictlanx.server;

import java.util.LinkedHashMap;
import java.util.Map;

import org.mictlanx.router.Router;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.xolo.identity.Credentials;
import org.mictlanx.xolo.identity.UserRegistry;

/** The admin API's operations over the router and the user registry. */
final class ServerAdmin implements AdminHandler.Admin {

    private final Router router;
    private final UserRegistry users;
    private final Credentials root;

    ServerAdmin(Router router, UserRegistry users, Credentials root) {
        this.router = router;
        this.users = users;
        this.root = root;
    }

    @Override
    public boolean isRoot(String accessKeyId) {
        return root.accessKeyId().equals(accessKeyId);
    }

    @Override
    public Map<String, String> addUser(String name) {
        Credentials c = users.addUser(name);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("accessKey", c.accessKeyId());
        out.put("secretKey", c.secretKey());
        return out;
    }

    @Override
    public Map<String, Object> stats() {
        return asMap(router.stats());
    }

    @Override
    public Map<String, Object> layout() {
        return asMap(router.layout());
    }

    @Override
    public Map<String, Object> changePeers(String action, String id, String url, String zone, Double weight) {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("id is required");
        ClusterLayout result = switch (action) {
            case "add" -> router.addPeer(new PeerDescriptor(id, require(url, "url"), zone == null ? "default" : zone, weight == null ? 1.0 : weight));
            case "replace" -> {
                PeerDescriptor old = router.layout().peer(id).orElseThrow(() -> new IllegalArgumentException("no peer " + id + " in the layout"));
                yield router.replacePeer(new PeerDescriptor(id, require(url, "url"), zone == null ? old.zone() : zone,
                        weight == null ? old.weight() : weight));
            }
            case "drain" -> router.drainPeer(id);
            case "remove" -> router.removePeer(id);
            default -> throw new IllegalArgumentException("unknown peer action " + action + " (add, replace, drain, remove)");
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
    public Map<String, Object> repairNow() {
        router.repairNow(true);
        return stats();
    }
}

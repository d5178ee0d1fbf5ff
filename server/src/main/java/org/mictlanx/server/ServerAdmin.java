package org.mictlanx.server;

import java.util.LinkedHashMap;
import java.util.Map;

import org.mictlanx.router.Router;
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
        return Json.MAPPER.convertValue(router.stats(), Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    }

    @Override
    public Map<String, Object> repairNow() {
        router.repairNow(true);
        return stats();
    }
}

package org.mictlanx.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.mictlanx.xolo.identity.IdentityException;
import org.mictlanx.xolo.identity.UserRegistry;
import org.mictlanx.xolo.policy.PolicyAdminException;
import org.mictlanx.xolo.policy.PolicyStore;

/**
 * The admin API's user policy commands over {@link PolicyStore}: create (or replace), show, list
 * and delete policies, attach them to users and detach them. A change applies at once on this
 * router and within {@link PolicyStore#ttl()} on every other.
 */
final class PolicyAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PolicyStore policies;
    private final UserRegistry users;

    PolicyAdmin(PolicyStore policies, UserRegistry users) {
        this.policies = policies;
        this.users = users;
    }

    /** Creates or replaces a policy; the document is validated (400 MalformedPolicy). */
    Map<String, Object> put(String name, byte[] document) {
        policies.putPolicy(name, document);
        return Map.of("policy", name, "enforcedEverywhereWithinSeconds", policies.ttl().toSeconds());
    }

    Map<String, Object> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PolicyStore.NamedPolicy p : policies.listPolicies()) {
            out.add(Map.of("name", p.name(), "builtIn", p.builtIn()));
        }
        return Map.of("policies", out);
    }

    Map<String, Object> show(String name) {
        PolicyStore.NamedPolicy p = policies.policy(name)
                .orElseThrow(() -> new PolicyAdminException(PolicyAdminException.Kind.NO_SUCH_POLICY, "no policy " + name));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("builtIn", p.builtIn());
        try {
            m.put("document", JSON.readTree(p.document()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored policy is not JSON", e);
        }
        return m;
    }

    Map<String, Object> delete(String name) {
        if (!policies.deletePolicy(name)) {
            throw new PolicyAdminException(PolicyAdminException.Kind.NO_SUCH_POLICY, "no policy " + name);
        }
        return Map.of("deleted", name);
    }

    Map<String, Object> attach(String user, String name) {
        requireUser(user);
        policies.attach(user, name);
        return Map.of("user", user, "attached", policies.attached(user),
                "enforcedEverywhereWithinSeconds", policies.ttl().toSeconds());
    }

    Map<String, Object> detach(String user, String name) {
        requireUser(user);
        if (!policies.detach(user, name)) {
            throw new PolicyAdminException(PolicyAdminException.Kind.NO_SUCH_POLICY, "policy " + name + " is not attached to " + user);
        }
        return Map.of("user", user, "attached", policies.attached(user),
                "enforcedEverywhereWithinSeconds", policies.ttl().toSeconds());
    }

    /** The policies attached to a user (none: the user owns its buckets and nothing else). */
    Map<String, Object> attached(String user) {
        requireUser(user);
        return Map.of("user", user, "attached", policies.attached(user));
    }

    private void requireUser(String user) {
        if (users.user(user).isEmpty()) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_USER, "no user " + user);
        }
    }
}

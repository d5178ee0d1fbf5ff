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
import org.mictlanx.xolo.policy.UserPolicies;

/**
 * The admin API's user policy and group commands over {@link PolicyStore#users()}: create (or replace),
 * show, list and delete policies, attach them to users or groups and detach them; create, list, show and
 * delete groups and change their members. A change applies at once on this
 * router and within {@link UserPolicies#ttl()} on every other.
 */
final class PolicyAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UserPolicies policies;
    private final UserRegistry users;
    private final java.time.Clock clock;

    PolicyAdmin(PolicyStore policies, UserRegistry users) {
        this(policies, users, java.time.Clock.systemUTC());
    }

    PolicyAdmin(PolicyStore policies, UserRegistry users, java.time.Clock clock) {
        this.policies = policies.users();
        this.users = users;
        this.clock = clock;
    }

    /** Creates or replaces a policy; the document is validated (400 MalformedPolicy). */
    Map<String, Object> put(String name, byte[] document) {
        policies.putPolicy(name, document);
        return Map.of("policy", name, "enforcedEverywhereWithinSeconds", policies.ttl().toSeconds());
    }

    Map<String, Object> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (UserPolicies.NamedPolicy p : policies.listPolicies()) {
            out.add(Map.of("name", p.name(), "builtIn", p.builtIn()));
        }
        return Map.of("policies", out);
    }

    Map<String, Object> show(String name) {
        UserPolicies.NamedPolicy p = policies.policy(name)
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

    Map<String, Object> attachToGroup(String group, String name) {
        policies.groups().attach(group, name);
        return Map.of("group", group, "attached", policies.groups().attached(group),
                "enforcedEverywhereWithinSeconds", policies.ttl().toSeconds());
    }

    Map<String, Object> detachFromGroup(String group, String name) {
        if (!policies.groups().detach(group, name)) {
            throw new PolicyAdminException(PolicyAdminException.Kind.NO_SUCH_POLICY, "policy " + name + " is not attached to group " + group);
        }
        return Map.of("group", group, "attached", policies.groups().attached(group),
                "enforcedEverywhereWithinSeconds", policies.ttl().toSeconds());
    }

    /** The policies attached to a group. */
    Map<String, Object> groupAttached(String group) {
        showGroup(group);
        return Map.of("group", group, "attached", policies.groups().attached(group));
    }

    Map<String, Object> createGroup(String name) {
        org.mictlanx.xolo.policy.GroupStore.GroupEntry g = policies.groups().create(name, clock.millis());
        return Map.of("group", g.name(), "created", java.time.Instant.ofEpochMilli(g.createdMillis()).toString());
    }

    Map<String, Object> listGroups() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (org.mictlanx.xolo.policy.GroupStore.GroupEntry g : policies.groups().list()) {
            out.add(Map.of("name", g.name(), "created", java.time.Instant.ofEpochMilli(g.createdMillis()).toString(),
                    "members", policies.groups().members(g.name()).size()));
        }
        return Map.of("groups", out);
    }

    /** A group: its members and attached policies. */
    Map<String, Object> showGroup(String name) {
        org.mictlanx.xolo.policy.GroupStore.GroupEntry g = policies.groups().group(name)
                .orElseThrow(() -> new PolicyAdminException(PolicyAdminException.Kind.NO_SUCH_GROUP, "no group " + name));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g.name());
        m.put("created", java.time.Instant.ofEpochMilli(g.createdMillis()).toString());
        m.put("members", policies.groups().members(name));
        m.put("attached", policies.groups().attached(name));
        return m;
    }

    Map<String, Object> deleteGroup(String name) {
        policies.groups().delete(name);
        return Map.of("deleted", name);
    }

    Map<String, Object> addMember(String group, String user) {
        requireUser(user);
        policies.groups().addMember(group, user);
        return Map.of("group", group, "members", policies.groups().members(group),
                "enforcedEverywhereWithinSeconds", policies.ttl().toSeconds());
    }

    Map<String, Object> removeMember(String group, String user) {
        if (!policies.groups().removeMember(group, user)) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_USER, "user " + user + " is not in group " + group);
        }
        return Map.of("group", group, "members", policies.groups().members(group),
                "enforcedEverywhereWithinSeconds", policies.ttl().toSeconds());
    }

    private void requireUser(String user) {
        if (users.user(user).isEmpty()) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_USER, "no user " + user);
        }
    }
}

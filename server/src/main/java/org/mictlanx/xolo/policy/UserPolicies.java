package org.mictlanx.xolo.policy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.mictlanx.router.MetaTable;
import org.mictlanx.xolo.identity.MetaRecords;

/**
 * User policies (IAM identity policies) and what they are attached to, in the replicated
 * {@link MetaTable}; the bucket side of access configuration (bucket policies, ACLs, ownership) is
 * {@link PolicyStore}'s.
 *
 * <ul>
 *   <li>{@value #POLICIES}: policy name → {@link NamedPolicy} (built-ins, {@link BuiltInPolicies}, are
 *       not stored and cannot be replaced or deleted);</li>
 *   <li>{@value #ATTACHED}: {@code user/policy} → empty, a user's attached policies;</li>
 *   <li>groups of users and their policies: {@link GroupStore} ({@link #groups()}).</li>
 * </ul>
 *
 * <p>Cache bound: the policies that apply to a user ({@link #policiesOf}) are reused for {@code ttl}.
 * A change made through this instance applies at once; made through another router, within the TTL.
 */
public final class UserPolicies {

    public static final String POLICIES = "xolo-policies";
    public static final String ATTACHED = "xolo-user-policies";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,128}");
    private static final int CACHE_LIMIT = 10_000;

    /** A user policy: its name and document. */
    public record NamedPolicy(String name, String document, boolean builtIn) {
    }

    private record Cached(List<Policy> value, long expiresNanos) {
    }

    private final MetaTable table;
    private final MetaRecords records;
    private final PolicyParser parser = new PolicyParser();
    private final Duration ttl;
    private final Map<String, NamedPolicy> builtIns = BuiltInPolicies.all();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final GroupStore groups;

    /** @param ttl how long the policies of a user are reused; {@code Duration.ZERO} disables caching */
    UserPolicies(MetaTable table, Duration ttl) {
        this.table = table;
        this.records = new MetaRecords(table, "access");
        this.ttl = ttl;
        this.groups = new GroupStore(table, name -> policy(name).isPresent(), cache::clear);
    }

    /** Groups of users, whose policies apply to their members ({@link #policiesOf}). */
    public GroupStore groups() {
        return groups;
    }

    /** The cache bound: how long another router may still apply a policy changed here. */
    public Duration ttl() {
        return ttl;
    }

    /**
     * The parsed policies that apply to a user: its own, then its groups' (each once; empty: the user
     * keeps the owner-only default), cached for the TTL.
     */
    public List<Policy> policiesOf(String user) {
        long now = System.nanoTime();
        Cached hit = cache.get(user);
        if (hit != null && now - hit.expiresNanos() < 0) {
            return hit.value();
        }
        List<Policy> out = new ArrayList<>();
        LinkedHashSet<String> names = new LinkedHashSet<>(attached(user));
        for (String group : groups.groupsOf(user)) {
            names.addAll(groups.attached(group));
        }
        for (String name : names) {
            policy(name).ifPresent(p -> out.add(parser.parse(p.document().getBytes(StandardCharsets.UTF_8),
                    new PolicyParser.Kind.Identity())));
        }
        List<Policy> fresh = List.copyOf(out);
        if (!ttl.isZero()) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(user, new Cached(fresh, now + ttl.toNanos()));
        }
        return fresh;
    }

    /** Creates or replaces a user policy; built-in names are reserved. Throws PolicyException or IllegalArgumentException. */
    public NamedPolicy putPolicy(String name, byte[] document) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a policy name is 1 to 128 of A-Z a-z 0-9 _ + = , . @ -");
        }
        if (builtIns.containsKey(name)) {
            throw new PolicyAdminException(PolicyAdminException.Kind.BUILT_IN, "policy " + name + " is built in and cannot be replaced");
        }
        Policy p = parser.parse(document, new PolicyParser.Kind.Identity());
        NamedPolicy np = new NamedPolicy(name, p.json(), false);
        table.put(POLICIES, name, records.write(np));
        cache.clear();
        return np;
    }

    public Optional<NamedPolicy> policy(String name) {
        NamedPolicy b = builtIns.get(name);
        return b != null ? Optional.of(b) : table.get(POLICIES, name).map(v -> records.read(v, NamedPolicy.class));
    }

    /** Built-ins then stored policies, by name. */
    public List<NamedPolicy> listPolicies() {
        Map<String, NamedPolicy> out = new TreeMap<>(builtIns);
        records.scan(POLICIES, "").forEach(e -> out.put(e.sortKey(), records.read(e.value(), NamedPolicy.class)));
        return List.copyOf(out.values());
    }

    /** Deletes a stored policy; refused while attached to a user (as IAM, IN_USE) or built in. Returns whether it existed. */
    public boolean deletePolicy(String name) {
        if (builtIns.containsKey(name)) {
            throw new PolicyAdminException(PolicyAdminException.Kind.BUILT_IN, "policy " + name + " is built in and cannot be deleted");
        }
        for (MetaTable.Entry e : records.scan(ATTACHED, "")) {
            if (e.sortKey().endsWith("/" + name)) {
                throw new PolicyAdminException(PolicyAdminException.Kind.IN_USE, "policy " + name + " is attached to user "
                        + e.sortKey().substring(0, e.sortKey().length() - name.length() - 1) + ": detach it first");
            }
        }
        Optional<String> group = groups.holding(name);
        if (group.isPresent()) {
            throw new PolicyAdminException(PolicyAdminException.Kind.IN_USE, "policy " + name + " is attached to group "
                    + group.get() + ": detach it first");
        }
        cache.clear();
        return table.delete(POLICIES, name);
    }

    public void attach(String user, String policy) {
        if (policy(policy).isEmpty()) {
            throw new PolicyAdminException(PolicyAdminException.Kind.NO_SUCH_POLICY, "no policy " + policy);
        }
        table.put(ATTACHED, user + "/" + policy, new byte[0]);
        cache.remove(user);
    }

    /** Returns whether the policy was attached. */
    public boolean detach(String user, String policy) {
        boolean was = table.delete(ATTACHED, user + "/" + policy);
        cache.remove(user);
        return was;
    }

    /** The names of the policies attached to a user, in order. */
    public List<String> attached(String user) {
        String prefix = user + "/";
        return records.suffixes(ATTACHED, prefix);
    }

    /** Detaches everything from a deleted user and takes it out of its groups. */
    public void userDeleted(String user) {
        for (String p : attached(user)) {
            detach(user, p);
        }
        groups.userDeleted(user);
        cache.remove(user);
    }
}

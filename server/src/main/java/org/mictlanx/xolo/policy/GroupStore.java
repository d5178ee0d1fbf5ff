package org.mictlanx.xolo.policy;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;


import org.mictlanx.router.MetaTable;
import org.mictlanx.xolo.identity.MetaRecords;

/**
 * Groups of users (IAM groups), in the replicated {@link MetaTable}: a policy attached to a group
 * applies to every member as its own policies do ({@link UserPolicies#policiesOf}).
 *
 * <ul>
 *   <li>{@value #GROUPS}: group name → {@link GroupEntry};</li>
 *   <li>{@value #GROUP_MEMBERS}: {@code group/user} and {@value #USER_GROUPS}: {@code user/group} → empty
 *       (membership, kept both ways so a user's groups and a group's members are one prefix scan);</li>
 *   <li>{@value #GROUP_POLICIES}: {@code group/policy} → empty, a group's attached policies.</li>
 * </ul>
 *
 * <p>A change made through this instance applies at once (the users' policy cache is dropped); made
 * through another router, within {@link UserPolicies#ttl()}. Names hold no {@code /}, so a prefix
 * {@code name/} names one group or user exactly.
 */
public final class GroupStore {

    public static final String GROUPS = "xolo-groups";
    public static final String GROUP_MEMBERS = "xolo-group-members";
    public static final String USER_GROUPS = "xolo-user-groups";
    public static final String GROUP_POLICIES = "xolo-group-policies";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,128}");

    /** A group of users. */
    public record GroupEntry(String name, long createdMillis) {
    }

    private final MetaTable table;
    private final Predicate<String> policyExists;
    private final Runnable forgetUsers;
    private final MetaRecords records;

    /**
     * @param policyExists whether a user policy of that name exists (built in or stored)
     * @param forgetUsers  drops the cached policies of users (a membership or group policy changed)
     */
    GroupStore(MetaTable table, Predicate<String> policyExists, Runnable forgetUsers) {
        this.table = table;
        this.records = new MetaRecords(table, "group");
        this.policyExists = policyExists;
        this.forgetUsers = forgetUsers;
    }


    /** Creates a group; refused (GROUP_EXISTS) when one of that name exists. */
    public GroupEntry create(String name, long nowMillis) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a group name is 1 to 128 of A-Z a-z 0-9 _ + = , . @ -");
        }
        if (group(name).isPresent()) {
            throw new PolicyAdminException(PolicyAdminException.Kind.GROUP_EXISTS, "group " + name + " exists");
        }
        GroupEntry g = new GroupEntry(name, nowMillis);
        table.put(GROUPS, name, records.write(g));
        return g;
    }

    public Optional<GroupEntry> group(String name) {
        return table.get(GROUPS, name).map(v -> records.read(v, GroupEntry.class));
    }

    /** Every group, by name. */
    public List<GroupEntry> list() {
        return records.scan(GROUPS, "").stream().map(e -> records.read(e.value(), GroupEntry.class)).toList();
    }

    /** Deletes a group; refused (IN_USE, as IAM's DeleteConflict) while it has members or attached policies. */
    public void delete(String name) {
        requireGroup(name);
        if (!members(name).isEmpty()) {
            throw new PolicyAdminException(PolicyAdminException.Kind.IN_USE, "group " + name + " has members: remove them first");
        }
        if (!attached(name).isEmpty()) {
            throw new PolicyAdminException(PolicyAdminException.Kind.IN_USE, "group " + name
                    + " has attached policies: detach them first");
        }
        table.delete(GROUPS, name);
    }

    /** Adds a user (whose existence the caller checked) to a group. */
    public void addMember(String group, String user) {
        requireGroup(group);
        table.put(GROUP_MEMBERS, group + "/" + user, new byte[0]);
        table.put(USER_GROUPS, user + "/" + group, new byte[0]);
        forgetUsers.run();
    }

    /** Returns whether the user was a member. */
    public boolean removeMember(String group, String user) {
        requireGroup(group);
        boolean was = table.delete(GROUP_MEMBERS, group + "/" + user);
        table.delete(USER_GROUPS, user + "/" + group);
        forgetUsers.run();
        return was;
    }

    /** A group's members, by name. */
    public List<String> members(String group) {
        String prefix = group + "/";
        return records.suffixes(GROUP_MEMBERS, prefix);
    }

    /** The groups a user is in, by name. */
    public List<String> groupsOf(String user) {
        String prefix = user + "/";
        return records.suffixes(USER_GROUPS, prefix);
    }

    public void attach(String group, String policy) {
        requireGroup(group);
        if (!policyExists.test(policy)) {
            throw new PolicyAdminException(PolicyAdminException.Kind.NO_SUCH_POLICY, "no policy " + policy);
        }
        table.put(GROUP_POLICIES, group + "/" + policy, new byte[0]);
        forgetUsers.run();
    }

    /** Returns whether the policy was attached to the group. */
    public boolean detach(String group, String policy) {
        requireGroup(group);
        boolean was = table.delete(GROUP_POLICIES, group + "/" + policy);
        forgetUsers.run();
        return was;
    }

    /** The names of the policies attached to a group, in order. */
    public List<String> attached(String group) {
        String prefix = group + "/";
        return records.suffixes(GROUP_POLICIES, prefix);
    }

    private void requireGroup(String name) {
        if (name == null || group(name).isEmpty()) {
            throw new PolicyAdminException(PolicyAdminException.Kind.NO_SUCH_GROUP, "no group " + name);
        }
    }

    /** A group the policy is attached to, if any (a policy in use cannot be deleted). */
    public Optional<String> holding(String policy) {
        for (MetaTable.Entry e : records.scan(GROUP_POLICIES, "")) {
            if (e.sortKey().endsWith("/" + policy)) {
                return Optional.of(e.sortKey().substring(0, e.sortKey().length() - policy.length() - 1));
            }
        }
        return Optional.empty();
    }

    /** Takes a deleted user out of its groups. */
    void userDeleted(String user) {
        for (String g : groupsOf(user)) {
            table.delete(GROUP_MEMBERS, g + "/" + user);
            table.delete(USER_GROUPS, user + "/" + g);
        }
        forgetUsers.run();
    }



}

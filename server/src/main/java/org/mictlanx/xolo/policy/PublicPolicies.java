package org.mictlanx.xolo.policy;

import java.util.Locale;
import java.util.Set;

import org.mictlanx.xolo.policy.Policy.Condition;
import org.mictlanx.xolo.policy.Policy.Statement;

/**
 * Whether a bucket policy is public, as S3 decides it for GetBucketPolicyStatus and the public access
 * block: some Allow statement grants to everyone ({@code Principal "*"} or a NotPrincipal) without a
 * condition that pins the caller to fixed values (a source IP range other than {@code /0}, a user
 * name or id, a principal ARN, a source ARN/VPC/account or organization).
 */
public final class PublicPolicies {

    private static final Set<String> PINNING_KEYS = Set.of("aws:sourceip", "aws:sourcearn", "aws:sourcevpc",
            "aws:sourcevpce", "aws:sourceaccount", "aws:sourceowner", "aws:principalorgid", "aws:principalaccount",
            "aws:principalarn", "aws:userid", "aws:username", "aws:sourceorgid", "aws:principalorgpaths");

    private PublicPolicies() {
    }

    public static boolean isPublic(Policy policy) {
        for (Statement s : policy.statements()) {
            if (s.allow() && grantsEveryone(s) && !pinned(s)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the statement grants to everyone, anonymous callers included. */
    public static boolean grantsEveryone(Statement s) {
        return s.principals() != null && (s.notPrincipal() || s.principals().contains("*"));
    }

    private static boolean pinned(Statement s) {
        for (Condition c : s.conditions()) {
            if (c.operator().negated() || c.ifExists() || !PINNING_KEYS.contains(c.key().toLowerCase(Locale.ROOT))) {
                continue;
            }
            boolean wide = c.values().stream().anyMatch(v -> v.endsWith("/0") || v.contains("*") || v.contains("?"));
            if (!wide) {
                return true;
            }
        }
        return false;
    }
}

package org.mictlanx.xolo.policy;

import java.util.List;

import org.mictlanx.xolo.policy.Policy.Condition;
import org.mictlanx.xolo.policy.Policy.Statement;

/**
 * Evaluates policies for one request as AWS does: a statement applies when its principal (bucket
 * policies), action, resource and every condition match; any applying Deny makes the decision
 * {@link Decision#EXPLICIT_DENY}, else any applying Allow makes it {@link Decision#ALLOW}, else
 * {@link Decision#IMPLICIT_DENY}. Stateless and allocation-free on the matching path except for
 * policy-variable substitution.
 *
 * <p>Principals: {@code *} matches everyone, anonymous callers included; a user ARN, access key id
 * or canonical user id matches that user; {@link Caller#ROOT_ARN} and the account id
 * {@value Caller#ACCOUNT} match root only.
 */
public final class PolicyEvaluator {

    /**
     * @param action   e.g. {@code s3:GetObject}
     * @param resource e.g. {@code arn:aws:s3:::bucket/key}
     */
    public Decision evaluate(Policy policy, Caller caller, String action, String resource, ConditionKeys keys) {
        Decision d = Decision.IMPLICIT_DENY;
        for (Statement s : policy.statements()) {
            if (applies(s, caller, action, resource, keys)) {
                if (!s.allow()) {
                    return Decision.EXPLICIT_DENY;
                }
                d = Decision.ALLOW;
            }
        }
        return d;
    }

    /** Whether the statement applies to the request (whatever its effect). */
    public boolean applies(Statement s, Caller caller, String action, String resource, ConditionKeys keys) {
        if (s.principals() != null && principalMatches(s.principals(), caller) == s.notPrincipal()) {
            return false;
        }
        if (anyMatch(s.actions(), action, true, keys) == s.notAction()) {
            return false;
        }
        if (anyMatch(s.resources(), resource, false, keys) == s.notResource()) {
            return false;
        }
        for (Condition c : s.conditions()) {
            if (!Conditions.holds(c, keys)) {
                return false;
            }
        }
        return true;
    }

    static boolean principalMatches(List<String> principals, Caller caller) {
        for (String p : principals) {
            if (p.equals("*")) {
                return true;
            }
            if (caller.anonymous()) {
                continue;
            }
            if (caller.isRoot() && (p.equals(Caller.ROOT_ARN) || p.equals(Caller.ACCOUNT))) {
                return true;
            }
            if (p.equals(caller.arn()) || p.equals(caller.accessKeyId())
                    || p.startsWith("canonical:") && p.substring(10).equals(Caller.canonicalId(caller.ownerId()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyMatch(List<String> patterns, String value, boolean ignoreCase, ConditionKeys keys) {
        for (String p : patterns) {
            if (p.equals("*")) {
                return true;
            }
            String pattern = ignoreCase ? p : Conditions.substitute(p, keys);
            if (pattern != null && Wildcard.matches(pattern, value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }
}

package org.mictlanx.xolo.policy;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The administration actions user policies may grant, named as MinIO names them: {@code admin:NAME}
 * for the admin API and console administration, {@code kms:NAME} for the built-in key service. They
 * appear only in identity (user and group) policies, apply only to the resource {@code *}, and may
 * be matched by wildcards ({@code admin:*}, {@code admin:List*}, {@code kms:*}); an action or a
 * wildcard naming none of them is refused on write ({@code MalformedPolicy: Policy has invalid action}).
 * The admin API's route → action table is {@code org.mictlanx.server.AdminRoutes}.
 */
public final class AdminActions {

    /** Every admin action, as written in policies. */
    public static final Set<String> ALL = Set.copyOf(new TreeSet<>(Set.of(
            "admin:CreateUser", "admin:ListUsers", "admin:GetUser", "admin:DeleteUser", "admin:EnableUser", "admin:DisableUser",
            "admin:ListAccessKeys", "admin:CreateAccessKey", "admin:DeleteAccessKey", "admin:UpdateAccessKey",
            "admin:ListPolicies", "admin:GetPolicy", "admin:ListUserPolicies", "admin:CreatePolicy", "admin:DeletePolicy",
            "admin:AttachUserOrGroupPolicy",
            "admin:ListGroups", "admin:GetGroup", "admin:CreateGroup", "admin:DeleteGroup", "admin:AddUserToGroup",
            "admin:RemoveUserFromGroup",
            "admin:ServerInfo", "admin:Heal", "admin:ChangePeers", "admin:DataUsageInfo", "admin:SetBucketQuota",
            "admin:RecountUsage", "admin:Trace", "admin:Prometheus",
            "admin:ListNotificationTargets", "admin:SetNotificationTarget", "admin:DeleteNotificationTarget",
            "kms:CreateKey", "kms:ListKeys", "kms:DescribeKey", "kms:DisableKey", "kms:EnableKey", "kms:RotateKey",
            "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RewrapMasterKey", "kms:GetRewrapStatus")));

    private static final Set<String> LOWER = Set.copyOf(ALL.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList());

    private AdminActions() {
    }

    /** Whether the action (or pattern) is in the admin or kms namespace rather than S3's. */
    public static boolean isAdminNamespace(String action) {
        String lower = action.toLowerCase(Locale.ROOT);
        return lower.startsWith("admin:") || lower.startsWith("kms:");
    }

    /** Whether {@code action} names an admin action exactly (case-insensitively). */
    public static boolean known(String action) {
        return LOWER.contains(action.toLowerCase(Locale.ROOT));
    }

    /** Whether the pattern (wildcards allowed) matches at least one admin action. */
    public static boolean anyMatching(String pattern) {
        for (String a : ALL) {
            if (Wildcard.matches(pattern, a, true)) {
                return true;
            }
        }
        return false;
    }
}

package org.mictlanx.server;

import org.eclipse.jetty.util.Fields;

/**
 * The one table of the admin API: which admin action ({@link org.mictlanx.xolo.policy.AdminActions})
 * each route needs. {@link AdminHandler#answer} and the trace stream look the route up here before
 * they run it, and the console decides which admin pages it shows with the same names. Root may run
 * every route; any other user one whose policies (its own or its groups') allow the action, as the
 * policy engine decides for S3 actions (an explicit Deny wins), on the resource {@code *}.
 *
 * <pre>
 *   POST users                      admin:CreateUser
 *   GET users                       admin:ListUsers       (?name: admin:GetUser)
 *   DELETE users                    admin:DeleteUser
 *   POST users/disable, users/enable admin:DisableUser, admin:EnableUser
 *   GET keys                        admin:ListAccessKeys
 *   POST keys                       admin:CreateAccessKey
 *   DELETE keys                     admin:DeleteAccessKey
 *   POST keys/disable, keys/enable  admin:UpdateAccessKey
 *   POST root/rotate                root only (no policy grants it)
 *   GET policies                    admin:ListPolicies    (?name: admin:GetPolicy; ?user, ?group: admin:ListUserPolicies)
 *   PUT policies                    admin:CreatePolicy
 *   DELETE policies                 admin:DeletePolicy
 *   POST policies/attach, detach    admin:AttachUserOrGroupPolicy
 *   GET groups                      admin:ListGroups      (?name: admin:GetGroup)
 *   POST groups, DELETE groups      admin:CreateGroup, admin:DeleteGroup
 *   POST, DELETE groups/members     admin:AddUserToGroup, admin:RemoveUserFromGroup
 *   POST kms                        kms:CreateKey
 *   GET kms                         kms:ListKeys          (?id: kms:DescribeKey)
 *   POST kms/disable, kms/enable    kms:DisableKey, kms:EnableKey
 *   POST kms/rotate                 kms:RotateKey
 *   POST kms/schedule-deletion      kms:ScheduleKeyDeletion
 *   POST kms/cancel-deletion        kms:CancelKeyDeletion
 *   POST kms/rewrap-master          kms:RewrapMasterKey
 *   GET kms/rewrap-master           kms:GetRewrapStatus
 *   GET stats, info, layout         admin:ServerInfo
 *   POST repair                     admin:Heal
 *   POST peers, peers/*             admin:ChangePeers
 *   GET buckets                     admin:DataUsageInfo
 *   POST, DELETE buckets/quota      admin:SetBucketQuota
 *   POST buckets/recount            admin:RecountUsage
 *   GET trace                       admin:Trace
 *   GET notify/targets              admin:ListNotificationTargets
 *   POST notify/targets             admin:SetNotificationTarget
 *   DELETE notify/targets           admin:DeleteNotificationTarget
 *   (console) GET metrics           admin:Prometheus
 * </pre>
 */
public final class AdminRoutes {

    /** The action of routes no policy grants: only root runs them. */
    public static final String ROOT_ONLY = "root-only";

    private AdminRoutes() {
    }

    /**
     * The admin action {@code METHOD route} needs, {@link #ROOT_ONLY}, or null when there is no such route.
     *
     * @param route the path after {@link AdminHandler#PREFIX}, e.g. {@code users} or {@code policies/attach}
     */
    public static String action(String method, String route, Fields query) {
        boolean named = query.getValue("name") != null;
        return switch (method + " " + route) {
            case "POST users" -> "admin:CreateUser";
            case "GET users" -> named ? "admin:GetUser" : "admin:ListUsers";
            case "DELETE users" -> "admin:DeleteUser";
            case "POST users/disable" -> "admin:DisableUser";
            case "POST users/enable" -> "admin:EnableUser";
            case "GET keys" -> "admin:ListAccessKeys";
            case "POST keys" -> "admin:CreateAccessKey";
            case "DELETE keys" -> "admin:DeleteAccessKey";
            case "POST keys/disable", "POST keys/enable" -> "admin:UpdateAccessKey";
            case "POST root/rotate" -> ROOT_ONLY;
            case "GET policies" -> named ? "admin:GetPolicy"
                    : query.getValue("user") != null || query.getValue("group") != null ? "admin:ListUserPolicies" : "admin:ListPolicies";
            case "PUT policies" -> "admin:CreatePolicy";
            case "DELETE policies" -> "admin:DeletePolicy";
            case "POST policies/attach", "POST policies/detach" -> "admin:AttachUserOrGroupPolicy";
            case "GET groups" -> named ? "admin:GetGroup" : "admin:ListGroups";
            case "POST groups" -> "admin:CreateGroup";
            case "DELETE groups" -> "admin:DeleteGroup";
            case "POST groups/members" -> "admin:AddUserToGroup";
            case "DELETE groups/members" -> "admin:RemoveUserFromGroup";
            case "POST kms" -> "kms:CreateKey";
            case "GET kms" -> query.getValue("id") != null ? "kms:DescribeKey" : "kms:ListKeys";
            case "POST kms/disable" -> "kms:DisableKey";
            case "POST kms/enable" -> "kms:EnableKey";
            case "POST kms/rotate" -> "kms:RotateKey";
            case "POST kms/schedule-deletion" -> "kms:ScheduleKeyDeletion";
            case "POST kms/cancel-deletion" -> "kms:CancelKeyDeletion";
            case "POST kms/rewrap-master" -> "kms:RewrapMasterKey";
            case "GET kms/rewrap-master" -> "kms:GetRewrapStatus";
            case "GET stats", "GET info", "GET layout" -> "admin:ServerInfo";
            case "POST repair" -> "admin:Heal";
            case "POST peers", "POST peers/replace", "POST peers/drain", "POST peers/remove", "POST peers/rebuild" ->
                    "admin:ChangePeers";
            case "GET buckets" -> "admin:DataUsageInfo";
            case "POST buckets/quota", "DELETE buckets/quota" -> "admin:SetBucketQuota";
            case "POST buckets/recount" -> "admin:RecountUsage";
            case "GET trace" -> "admin:Trace";
            case "GET notify/targets" -> "admin:ListNotificationTargets";
            case "POST notify/targets" -> "admin:SetNotificationTarget";
            case "DELETE notify/targets" -> "admin:DeleteNotificationTarget";
            default -> null;
        };
    }
}

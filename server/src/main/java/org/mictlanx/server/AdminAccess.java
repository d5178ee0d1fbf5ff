package org.mictlanx.server;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.mictlanx.xolo.identity.Principal;
import org.mictlanx.xolo.policy.AccessControl;
import org.mictlanx.xolo.policy.Caller;
import org.mictlanx.xolo.policy.ConditionKeys;

/**
 * Decides admin actions ({@link AdminRoutes}) with the policy engine: root may do everything; a user
 * what its policies (its own and its groups') allow on the resource {@code *}, an explicit Deny
 * winning; {@link AdminRoutes#ROOT_ONLY} routes are root's alone. Unknown or disabled keys may do
 * nothing. Policy changes made through another router apply within the policy cache bound.
 */
public final class AdminAccess implements AdminHandler.Authorizer {

    private final Function<String, Optional<Principal>> principals;
    private final AccessControl access;

    public AdminAccess(Function<String, Optional<Principal>> principals, AccessControl access) {
        this.principals = principals;
        this.access = access;
    }

    @Override
    public boolean allowed(String accessKeyId, String action) {
        Optional<Principal> who = accessKeyId == null ? Optional.empty() : principals.apply(accessKeyId);
        if (who.isEmpty()) return false;
        if (who.get().root()) return true;
        if (AdminRoutes.ROOT_ONLY.equals(action)) return false;
        String user = who.get().user();
        ConditionKeys keys = key -> switch (key.toLowerCase(java.util.Locale.ROOT)) {
            case "aws:username" -> List.of(user);
            case "aws:userid" -> List.of(accessKeyId);
            case "aws:principaltype" -> List.of("User");
            default -> null;
        };
        return access.allowed(Caller.user(user, accessKeyId), action, "*", Optional.empty(), keys);
    }
}

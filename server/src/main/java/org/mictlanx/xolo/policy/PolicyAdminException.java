package org.mictlanx.xolo.policy;

/**
 * A user policy or group command that cannot be done: the policy or group does not exist, the policy
 * is attached or built in, the group exists already or still has members or policies (IN_USE).
 */
public final class PolicyAdminException extends RuntimeException {

    public enum Kind { NO_SUCH_POLICY, IN_USE, BUILT_IN, NO_SUCH_GROUP, GROUP_EXISTS }

    private final Kind kind;

    public PolicyAdminException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

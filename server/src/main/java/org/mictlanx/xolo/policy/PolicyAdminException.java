package org.mictlanx.xolo.policy;

/** A user policy command that cannot be done: the policy does not exist, is attached, or is built in. */
public final class PolicyAdminException extends RuntimeException {

    public enum Kind { NO_SUCH_POLICY, IN_USE, BUILT_IN }

    private final Kind kind;

    public PolicyAdminException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

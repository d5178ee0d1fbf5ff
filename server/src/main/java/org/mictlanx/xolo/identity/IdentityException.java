package org.mictlanx.xolo.identity;

/** A refused identity operation; the admin API maps the kind to its response. */
public final class IdentityException extends RuntimeException {

    public enum Kind {
        INVALID_NAME, USER_EXISTS, NO_SUCH_USER, NO_SUCH_KEY,
        /** A user already holds the most access keys allowed. */
        LIMIT_EXCEEDED,
        /** Root's secret comes from the settings, so only the operator can change it. */
        ROOT_FROM_SETTINGS
    }

    private final Kind kind;

    public IdentityException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

package org.mictlanx.xolo.identity;

/** A refused identity operation; the admin API maps the kind to its response. */
public final class IdentityException extends RuntimeException {

    public enum Kind { INVALID_NAME, USER_EXISTS, NO_SUCH_USER, NO_SUCH_KEY }

    private final Kind kind;

    public IdentityException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

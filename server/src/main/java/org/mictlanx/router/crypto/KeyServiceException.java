package org.mictlanx.router.crypto;

/** A key service refusal: the key is unknown or disabled. */
public final class KeyServiceException extends RuntimeException {

    public enum Kind { NOT_FOUND, DISABLED }

    private final Kind kind;

    public KeyServiceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

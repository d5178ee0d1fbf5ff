package org.mictlanx.router.crypto;

/**
 * A key service refusal: the key is unknown (or deleted), disabled, or pending deletion (S3 answers
 * {@code KMS.NotFoundException}, {@code KMS.DisabledException}, {@code KMS.KMSInvalidStateException}).
 */
public final class KeyServiceException extends RuntimeException {

    public enum Kind { NOT_FOUND, DISABLED, PENDING_DELETION }

    private final Kind kind;

    public KeyServiceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

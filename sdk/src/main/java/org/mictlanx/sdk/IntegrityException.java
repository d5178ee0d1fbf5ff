package org.mictlanx.sdk;

/** The bytes read do not match the ball's stored checksum (or its ETag changed while reading). */
public final class IntegrityException extends MictlanXException {

    /** A mismatch described by {@code message}. */
    public IntegrityException(String message) {
        super(message, null);
    }
}

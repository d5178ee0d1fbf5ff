package org.mictlanx.sdk;

import org.jspecify.annotations.Nullable;

/**
 * A client-side encrypted ball cannot be read: this client lacks the key it was written with, or the
 * key it has under that id does not authenticate the ciphertext (wrong key or tampered bytes).
 */
public final class EncryptionException extends MictlanXException {

    /** A failure described by {@code message}. */
    public EncryptionException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}

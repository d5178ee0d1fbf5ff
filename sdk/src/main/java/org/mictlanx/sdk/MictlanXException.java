package org.mictlanx.sdk;

import org.jspecify.annotations.Nullable;

/**
 * Any failure of a MictlanX call. {@link #status()} is the HTTP status of the answer (0 when no
 * answer arrived, e.g. every router unreachable) and {@link #code()} the S3 error code, if any.
 */
public class MictlanXException extends RuntimeException {

    /** HTTP status of the answer, 0 when none arrived. */
    private final int status;
    /** S3 error code of the answer, or null. */
    private final @Nullable String code;

    /** A failure with the server's answer (status and S3 error code, the code may be null). */
    public MictlanXException(String message, int status, @Nullable String code, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    /** A client-side failure with no server answer. */
    public MictlanXException(String message, @Nullable Throwable cause) {
        this(message, 0, null, cause);
    }

    /** The HTTP status, 0 if no answer was received. */
    public int status() {
        return status;
    }

    /** The S3 error code (e.g. {@code NoSuchKey}), or null. */
    public @Nullable String code() {
        return code;
    }

    /** True when the server answered 404. */
    public boolean isNotFound() {
        return status == 404;
    }
}

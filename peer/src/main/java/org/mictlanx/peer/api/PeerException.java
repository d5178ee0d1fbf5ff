package org.mictlanx.peer.api;

/**
 * The one failure type of {@link PeerApi}. {@link Kind} says what happened and maps one-to-one to
 * the peer's HTTP status, so a remote peer's error reaches the router as the same kind.
 */
public final class PeerException extends RuntimeException {

    public enum Kind {
        BAD_REQUEST(400, false),
        CHECKSUM_MISMATCH(400, false),
        UNAUTHORIZED(401, false),
        FORBIDDEN(403, false),
        NOT_FOUND(404, false),
        TOO_LARGE(413, false),
        /** Stored bytes fail their checksum: never served. */
        CORRUPT(422, true),
        DISK_FULL(507, true),
        /** Unreachable, timed out, or an unexpected server-side failure. */
        UNAVAILABLE(503, true);

        public final int httpStatus;
        /** Whether another replica may succeed where this peer failed. */
        public final boolean tryAnotherReplica;

        Kind(int httpStatus, boolean tryAnotherReplica) {
            this.httpStatus = httpStatus;
            this.tryAnotherReplica = tryAnotherReplica;
        }
    }

    private final Kind kind;

    public PeerException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PeerException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

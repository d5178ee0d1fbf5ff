package org.mictlanx.router;

import org.jspecify.annotations.Nullable;

/** The one failure type of {@link BallStore}; the front door maps each kind to its protocol error. */
public final class RouterException extends RuntimeException {

    public enum Kind {
        NO_SUCH_BUCKET,
        /** An object lock (retention or legal hold) forbids the change (S3 403 AccessDenied). */
        LOCKED,
        BUCKET_EXISTS,
        BUCKET_NOT_EMPTY,
        /** Fewer than the write (or read) quorum of peers answered. */
        QUORUM_FAILED,
        /** No replica of a needed chunk could be read and authenticated. */
        CHUNK_UNAVAILABLE,
        /** The body ended before the declared length, or ran past it. */
        INCOMPLETE_BODY,
        BAD_REQUEST,
        /** A {@link WriteCondition} did not hold (S3 412 PreconditionFailed). */
        PRECONDITION_FAILED,
        /**
         * An If-Match {@link WriteCondition} found no ball under the key (no record, or a deleted
         * one): a failed precondition like {@link #PRECONDITION_FAILED}, told apart so that the
         * front door can answer it as S3 does for the operation (PutObject: 404 NoSuchKey).
         */
        NO_SUCH_BALL,
        /**
         * A conditional write lost a race with a concurrent write of the same key (S3 409
         * ConditionalRequestConflict); retrying re-evaluates the condition.
         */
        CONFLICT,
        /** No open multipart upload with that id for that bucket and key (S3 NoSuchUpload). */
        NO_SUCH_UPLOAD,
        /** A completed part is not uploaded or does not match its ETag/checksums (S3 InvalidPart); detail = part number. */
        INVALID_PART,
        /** Completed parts are not in strictly ascending part-number order (S3 InvalidPartOrder). */
        INVALID_PART_ORDER,
        /** A part other than the last is smaller than the minimum part size (S3 EntityTooSmall); detail = part number. */
        ENTITY_TOO_SMALL,
        /** Another router holds the bucket's create/delete guard for too long (S3 409 OperationAborted); retry. */
        OPERATION_ABORTED,
        /** The write would take the bucket past its hard quota; detail = the quota in bytes. */
        QUOTA_EXCEEDED
    }

    private final Kind kind;
    private final @Nullable String detail;

    public RouterException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public RouterException(Kind kind, String message, @Nullable String detail, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.detail = detail;
    }

    public Kind kind() {
        return kind;
    }

    /** Kind-specific detail, e.g. the owner of an existing bucket; may be null. */
    public @Nullable String detail() {
        return detail;
    }
}

package org.mictlanx.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

import org.mictlanx.router.io.BufferBudget;

import org.mictlanx.router.RouterException;
import org.mictlanx.xolo.sigv4.SigV4Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become S3 errors: router kinds, SigV4 reasons, body I/O failures
 * (a body read that hit the idle timeout is RequestTimeout), a spent request buffer budget (SlowDown).
 * Anything unrecognised becomes InternalError here and only here (and is logged with its cause).
 */
public final class ErrorMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    public S3Exception map(Throwable failure, String requestId) {
        boolean io = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof S3Exception e) {
                return e;
            }
            if (t instanceof SigV4Exception e) {
                return fromSigV4(e);
            }
            if (t instanceof RouterException e) {
                return fromRouter(e);
            }
            if (t instanceof BufferBudget.Exhausted) {
                LOG.debug("request {}: {}", requestId, t.getMessage());
                return new S3Exception(S3ErrorCode.SLOW_DOWN);
            }
            if (t instanceof TimeoutException) {
                // Jetty fails a blocked body read with the connector's idle timeout.
                return new S3Exception(S3ErrorCode.REQUEST_TIMEOUT);
            }
            io |= t instanceof IOException || t instanceof UncheckedIOException;
        }
        if (io) {
            LOG.debug("request {}: body I/O failed: {}", requestId, failure.toString());
            return new S3Exception(S3ErrorCode.INCOMPLETE_BODY, S3ErrorCode.INCOMPLETE_BODY.defaultMessage(),
                    java.util.Map.of(), failure);
        }
        LOG.error("request {}: internal error", requestId, failure);
        return new S3Exception(S3ErrorCode.INTERNAL_ERROR, S3ErrorCode.INTERNAL_ERROR.defaultMessage(),
                java.util.Map.of(), failure);
    }

    /** The S3 error of a router failure (for per-key results such as DeleteObjects). */
    public static S3Exception fromRouterKind(RouterException e) {
        return fromRouter(e);
    }

    static S3Exception fromRouter(RouterException e) {
        return switch (e.kind()) {
            case NO_SUCH_BUCKET -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET);
            case LOCKED -> new S3Exception(S3ErrorCode.ACCESS_DENIED,
                    e.getMessage() == null ? S3ErrorCode.ACCESS_DENIED.defaultMessage() : e.getMessage());
            case BUCKET_EXISTS -> new S3Exception(S3ErrorCode.BUCKET_ALREADY_EXISTS);
            case BUCKET_NOT_EMPTY -> new S3Exception(S3ErrorCode.BUCKET_NOT_EMPTY);
            case QUORUM_FAILED -> new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE,
                    "Too few storage peers answered; please retry.");
            case CHUNK_UNAVAILABLE -> new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE,
                    "Part of the object cannot be read right now; please retry.");
            case INCOMPLETE_BODY -> new S3Exception(S3ErrorCode.INCOMPLETE_BODY);
            case BAD_REQUEST -> new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    e.getMessage() == null ? S3ErrorCode.INVALID_REQUEST.defaultMessage() : e.getMessage());
            case PRECONDITION_FAILED, NO_SUCH_BALL -> new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
            case CONFLICT -> new S3Exception(S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT);
            case NO_SUCH_UPLOAD -> new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD);
            case INVALID_PART -> new S3Exception(S3ErrorCode.INVALID_PART);
            case INVALID_PART_ORDER -> new S3Exception(S3ErrorCode.INVALID_PART_ORDER);
            case ENTITY_TOO_SMALL -> new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL);
            case OPERATION_ABORTED -> new S3Exception(S3ErrorCode.OPERATION_ABORTED);
            case QUOTA_EXCEEDED -> new S3Exception(S3ErrorCode.QUOTA_EXCEEDED, e.getMessage());
        };
    }

    static S3Exception fromSigV4(SigV4Exception e) {
        String detail = e.getMessage();
        return switch (e.reason()) {
            case MISSING_AUTHENTICATION -> new S3Exception(S3ErrorCode.ACCESS_DENIED);
            case AUTHORIZATION_HEADER_MALFORMED -> withDetail(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED, detail);
            case AUTHORIZATION_QUERY_MALFORMED, PRESIGNED_EXPIRES_INVALID ->
                    withDetail(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, detail);
            case UNSUPPORTED_ALGORITHM -> new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
            case INVALID_ACCESS_KEY_ID -> new S3Exception(S3ErrorCode.INVALID_ACCESS_KEY_ID);
            case SIGNATURE_DOES_NOT_MATCH, CHUNK_SIGNATURE_DOES_NOT_MATCH ->
                    new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
            case MISSING_OR_BAD_DATE -> new S3Exception(S3ErrorCode.ACCESS_DENIED,
                    "AWS authentication requires a valid Date or x-amz-date header");
            case REQUEST_TIME_TOO_SKEWED -> new S3Exception(S3ErrorCode.REQUEST_TIME_TOO_SKEWED);
            case PRESIGNED_EXPIRED -> new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired");
            case MISSING_CONTENT_SHA256 -> new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Missing required header for this request: x-amz-content-sha256");
            case INVALID_CONTENT_SHA256 -> new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD,"
                            + " or a valid sha256 value.");
            case CONTENT_SHA256_MISMATCH -> new S3Exception(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH);
            case MALFORMED_CHUNKED_BODY -> withDetail(S3ErrorCode.INCOMPLETE_BODY, detail);
            case HEADERS_NOT_SIGNED -> new S3Exception(S3ErrorCode.ACCESS_DENIED, detail,
                    new S3Exception.Elements(null, e.detail()));
            case WRONG_REGION_HEADER -> new S3Exception(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED, detail,
                    new S3Exception.Elements(e.detail(), null));
            case SIGV2_MALFORMED -> withDetail(S3ErrorCode.INVALID_ARGUMENT, detail);
            case POST_FORM_INVALID -> withDetail(S3ErrorCode.INVALID_ARGUMENT, detail);
            case SIGV2_QUERY_INCOMPLETE -> withDetail(S3ErrorCode.ACCESS_DENIED, detail);
            case WRONG_REGION_QUERY -> new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, detail,
                    new S3Exception.Elements(e.detail(), null));
        };
    }

    private static S3Exception withDetail(S3ErrorCode code, String detail) {
        return new S3Exception(code, detail == null || detail.isBlank() ? code.defaultMessage() : detail);
    }
}

package org.mictlanx.s3.handler;

import org.mictlanx.router.WriteCondition;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;

/**
 * The write preconditions of PutObject, CopyObject and CompleteMultipartUpload as S3 defines them:
 * {@code If-None-Match: *} (create only when no ball is under the key) and {@code If-Match: "etag"}
 * (replace only that ball). Any other If-None-Match value is NotImplemented, as in S3; both headers
 * at once are refused. The router evaluates the condition atomically with the commit.
 */
final class WriteConditions {

    private WriteConditions() {
    }

    static WriteCondition of(S3Request req) {
        String ifNoneMatch = req.header("if-none-match");
        String ifMatch = req.header("if-match");
        if (ifNoneMatch != null && ifMatch != null) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    "A header you provided implies functionality that is not implemented: If-Match with If-None-Match");
        }
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                        "A header you provided implies functionality that is not implemented: If-None-Match");
            }
            return WriteCondition.IF_ABSENT;
        }
        if (ifMatch != null) {
            String etag = ifMatch.trim();
            if (etag.isEmpty() || etag.equals("\"\"")) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "If-Match must name an ETag");
            }
            return WriteCondition.ifMatch(etag);
        }
        return WriteCondition.NONE;
    }
}

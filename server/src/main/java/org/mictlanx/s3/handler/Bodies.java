package org.mictlanx.s3.handler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

import org.mictlanx.router.Digest;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;

/** Reads small request bodies (XML documents) with a hard size cap and full integrity checks. */
final class Bodies {

    private Bodies() {
    }

    /**
     * The whole body, at most {@code max} bytes: a declared larger length is refused before any byte
     * is read, an undeclared one as soon as the cap is passed. Digests are verified before returning.
     * The bytes are reserved from the request's buffer lease first (503 SlowDown when the budget is spent).
     */
    static byte[] readSmall(S3Request req, int max) {
        return readSmall(req, max, true);
    }

    /**
     * As {@link #readSmall(S3Request, int)}; with {@code checksumHeadersDescribeBody} false the
     * {@code x-amz-checksum-*} headers are left alone (they describe something else, e.g. the object
     * a CompleteMultipartUpload commits) and only Content-MD5 and trailers are checked against the body.
     */
    static byte[] readSmall(S3Request req, int max, boolean checksumHeadersDescribeBody) {
        if (req.contentLength() > max) {
            throw new S3Exception(S3ErrorCode.MAX_MESSAGE_LENGTH_EXCEEDED);
        }
        Set<Digest> wanted = checksumHeadersDescribeBody ? Checksums.precheck(req) : Checksums.precheckMd5(req);
        // What is buffered here is reserved first (the declared length, or the cap when none is declared).
        req.buffers().reserve(req.contentLength() >= 0 ? req.contentLength() : max);
        byte[] body;
        try {
            body = req.body().readNBytes(max + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (body.length > max) {
            throw new S3Exception(S3ErrorCode.MAX_MESSAGE_LENGTH_EXCEEDED);
        }
        if (req.contentLength() >= 0 && body.length != req.contentLength()) {
            throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY);
        }
        if (checksumHeadersDescribeBody) {
            Checksums.verify(req, Checksums.compute(body, wanted));
        } else {
            Checksums.verifyMd5AndTrailers(req, Checksums.compute(body, wanted));
        }
        return body;
    }
}

package org.mictlanx.s3.handler;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;

/**
 * Validates {@code x-amz-server-side-encryption}: {@code AES256} (SSE-S3: every chunk is encrypted at
 * rest under envelope keys the store holds) and {@code aws:kms} (SSE-KMS) are accepted; what they
 * mean for the write is decided by {@code org.mictlanx.s3.sse.Encryptions}. {@code aws:kms:dsse} is
 * 501 NotImplemented; any other value is InvalidArgument.
 */
final class ServerSideEncryption {

    static final String HEADER = "x-amz-server-side-encryption";
    static final String AES256 = "AES256";

    private ServerSideEncryption() {
    }

    /** Validates the request's SSE header, if any; returns whether one was given. */
    static boolean check(S3Request req) {
        String value = req.header(HEADER);
        if (value == null) {
            return false;
        }
        String v = value.trim();
        if (v.equals(AES256)) {
            return true;
        }
        if (v.equals("aws:kms")) {
            return true;
        }
        if (v.equals("aws:kms:dsse")) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    "Server-side encryption with " + v + " is not implemented; use AES256");
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The encryption method specified is not supported");
    }
}

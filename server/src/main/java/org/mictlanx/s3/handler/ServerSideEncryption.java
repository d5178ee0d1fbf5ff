package org.mictlanx.s3.handler;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;

/**
 * {@code x-amz-server-side-encryption}. Every chunk is encrypted at rest (AES-256-GCM with envelope
 * keys held by the store), which is what SSE-S3 promises, so {@code AES256} is honoured as is and
 * every object response says so ({@code x-amz-server-side-encryption: AES256}), as S3 does for
 * buckets with SSE-S3 default encryption. {@code aws:kms} and {@code aws:kms:dsse} are refused with
 * 501 NotImplemented until KMS exists; any other value is InvalidArgument.
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
        if (v.equals("aws:kms") || v.equals("aws:kms:dsse")) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    "Server-side encryption with " + v + " is not implemented; use AES256");
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The encryption method specified is not supported");
    }

    /** Adds the SSE-S3 response header. */
    static S3Response.Builder echo(S3Response.Builder out) {
        return out.header(HEADER, AES256);
    }
}

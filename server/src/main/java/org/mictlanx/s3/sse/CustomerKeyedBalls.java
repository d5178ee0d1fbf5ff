package org.mictlanx.s3.sse;

import java.util.Map;
import java.util.Optional;

import org.mictlanx.router.UploadInfo;
import org.mictlanx.router.crypto.CustomerKey;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Response;

/**
 * SSE-C on balls and uploads. A ball (or open upload) written with a customer key carries, in its
 * stored system headers, {@value #VERIFIER} = a salted HMAC of the key ({@link CustomerKey#verifier});
 * its segments' data keys are wrapped under keys derived from the customer key (router side). Reads
 * check the key against the verifier before anything is unwrapped: no key → 400 InvalidRequest, a
 * wrong one → 403 AccessDenied, a key for a ball stored without one → 400 InvalidRequest, as S3.
 * The internal header is never rendered (only {@code Metadata.SYSTEM_HEADERS} are).
 */
public final class CustomerKeyedBalls {

    /** Stored header holding the key's salted HMAC; not a wire header. */
    public static final String VERIFIER = "x-mx-sse-c";
    public static final String ALGORITHM_HEADER = "x-amz-server-side-encryption-customer-algorithm";
    public static final String KEY_MD5_HEADER = "x-amz-server-side-encryption-customer-key-MD5";

    private CustomerKeyedBalls() {
    }

    public static boolean customerKeyed(Map<String, String> storedHeaders) {
        return storedHeaders.containsKey(VERIFIER);
    }

    /**
     * Checks that {@code key} is what the ball with {@code storedHeaders} needs: the matching customer
     * key for an SSE-C ball, none otherwise.
     */
    public static void check(Map<String, String> storedHeaders, Optional<CustomerKey> key) {
        String verifier = storedHeaders.get(VERIFIER);
        if (verifier == null) {
            if (key.isPresent()) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "The encryption parameters are not applicable to this object.");
            }
            return;
        }
        if (key.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The object was stored using a form of Server Side"
                    + " Encryption. The correct parameters must be provided to retrieve the object.");
        }
        if (!key.get().matches(verifier)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "The provided customer key does not match the key the"
                    + " object was stored with.");
        }
    }

    /** Checks the key of an UploadPart (or UploadPartCopy destination) against the upload's. */
    public static void checkUpload(UploadInfo upload, Optional<CustomerKey> key) {
        String verifier = upload.headers().get(VERIFIER);
        if (verifier == null) {
            if (key.isPresent()) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The multipart upload initiate did not request encryption."
                        + " Subsequent part requests must not include the"
                        + " customer-provided key.");
            }
            return;
        }
        if (key.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The multipart upload initiate requested encryption."
                    + " Subsequent part requests must include the appropriate encryption parameters.");
        }
        if (!key.get().matches(verifier)) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The provided encryption parameters did not match the"
                    + " ones used originally.");
        }
    }

    /** The encryption answer headers: SSE-C's algorithm and key MD5, else SSE-S3's AES256. */
    public static S3Response.Builder echo(S3Response.Builder out, Optional<CustomerKey> key) {
        if (key.isPresent()) {
            return out.header(ALGORITHM_HEADER, "AES256").header(KEY_MD5_HEADER, key.get().md5Base64());
        }
        return out.header("x-amz-server-side-encryption", "AES256");
    }
}

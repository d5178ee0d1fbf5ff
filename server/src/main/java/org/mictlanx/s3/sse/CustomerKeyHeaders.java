package org.mictlanx.s3.sse;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

import org.mictlanx.router.crypto.CustomerKey;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;

/**
 * Parses S3's SSE-C request headers: {@code x-amz-server-side-encryption-customer-algorithm}
 * ({@code AES256}), {@code -key} (base64 of 256 bits) and {@code -key-MD5} (base64 of the key's
 * MD5), or the same three with the {@code x-amz-copy-source-} prefix for a copy's source. All
 * three or none; errors as S3: a missing one, a key that is not 256 bits or an MD5 that does not
 * match → 400 InvalidArgument; another algorithm → 400 InvalidEncryptionAlgorithmError; SSE-C
 * together with {@code x-amz-server-side-encryption} → 400 InvalidArgument. The key is never
 * logged ({@link CustomerKey#toString}).
 */
public final class CustomerKeyHeaders {

    public static final String PREFIX = "x-amz-server-side-encryption-customer-";
    public static final String COPY_SOURCE_PREFIX = "x-amz-copy-source-server-side-encryption-customer-";

    private CustomerKeyHeaders() {
    }

    /** The request's customer key (destination or the object read), if it gives one. */
    public static Optional<CustomerKey> of(S3Request req) {
        Optional<CustomerKey> key = parse(req, PREFIX);
        if (key.isPresent() && req.header("x-amz-server-side-encryption") != null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Server Side Encryption with Customer provided key is"
                    + " incompatible with the encryption method specified");
        }
        return key;
    }

    /** The customer key of a copy's source, if the request gives one. */
    public static Optional<CustomerKey> ofCopySource(S3Request req) {
        return parse(req, COPY_SOURCE_PREFIX);
    }

    private static Optional<CustomerKey> parse(S3Request req, String prefix) {
        String algorithm = req.header(prefix + "algorithm");
        String key = req.header(prefix + "key");
        String md5 = req.header(prefix + "key-md5");
        if (algorithm == null && key == null && md5 == null) {
            return Optional.empty();
        }
        if (algorithm == null) {
            throw invalid("Requests specifying Server Side Encryption with Customer provided keys must provide a valid"
                    + " encryption algorithm.");
        }
        if (!algorithm.strip().equals("AES256")) {
            throw new S3Exception(S3ErrorCode.INVALID_ENCRYPTION_ALGORITHM,
                    "The Encryption request you specified is not valid. Supported value: AES256.");
        }
        if (key == null) {
            throw invalid("Requests specifying Server Side Encryption with Customer provided keys must provide an"
                    + " appropriate secret key.");
        }
        if (md5 == null) {
            throw invalid("Requests specifying Server Side Encryption with Customer provided keys must provide the"
                    + " client calculated MD5 of the secret key.");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(key.strip());
        } catch (IllegalArgumentException e) {
            throw invalid("The secret key was invalid for the specified algorithm.");
        }
        if (raw.length != 32) {
            throw invalid("The secret key was invalid for the specified algorithm.");
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(md5.strip());
        } catch (IllegalArgumentException e) {
            throw invalid("The calculated MD5 hash of the key did not match the hash that was provided.");
        }
        try {
            if (!MessageDigest.isEqual(MessageDigest.getInstance("MD5").digest(raw), given)) {
                throw invalid("The calculated MD5 hash of the key did not match the hash that was provided.");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
        CustomerKey k = new CustomerKey(raw);
        java.util.Arrays.fill(raw, (byte) 0);
        return Optional.of(k);
    }

    private static S3Exception invalid(String message) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message);
    }
}

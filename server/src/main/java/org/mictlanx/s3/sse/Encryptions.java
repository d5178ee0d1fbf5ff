package org.mictlanx.s3.sse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.crypto.CustomerKey;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;

/**
 * Server-side encryption of writes and reads, one place for the three kinds S3 has:
 * SSE-S3 (the master key wraps each segment's data key; the default), SSE-C (a customer key sent
 * with every request, {@link CustomerKeyedBalls}) and SSE-KMS (a key service key,
 * {@link KmsBalls}). What a ball was written with is recorded in internal stored headers
 * ({@code x-mx-sse-*}), never rendered; the router only ever sees the key that wraps the data keys
 * ({@link CustomerKey}, null for the master key).
 */
public final class Encryptions {

    public static final String SSE_HEADER = "x-amz-server-side-encryption";
    private static final List<String> INTERNAL = List.of(CustomerKeyedBalls.VERIFIER, KmsBalls.KEY, KmsBalls.CONTEXT,
            KmsBalls.BUCKET_KEY);

    private Encryptions() {
    }

    /**
     * A bucket's default encryption (PutBucketEncryption): {@code kmsKeyId} null for SSE-S3,
     * {@link KmsBalls#MANAGED_ALIAS} for SSE-KMS with the AWS managed key.
     */
    public record BucketDefault(String kmsKeyId, boolean bucketKey) {
    }

    /**
     * How a new ball (or upload) is encrypted.
     *
     * @param wrapKey what wraps the data keys (null: the master key)
     * @param stored  internal headers to store with the ball
     */
    public record Write(CustomerKey wrapKey, Map<String, String> stored, Optional<CustomerKey> customerKey,
                        String kmsKeyId, String context, boolean bucketKey) {

        /** {@code headers} without any internal encryption header, plus this write's. */
        public Map<String, String> apply(Map<String, String> headers) {
            Map<String, String> out = new LinkedHashMap<>(headers);
            INTERNAL.forEach(out::remove);
            out.putAll(stored);
            return out;
        }

        public S3Response.Builder echo(S3Response.Builder out, String region) {
            return Encryptions.echo(out, customerKey, kmsKeyId, context, bucketKey, region);
        }
    }

    /** How a stored ball or upload is read: {@code unwrapKey} null for the master key. */
    public record Read(CustomerKey unwrapKey, Optional<CustomerKey> customerKey, String kmsKeyId, String context,
                       boolean bucketKey) {

        /** The ball re-wrapped for {@code openBall} (or a copy to {@code to}); as is when nothing changes. */
        public BallInfo readable(BallStore store, BallInfo ball, CustomerKey to) {
            return unwrapKey == null && to == null ? ball : store.rewrap(ball, unwrapKey, to);
        }

        public S3Response.Builder echo(S3Response.Builder out, String region) {
            return Encryptions.echo(out, customerKey, kmsKeyId, context, bucketKey, region);
        }
    }

    /**
     * The encryption a write asks for: SSE-C headers, {@code x-amz-server-side-encryption}
     * ({@code AES256}, {@code aws:kms} with its key id, context and bucket-key headers), else the
     * bucket's default, else SSE-S3.
     */
    public static Write forWrite(S3Request req, BallStore store, Optional<BucketDefault> bucketDefault) {
        Optional<CustomerKey> ck = CustomerKeyHeaders.of(req);
        String sse = req.header(SSE_HEADER);
        String keyHeader = req.header(KmsBalls.KEY_ID_HEADER);
        String contextHeader = req.header(KmsBalls.CONTEXT_HEADER);
        String bucketKeyHeader = req.header(KmsBalls.BUCKET_KEY_HEADER);
        boolean kms = sse != null && sse.strip().equals("aws:kms");
        if (!kms && (keyHeader != null || contextHeader != null)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Server Side Encryption with AWS KMS managed key requires"
                    + " HTTP header x-amz-server-side-encryption : aws:kms");
        }
        boolean bucketKey = parseBool(bucketKeyHeader);
        if (ck.isPresent()) {
            return new Write(ck.get(), Map.of(CustomerKeyedBalls.VERIFIER, ck.get().verifier()), ck, null, null, false);
        }
        if (kms) {
            // Without a key id: the bucket default's key, else the AWS managed key aws/s3 (as S3).
            String keyId = keyHeader != null ? KmsBalls.keyId(keyHeader)
                    : bucketDefault.map(BucketDefault::kmsKeyId).orElse(KmsBalls.MANAGED_ALIAS);
            return kmsWrite(req, store, keyId, KmsBalls.context(contextHeader), bucketKey);
        }
        if (sse == null && bucketDefault.isPresent() && bucketDefault.get().kmsKeyId() != null) {
            return kmsWrite(req, store, bucketDefault.get().kmsKeyId(), null, bucketDefault.get().bucketKey());
        }
        return new Write(null, Map.of(), Optional.empty(), null, null, false);
    }

    /** Throws S3's KMS error unless {@code keyId} names an enabled key of the store's key service. */
    public static void requireUsableKmsKey(BallStore store, String keyId) {
        KmsBalls.forWrite(store, keyId, null, false);
    }

    private static Write kmsWrite(S3Request req, BallStore store, String keyId, String context, boolean bucketKey) {
        Map.Entry<CustomerKey, Map<String, String>> w = KmsAudit.refusalsLogged(req, "GenerateDataKey", keyId,
                () -> KmsBalls.forWrite(store, keyId, context, bucketKey));
        KmsAudit.used(req, "GenerateDataKey", w.getValue().get(KmsBalls.KEY), "ok");
        return new Write(w.getKey(), w.getValue(), Optional.empty(), KmsBalls.keyIdOf(w.getValue()), context, bucketKey);
    }

    /**
     * The key to read a stored ball (or to add parts to an upload) with {@code stored} headers, from
     * the request's SSE-C headers ({@code copySource}: the {@code x-amz-copy-source-} ones) or the
     * key service; S3's errors for a missing, wrong or inapplicable key or a disabled KMS key.
     */
    public static Read forRead(S3Request req, BallStore store, Map<String, String> stored, boolean copySource) {
        Optional<CustomerKey> ck = copySource ? CustomerKeyHeaders.ofCopySource(req) : CustomerKeyHeaders.of(req);
        CustomerKeyedBalls.check(stored, ck);
        if (ck.isPresent()) {
            return new Read(ck.get(), ck, null, null, false);
        }
        if (stored.containsKey(KmsBalls.KEY)) {
            String ref = stored.get(KmsBalls.KEY);
            CustomerKey key = KmsAudit.refusalsLogged(req, "Decrypt", ref, () -> KmsBalls.forRead(store, stored));
            KmsAudit.used(req, "Decrypt", ref, "ok");
            return new Read(key, Optional.empty(), KmsBalls.keyIdOf(stored),
                    stored.get(KmsBalls.CONTEXT), stored.containsKey(KmsBalls.BUCKET_KEY));
        }
        return new Read(null, Optional.empty(), null, null, false);
    }

    /**
     * Whether a stored ball (or upload) is SSE-C or SSE-KMS: it can only be read with a key the
     * request names or the key service holds, never with the master key alone.
     */
    public static boolean keyed(Map<String, String> stored) {
        return CustomerKeyedBalls.customerKeyed(stored) || stored.containsKey(KmsBalls.KEY);
    }

    /** The answer headers of a ball stored with {@code stored} headers when no key is at hand (Complete). */
    public static S3Response.Builder echoStored(S3Response.Builder out, Map<String, String> stored, String region) {
        if (CustomerKeyedBalls.customerKeyed(stored)) {
            return out.header(CustomerKeyedBalls.ALGORITHM_HEADER, "AES256");
        }
        String kmsKey = stored.containsKey(KmsBalls.KEY) ? KmsBalls.keyIdOf(stored) : null;
        return echo(out, Optional.empty(), kmsKey, stored.get(KmsBalls.CONTEXT), stored.containsKey(KmsBalls.BUCKET_KEY),
                region);
    }

    private static S3Response.Builder echo(S3Response.Builder out, Optional<CustomerKey> ck, String kmsKeyId,
                                           String context, boolean bucketKey, String region) {
        if (ck.isPresent()) {
            return CustomerKeyedBalls.echo(out, ck);
        }
        if (kmsKeyId != null) {
            out.header(SSE_HEADER, "aws:kms").header(KmsBalls.KEY_ID_HEADER, KmsBalls.arn(region, kmsKeyId));
            if (context != null) {
                out.header(KmsBalls.CONTEXT_HEADER, context);
            }
            if (bucketKey) {
                out.header(KmsBalls.BUCKET_KEY_HEADER, "true");
            }
            return out;
        }
        return out.header(SSE_HEADER, "AES256");
    }

    private static boolean parseBool(String v) {
        if (v == null) {
            return false;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "x-amz-server-side-encryption-bucket-key-enabled must be true or false");
        };
    }
}

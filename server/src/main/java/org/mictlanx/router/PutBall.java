package org.mictlanx.router;

import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A request to store a ball.
 *
 * @param length       the exact body length, or -1 when unknown (the stream's end decides)
 * @param headers      system headers to store and return (lower-case names: content-type,
 *                     content-encoding, content-disposition, content-language, cache-control, expires)
 * @param userMetadata user metadata (names without the x-amz-meta- prefix), returned as stored
 * @param digests      digests to compute over the plaintext body besides MD5; all are stored
 * @param verifier     called with every computed digest after the body ends and before commit;
 *                     throwing aborts the put with nothing visible
 * @param condition    precondition on the ball currently under the key (null: {@link WriteCondition#NONE});
 *                     checked before the body is read and again, atomically, at commit
 * @param tags         the ball's tag set (S3 object tags), stored in the order given; empty for none
 * @param redundancy   how many replicas the ball's chunks get (null: {@link Redundancy#STANDARD})
 * @param customerKey  the customer's key (S3 SSE-C) wrapping the ball's data key instead of the
 *                     master key; null: the master key (SSE-S3)
 */
public record PutBall(String bucket, String key, long length, Map<String, String> headers,
                      Map<String, String> userMetadata, Set<Digest> digests, Verifier verifier,
                      WriteCondition condition, Map<String, String> tags, Redundancy redundancy,
                      org.mictlanx.router.crypto.@Nullable CustomerKey customerKey) {

    public PutBall {
        headers = Map.copyOf(headers);
        userMetadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(userMetadata));
        digests = Set.copyOf(digests);
        verifier = verifier == null ? d -> { } : verifier;
        condition = condition == null ? WriteCondition.NONE : condition;
        tags = tags == null || tags.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        redundancy = redundancy == null ? Redundancy.STANDARD : redundancy;
    }

    /** A put whose data key the master key wraps. */
    public PutBall(String bucket, String key, long length, Map<String, String> headers,
                   Map<String, String> userMetadata, Set<Digest> digests, Verifier verifier,
                   WriteCondition condition, Map<String, String> tags, Redundancy redundancy) {
        this(bucket, key, length, headers, userMetadata, digests, verifier, condition, tags, redundancy, null);
    }

    /** This request with the data key wrapped by {@code k} (null: the master key). */
    public PutBall withCustomerKey(org.mictlanx.router.crypto.@Nullable CustomerKey k) {
        return new PutBall(bucket, key, length, headers, userMetadata, digests, verifier, condition, tags, redundancy, k);
    }

    /** A put with STANDARD redundancy. */
    public PutBall(String bucket, String key, long length, Map<String, String> headers,
                   Map<String, String> userMetadata, Set<Digest> digests, Verifier verifier,
                   WriteCondition condition, Map<String, String> tags) {
        this(bucket, key, length, headers, userMetadata, digests, verifier, condition, tags, Redundancy.STANDARD);
    }

    /** A put without tags. */
    public PutBall(String bucket, String key, long length, Map<String, String> headers,
                   Map<String, String> userMetadata, Set<Digest> digests, Verifier verifier, WriteCondition condition) {
        this(bucket, key, length, headers, userMetadata, digests, verifier, condition, Map.of());
    }

    /** An unconditional put. */
    public PutBall(String bucket, String key, long length, Map<String, String> headers,
                   Map<String, String> userMetadata, Set<Digest> digests, Verifier verifier) {
        this(bucket, key, length, headers, userMetadata, digests, verifier, WriteCondition.NONE, Map.of());
    }

    /** This request with another condition. */
    public PutBall withCondition(WriteCondition c) {
        return new PutBall(bucket, key, length, headers, userMetadata, digests, verifier, c, tags, redundancy, customerKey);
    }

    /** This request with {@code t} as the ball's tag set. */
    public PutBall withTags(Map<String, String> t) {
        return new PutBall(bucket, key, length, headers, userMetadata, digests, verifier, condition, t, redundancy, customerKey);
    }

    /** Checks the computed digests of a body before it is committed. */
    @FunctionalInterface
    public interface Verifier {
        void verify(Map<Digest, byte[]> computed);
    }
}

package org.mictlanx.s3;

import java.util.Optional;

import org.mictlanx.router.BucketInfo;

/**
 * Decides whether an authenticated access key may run an operation. Called by the pipeline after
 * authentication and after the addressed bucket was looked up (empty only for service-level
 * operations and for CreateBucket of a free name).
 */
public interface Authorizer {

    /** The owner id recorded on buckets this access key creates and shown as their Owner. */
    String ownerId(String accessKeyId);

    /** Throws {@link S3Exception} with {@link S3ErrorCode#ACCESS_DENIED} when the operation is not allowed. */
    void authorize(String accessKeyId, S3Operation operation, Optional<BucketInfo> bucket);

    /** Whether ListBuckets shows {@code bucket} to this access key: when it may read it. */
    default boolean visible(String accessKeyId, BucketInfo bucket) {
        try {
            authorize(accessKeyId, new S3Operation.HeadBucket(bucket.name()), Optional.of(bucket));
            return true;
        } catch (S3Exception e) {
            return false;
        }
    }
}

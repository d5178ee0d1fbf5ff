package org.mictlanx.s3;

import java.util.Map;
import java.util.Optional;

/**
 * A request parsed into the S3 action it asks for. Each case is named after the AWS action, carries
 * its typed parameters; {@link S3Permissions} maps each to its AWS action. Built only by
 * {@link S3RequestParser}; keys are exact decoded strings and are never interpreted as paths.
 */
public sealed interface S3Operation {

    /** The bucket the operation addresses; empty for service-level operations. */
    Optional<String> bucket();

    /** The AWS action name, e.g. {@code GetObject}; used in logs and metrics. */
    default String action() {
        return getClass().getSimpleName();
    }

    /** Operations on a bucket (or a ball in it); the bucket must exist before authorization. */
    sealed interface BucketScoped extends S3Operation {
        String bucketName();

        @Override
        default Optional<String> bucket() {
            return Optional.of(bucketName());
        }
    }

    /**
     * Listing parameters shared by the listing operations.
     *
     * @param prefix      keys must start with it; empty for any
     * @param delimiter   rolls keys up into common prefixes; null for none
     * @param maxKeys     0 .. 1000
     * @param urlEncoding {@code encoding-type=url}: keys and prefixes in the answer are URL-encoded
     */
    record ListParams(String prefix, String delimiter, int maxKeys, boolean urlEncoding) {
    }

    /**
     * {@code response-*} query overrides of GET/HEAD response headers, by response header name
     * (e.g. {@code Content-Type}).
     */
    record ResponseOverrides(Map<String, String> headers) {
        public ResponseOverrides {
            headers = Map.copyOf(headers);
        }
    }

    record ListBuckets(ListBucketsParams params) implements S3Operation {
        public ListBuckets() {
            this(ListBucketsParams.ALL);
        }

        @Override
        public Optional<String> bucket() {
            return Optional.empty();
        }
    }

    record CreateBucket(String bucketName) implements BucketScoped {
    }

    record HeadBucket(String bucketName) implements BucketScoped {
    }

    record DeleteBucket(String bucketName) implements BucketScoped {
    }

    record GetBucketLocation(String bucketName) implements BucketScoped {
    }

    record PutObject(String bucketName, String key) implements BucketScoped {
    }

    /**
     * @param versionId  the requested version id, or null; only {@code "null"} exists while versioning is off
     * @param partNumber the 1-based part to return ({@code partNumber=}), or null for the whole ball
     */
    record GetObject(String bucketName, String key, String versionId, ResponseOverrides overrides,
                     Integer partNumber) implements BucketScoped {
    }

    record HeadObject(String bucketName, String key, String versionId, ResponseOverrides overrides,
                      Integer partNumber) implements BucketScoped {
    }

    record DeleteObject(String bucketName, String key, String versionId) implements BucketScoped {
    }

    record DeleteObjects(String bucketName) implements BucketScoped {
    }

    /** ListObjects (v1); {@code marker} null when absent. */
    record ListObjects(String bucketName, ListParams params, String marker) implements BucketScoped {
    }

    /** ListObjectsV2; {@code continuationToken} and {@code startAfter} null when absent. */
    record ListObjectsV2(String bucketName, ListParams params, String continuationToken, String startAfter,
                         boolean fetchOwner) implements BucketScoped {
    }

    /** ListObjectVersions: versions and delete markers, key ascending then newest first. */
    record ListObjectVersions(String bucketName, ListParams params, String keyMarker, String versionIdMarker)
            implements BucketScoped {
    }

    /** GetObjectTagging ({@code GET ?tagging}); @param versionId null, or {@code "null"} while versioning is off */
    record GetObjectTagging(String bucketName, String key, String versionId) implements BucketScoped {
    }

    /** PutObjectTagging ({@code PUT ?tagging}): replaces the current ball's whole tag set. */
    record PutObjectTagging(String bucketName, String key, String versionId) implements BucketScoped {
    }

    /** DeleteObjectTagging ({@code DELETE ?tagging}): removes every tag of the current ball. */
    record DeleteObjectTagging(String bucketName, String key, String versionId) implements BucketScoped {
    }

    /**
     * The source of a copy ({@code x-amz-copy-source}), decoded.
     *
     * @param versionId the requested source version, or null; only {@code "null"} exists while versioning is off
     */
    record CopySource(String bucket, String key, String versionId) {
    }

    /** An inclusive byte range {@code bytes=first-last} of {@code x-amz-copy-source-range}. */
    record CopyRange(long first, long last) {
        public long length() {
            return last - first + 1;
        }
    }

    /**
     * CopyObject: the destination is (bucketName, key); the caller also needs READ on the source
     * bucket, which the handler checks.
     */
    record CopyObject(String bucketName, String key, CopySource source) implements BucketScoped {
    }

    record CreateMultipartUpload(String bucketName, String key) implements BucketScoped {
    }

    /** @param partNumber 1 .. 10000 */
    record UploadPart(String bucketName, String key, String uploadId, int partNumber) implements BucketScoped {
    }

    /** @param range the source range to copy, or null for the whole source */
    record UploadPartCopy(String bucketName, String key, String uploadId, int partNumber, CopySource source,
                          CopyRange range) implements BucketScoped {
    }

    record CompleteMultipartUpload(String bucketName, String key, String uploadId) implements BucketScoped {
    }

    record AbortMultipartUpload(String bucketName, String key, String uploadId) implements BucketScoped {
    }

    /** @param maxParts 0 .. 1000; @param partNumberMarker list parts after this number (0: from the start) */
    record ListParts(String bucketName, String key, String uploadId, int maxParts, int partNumberMarker)
            implements BucketScoped {
    }

    /** {@code params.maxKeys()} is max-uploads; markers null when absent. */
    record ListMultipartUploads(String bucketName, ListParams params, String keyMarker, String uploadIdMarker)
            implements BucketScoped {
    }

    /** The attributes GetObjectAttributes can return ({@code x-amz-object-attributes}). */
    enum ObjectAttribute { ETAG, CHECKSUM, OBJECT_PARTS, STORAGE_CLASS, OBJECT_SIZE }

    /** @param attributes non-empty; @param maxParts 0 .. 1000 for ObjectParts; @param partNumberMarker 0: from the start */
    record GetObjectAttributes(String bucketName, String key, String versionId,
                               java.util.Set<ObjectAttribute> attributes, int maxParts, int partNumberMarker)
            implements BucketScoped {
        public GetObjectAttributes {
            attributes = java.util.Set.copyOf(attributes);
        }
    }

    /** GetBucketPolicy: the policy JSON as written; NoSuchBucketPolicy when there is none. */
    record GetBucketPolicy(String bucketName) implements BucketScoped {
    }

    /** PutBucketPolicy: validates (MalformedPolicy) and stores the policy in the body. */
    record PutBucketPolicy(String bucketName) implements BucketScoped {
    }

    record DeleteBucketPolicy(String bucketName) implements BucketScoped {
    }

    /** GetBucketPolicyStatus: whether the bucket policy is public. */
    record GetBucketPolicyStatus(String bucketName) implements BucketScoped {
    }

    /** GetPublicAccessBlock; NoSuchPublicAccessBlockConfiguration when there is none. */
    record GetPublicAccessBlock(String bucketName) implements BucketScoped {
    }

    record PutPublicAccessBlock(String bucketName) implements BucketScoped {
    }

    record DeletePublicAccessBlock(String bucketName) implements BucketScoped {
    }

    /** GetBucketAcl: the owner and the bucket's grants. */
    record GetBucketAcl(String bucketName) implements BucketScoped {
    }

    /** PutBucketAcl: a canned ACL, {@code x-amz-grant-*} headers or an AccessControlPolicy body. */
    record PutBucketAcl(String bucketName) implements BucketScoped {
    }

    record GetObjectAcl(String bucketName, String key, String versionId) implements BucketScoped {
    }

    record PutObjectAcl(String bucketName, String key, String versionId) implements BucketScoped {
    }

    record GetBucketOwnershipControls(String bucketName) implements BucketScoped {
    }

    record PutBucketOwnershipControls(String bucketName) implements BucketScoped {
    }

    record DeleteBucketOwnershipControls(String bucketName) implements BucketScoped {
    }

    /** PutBucketCors ({@code PUT ?cors}): replaces the bucket's CORS configuration. */
    record PutBucketCors(String bucketName) implements BucketScoped {
    }

    /** GetBucketCors ({@code GET ?cors}). */
    record GetBucketCors(String bucketName) implements BucketScoped {
    }

    /** DeleteBucketCors ({@code DELETE ?cors}). */
    record DeleteBucketCors(String bucketName) implements BucketScoped {
    }

    /** PutBucketLifecycleConfiguration ({@code PUT ?lifecycle}): replaces the bucket's lifecycle rules. */
    record PutBucketLifecycleConfiguration(String bucketName) implements BucketScoped {
    }

    /** GetBucketLifecycleConfiguration ({@code GET ?lifecycle}). */
    record GetBucketLifecycleConfiguration(String bucketName) implements BucketScoped {
    }

    /** DeleteBucketLifecycle ({@code DELETE ?lifecycle}). */
    record DeleteBucketLifecycle(String bucketName) implements BucketScoped {
    }

    /** PutBucketNotificationConfiguration ({@code PUT ?notification}): replaces the bucket's event notifications. */
    record PutBucketNotificationConfiguration(String bucketName) implements BucketScoped {
    }

    /** GetBucketNotificationConfiguration ({@code GET ?notification}). */
    record GetBucketNotificationConfiguration(String bucketName) implements BucketScoped {
    }

    /** PutBucketLogging ({@code PUT ?logging}): turns server access logging on or off. */
    record PutBucketLogging(String bucketName) implements BucketScoped {
    }

    /** GetBucketLogging ({@code GET ?logging}). */
    record GetBucketLogging(String bucketName) implements BucketScoped {
    }

    /** PutBucketWebsite ({@code PUT ?website}). */
    record PutBucketWebsite(String bucketName) implements BucketScoped {
    }

    /** GetBucketWebsite ({@code GET ?website}). */
    record GetBucketWebsite(String bucketName) implements BucketScoped {
    }

    /** DeleteBucketWebsite ({@code DELETE ?website}). */
    record DeleteBucketWebsite(String bucketName) implements BucketScoped {
    }

    /**
     * PostObject ({@code POST /bucket}, multipart/form-data): a browser form upload. Authenticated by
     * the form's policy signature, not by request headers ({@code org.mictlanx.s3.post}); the key
     * comes from the form.
     */
    record PostObject(String bucketName) implements BucketScoped {
    }

    /**
     * The bucket configurations a client may read before the feature exists: each read answers S3's
     * "not configured" reply (an error such as NoSuchCORSConfiguration, or an empty/default document).
     * Named by the AWS action; {@code subresource} is the query keyword selecting it.
     */
    enum BucketConfiguration {
        REPLICATION("GetBucketReplication", "replication"),
        REQUEST_PAYMENT("GetBucketRequestPayment", "requestPayment"),
        ACCELERATE("GetBucketAccelerateConfiguration", "accelerate"),
        ENCRYPTION("GetBucketEncryption", "encryption"),
        OBJECT_LOCK("GetObjectLockConfiguration", "object-lock"),
        VERSIONING("GetBucketVersioning", "versioning");

        private final String action;
        private final String subresource;

        BucketConfiguration(String action, String subresource) {
            this.action = action;
            this.subresource = subresource;
        }

        public String action() {
            return action;
        }

        /** The configuration a GET with this query keyword reads, if it is one of these. */
        public static Optional<BucketConfiguration> bySubresource(String name) {
            for (BucketConfiguration c : values()) {
                if (c.subresource.equals(name)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    /** A read of a bucket configuration that is never configured here (see {@link BucketConfiguration}). */
    record GetBucketConfiguration(String bucketName, BucketConfiguration configuration) implements BucketScoped {

        @Override
        public String action() {
            return configuration.action();
        }
    }

    /** PutObjectLockConfiguration ({@code PUT ?object-lock}). */
    record PutObjectLockConfiguration(String bucketName) implements BucketScoped {
    }

    /** GetObjectRetention ({@code GET key?retention}). */
    record GetObjectRetention(String bucketName, String key, String versionId) implements BucketScoped {
    }

    /** PutObjectRetention ({@code PUT key?retention}); {@code x-amz-bypass-governance-retention} may shorten GOVERNANCE. */
    record PutObjectRetention(String bucketName, String key, String versionId) implements BucketScoped {
    }

    /** GetObjectLegalHold ({@code GET key?legal-hold}). */
    record GetObjectLegalHold(String bucketName, String key, String versionId) implements BucketScoped {
    }

    /** PutObjectLegalHold ({@code PUT key?legal-hold}). */
    record PutObjectLegalHold(String bucketName, String key, String versionId) implements BucketScoped {
    }

    /** PutBucketVersioning ({@code PUT ?versioning}): Enabled or Suspended. */
    record PutBucketVersioning(String bucketName) implements BucketScoped {
    }

    /** GetBucketTagging: the bucket's tag set (NoSuchTagSet when it has none). */
    record GetBucketTagging(String bucketName) implements BucketScoped {
    }

    /** PutBucketTagging: replaces the bucket's whole tag set. */
    record PutBucketTagging(String bucketName) implements BucketScoped {
    }

    /** PutBucketEncryption: sets the bucket's default encryption (SSE-S3 or SSE-KMS). */
    record PutBucketEncryption(String bucketName) implements BucketScoped {
    }

    /** DeleteBucketEncryption: back to the SSE-S3 default. */
    record DeleteBucketEncryption(String bucketName) implements BucketScoped {
    }

    /** DeleteBucketTagging: removes every tag of the bucket. */
    record DeleteBucketTagging(String bucketName) implements BucketScoped {
    }

    /**
     * ListBuckets paging and filters ({@code max-buckets}, {@code continuation-token}, {@code prefix},
     * {@code bucket-region}); all null / 0 when absent.
     *
     * @param maxBuckets 1 .. 10000, or 0 when absent (every bucket in one answer)
     */
    record ListBucketsParams(int maxBuckets, String continuationToken, String prefix, String bucketRegion) {
        public static final ListBucketsParams ALL = new ListBucketsParams(0, null, null, null);
    }

    /**
     * A known S3 action this server does not implement (yet); always answered with
     * {@code 501 NotImplemented} after authentication, never executed.
     */
    record NotImplemented(String action, Optional<String> bucket) implements S3Operation {
    }
}

package org.mictlanx.s3;

import org.mictlanx.s3.S3Operation.*;

/**
 * The front door's one permission table: the AWS action name (as IAM and bucket policies name it)
 * and the resource ARN of every {@link S3Operation}. An exhaustive switch over the sealed type, so
 * the compiler refuses a new operation without an entry. Operations that act on several resources
 * are authorized once per resource by their handler as well: CopyObject and UploadPartCopy also need
 * {@code s3:GetObject} on the source; DeleteObjects needs {@code s3:DeleteObject} per key (checked
 * per key, refused keys reported as AccessDenied in the result). Shortening or removing GOVERNANCE
 * retention with {@code x-amz-bypass-governance-retention: true} (PutObjectRetention, DeleteObject
 * and DeleteObjects of a version) also needs {@link #BYPASS_GOVERNANCE} on the object, checked by
 * the handler.
 */
public final class S3Permissions {

    private static final String S3 = "arn:aws:s3:::";

    /** The action a GOVERNANCE bypass needs besides the operation's own. */
    public static final String BYPASS_GOVERNANCE = "s3:BypassGovernanceRetention";

    private S3Permissions() {
    }

    /** The AWS action, e.g. {@code s3:GetObject}. */
    public static String action(S3Operation op) {
        return switch (op) {
            case ListBuckets o -> "s3:ListAllMyBuckets";
            case CreateBucket o -> "s3:CreateBucket";
            case HeadBucket o -> "s3:ListBucket";
            case DeleteBucket o -> "s3:DeleteBucket";
            case GetBucketLocation o -> "s3:GetBucketLocation";
            case PutObject o -> "s3:PutObject";
            case GetObject o -> o.versionId() == null ? "s3:GetObject" : "s3:GetObjectVersion";
            case HeadObject o -> o.versionId() == null ? "s3:GetObject" : "s3:GetObjectVersion";
            case DeleteObject o -> o.versionId() == null ? "s3:DeleteObject" : "s3:DeleteObjectVersion";
            case DeleteObjects o -> "s3:DeleteObject";
            case ListObjects o -> "s3:ListBucket";
            case ListObjectsV2 o -> "s3:ListBucket";
            case ListObjectVersions o -> "s3:ListBucketVersions";
            case GetObjectTagging o -> o.versionId() == null ? "s3:GetObjectTagging" : "s3:GetObjectVersionTagging";
            case PutObjectTagging o -> o.versionId() == null ? "s3:PutObjectTagging" : "s3:PutObjectVersionTagging";
            case DeleteObjectTagging o -> o.versionId() == null ? "s3:DeleteObjectTagging" : "s3:DeleteObjectVersionTagging";
            case CopyObject o -> "s3:PutObject";
            case CreateMultipartUpload o -> "s3:PutObject";
            case UploadPart o -> "s3:PutObject";
            case UploadPartCopy o -> "s3:PutObject";
            case CompleteMultipartUpload o -> "s3:PutObject";
            case AbortMultipartUpload o -> "s3:AbortMultipartUpload";
            case ListParts o -> "s3:ListMultipartUploadParts";
            case ListMultipartUploads o -> "s3:ListBucketMultipartUploads";
            case GetObjectAttributes o -> o.versionId() == null ? "s3:GetObjectAttributes" : "s3:GetObjectVersionAttributes";
            case GetBucketPolicy o -> "s3:GetBucketPolicy";
            case PutBucketPolicy o -> "s3:PutBucketPolicy";
            case DeleteBucketPolicy o -> "s3:DeleteBucketPolicy";
            case GetBucketPolicyStatus o -> "s3:GetBucketPolicyStatus";
            case GetPublicAccessBlock o -> "s3:GetBucketPublicAccessBlock";
            case PutPublicAccessBlock o -> "s3:PutBucketPublicAccessBlock";
            case DeletePublicAccessBlock o -> "s3:PutBucketPublicAccessBlock";
            case GetBucketAcl o -> "s3:GetBucketAcl";
            case PutBucketAcl o -> "s3:PutBucketAcl";
            case GetObjectAcl o -> o.versionId() == null ? "s3:GetObjectAcl" : "s3:GetObjectVersionAcl";
            case PutObjectAcl o -> o.versionId() == null ? "s3:PutObjectAcl" : "s3:PutObjectVersionAcl";
            case GetBucketOwnershipControls o -> "s3:GetBucketOwnershipControls";
            case PutBucketOwnershipControls o -> "s3:PutBucketOwnershipControls";
            case DeleteBucketOwnershipControls o -> "s3:PutBucketOwnershipControls";
            case GetBucketCors o -> "s3:GetBucketCORS";
            case PutBucketCors o -> "s3:PutBucketCORS";
            case DeleteBucketCors o -> "s3:PutBucketCORS";
            case GetBucketLifecycleConfiguration o -> "s3:GetLifecycleConfiguration";
            case PutBucketLifecycleConfiguration o -> "s3:PutLifecycleConfiguration";
            case DeleteBucketLifecycle o -> "s3:PutLifecycleConfiguration";
            case GetBucketNotificationConfiguration o -> "s3:GetBucketNotification";
            case PutBucketNotificationConfiguration o -> "s3:PutBucketNotification";
            case GetBucketLogging o -> "s3:GetBucketLogging";
            case PutBucketLogging o -> "s3:PutBucketLogging";
            case GetBucketWebsite o -> "s3:GetBucketWebsite";
            case PutBucketWebsite o -> "s3:PutBucketWebsite";
            case DeleteBucketWebsite o -> "s3:DeleteBucketWebsite";
            case GetBucketTagging o -> "s3:GetBucketTagging";
            case PutBucketTagging o -> "s3:PutBucketTagging";
            case DeleteBucketTagging o -> "s3:PutBucketTagging";
            case PutBucketEncryption o -> "s3:PutEncryptionConfiguration";
            case DeleteBucketEncryption o -> "s3:PutEncryptionConfiguration";
            case PostObject o -> "s3:PutObject";
            case PutBucketVersioning o -> "s3:PutBucketVersioning";
            case PutObjectLockConfiguration o -> "s3:PutBucketObjectLockConfiguration";
            case GetObjectRetention o -> "s3:GetObjectRetention";
            case PutObjectRetention o -> "s3:PutObjectRetention";
            case GetObjectLegalHold o -> "s3:GetObjectLegalHold";
            case PutObjectLegalHold o -> "s3:PutObjectLegalHold";
            case GetBucketConfiguration o -> configurationRead(o.configuration());
            case NotImplemented o -> "s3:" + o.action();
        };
    }

    /** The IAM action of reading a bucket configuration (IAM names differ from the API names). */
    private static String configurationRead(BucketConfiguration c) {
        return switch (c) {
            case REPLICATION -> "s3:GetReplicationConfiguration";
            case REQUEST_PAYMENT -> "s3:GetBucketRequestPayment";
            case ACCELERATE -> "s3:GetAccelerateConfiguration";
            case ENCRYPTION -> "s3:GetEncryptionConfiguration";
            case OBJECT_LOCK -> "s3:GetBucketObjectLockConfiguration";
            case VERSIONING -> "s3:GetBucketVersioning";
        };
    }

    /** The resource ARN: {@code arn:aws:s3:::bucket/key} for object actions, {@code arn:aws:s3:::bucket}, or {@code *}. */
    public static String resource(S3Operation op) {
        return switch (op) {
            case ListBuckets o -> "*";
            case PutObject o -> object(o.bucketName(), o.key());
            case GetObject o -> object(o.bucketName(), o.key());
            case HeadObject o -> object(o.bucketName(), o.key());
            case DeleteObject o -> object(o.bucketName(), o.key());
            case GetObjectTagging o -> object(o.bucketName(), o.key());
            case PutObjectTagging o -> object(o.bucketName(), o.key());
            case DeleteObjectTagging o -> object(o.bucketName(), o.key());
            case CopyObject o -> object(o.bucketName(), o.key());
            case CreateMultipartUpload o -> object(o.bucketName(), o.key());
            case UploadPart o -> object(o.bucketName(), o.key());
            case UploadPartCopy o -> object(o.bucketName(), o.key());
            case CompleteMultipartUpload o -> object(o.bucketName(), o.key());
            case AbortMultipartUpload o -> object(o.bucketName(), o.key());
            case ListParts o -> object(o.bucketName(), o.key());
            case GetObjectAttributes o -> object(o.bucketName(), o.key());
            case DeleteObjects o -> S3 + o.bucketName() + "/*";
            case CreateBucket o -> bucket(o.bucketName());
            case HeadBucket o -> bucket(o.bucketName());
            case DeleteBucket o -> bucket(o.bucketName());
            case GetBucketLocation o -> bucket(o.bucketName());
            case ListObjects o -> bucket(o.bucketName());
            case ListObjectsV2 o -> bucket(o.bucketName());
            case ListObjectVersions o -> bucket(o.bucketName());
            case ListMultipartUploads o -> bucket(o.bucketName());
            case GetBucketPolicy o -> bucket(o.bucketName());
            case PutBucketPolicy o -> bucket(o.bucketName());
            case DeleteBucketPolicy o -> bucket(o.bucketName());
            case GetBucketPolicyStatus o -> bucket(o.bucketName());
            case GetPublicAccessBlock o -> bucket(o.bucketName());
            case PutPublicAccessBlock o -> bucket(o.bucketName());
            case DeletePublicAccessBlock o -> bucket(o.bucketName());
            case GetObjectAcl o -> object(o.bucketName(), o.key());
            case PutObjectAcl o -> object(o.bucketName(), o.key());
            case GetBucketAcl o -> bucket(o.bucketName());
            case PutBucketAcl o -> bucket(o.bucketName());
            case GetBucketOwnershipControls o -> bucket(o.bucketName());
            case PutBucketOwnershipControls o -> bucket(o.bucketName());
            case DeleteBucketOwnershipControls o -> bucket(o.bucketName());
            case GetBucketCors o -> bucket(o.bucketName());
            case PutBucketCors o -> bucket(o.bucketName());
            case DeleteBucketCors o -> bucket(o.bucketName());
            case GetBucketLifecycleConfiguration o -> bucket(o.bucketName());
            case PutBucketLifecycleConfiguration o -> bucket(o.bucketName());
            case DeleteBucketLifecycle o -> bucket(o.bucketName());
            case GetBucketNotificationConfiguration o -> bucket(o.bucketName());
            case PutBucketNotificationConfiguration o -> bucket(o.bucketName());
            case GetBucketLogging o -> bucket(o.bucketName());
            case PutBucketLogging o -> bucket(o.bucketName());
            case GetBucketWebsite o -> bucket(o.bucketName());
            case PutBucketWebsite o -> bucket(o.bucketName());
            case DeleteBucketWebsite o -> bucket(o.bucketName());
            case GetBucketTagging o -> bucket(o.bucketName());
            case PutBucketTagging o -> bucket(o.bucketName());
            case DeleteBucketTagging o -> bucket(o.bucketName());
            case PutBucketEncryption o -> bucket(o.bucketName());
            case DeleteBucketEncryption o -> bucket(o.bucketName());
            case GetBucketConfiguration o -> bucket(o.bucketName());
            case PutBucketVersioning o -> bucket(o.bucketName());
            case PutObjectLockConfiguration o -> bucket(o.bucketName());
            case GetObjectRetention o -> object(o.bucketName(), o.key());
            case PutObjectRetention o -> object(o.bucketName(), o.key());
            case GetObjectLegalHold o -> object(o.bucketName(), o.key());
            case PutObjectLegalHold o -> object(o.bucketName(), o.key());
            // the form names the key; the handler authorizes the object ARN once it has read it
            case PostObject o -> S3 + o.bucketName() + "/*";
            case NotImplemented o -> o.bucket().map(S3Permissions::bucket).orElse("*");
        };
    }

    public static String bucket(String name) {
        return S3 + name;
    }

    public static String object(String bucket, String key) {
        return S3 + bucket + "/" + key;
    }
}

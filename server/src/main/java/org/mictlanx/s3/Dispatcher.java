package org.mictlanx.s3;

import org.mictlanx.s3.S3Operation.*;
import org.mictlanx.s3.handler.AclHandler;
import org.mictlanx.s3.handler.AttributesHandler;
import org.mictlanx.s3.handler.BucketConfigurationHandler;
import org.mictlanx.s3.handler.BucketHandler;
import org.mictlanx.s3.handler.CopyHandler;
import org.mictlanx.s3.handler.MultipartHandler;
import org.mictlanx.s3.handler.UploadListingHandler;
import org.mictlanx.s3.handler.VersioningHandler;
import org.mictlanx.s3.handler.ObjectLockHandler;
import org.mictlanx.s3.handler.DeleteObjectsHandler;
import org.mictlanx.s3.handler.ListingHandler;
import org.mictlanx.s3.handler.ObjectHandler;
import org.mictlanx.s3.handler.PolicyHandler;
import org.mictlanx.s3.handler.TaggingHandler;
import org.mictlanx.s3.cors.CorsHandler;
import org.mictlanx.s3.lifecycle.LifecycleHandler;
import org.mictlanx.s3.website.WebsiteHandler;

/** Sends a verified request to the handler of its operation family; exhaustive over {@link S3Operation}. */
final class Dispatcher {

    private final BucketHandler buckets;
    private final ObjectHandler objects;
    private final ListingHandler listings;
    private final DeleteObjectsHandler deletes;
    private final CopyHandler copies;
    private final MultipartHandler multipart;
    private final UploadListingHandler uploads;
    private final AttributesHandler attributes;
    private final TaggingHandler tagging;
    private final PolicyHandler policies;
    private final AclHandler acls;
    private final BucketConfigurationHandler configurations;
    private final CorsHandler cors;
    private final WebsiteHandler website;
    private final VersioningHandler versioning;
    private final ObjectLockHandler locks;
    private final LifecycleHandler lifecycle;
    private final org.mictlanx.s3.notify.NotificationHandler notifications;
    private final org.mictlanx.s3.accesslog.LoggingHandler logging;

    /** The handlers of each operation family. */
    record Handlers(BucketHandler buckets, ObjectHandler objects, ListingHandler listings,
                    DeleteObjectsHandler deletes, CopyHandler copies, MultipartHandler multipart,
                    UploadListingHandler uploads, AttributesHandler attributes, TaggingHandler tagging,
                    PolicyHandler policies, AclHandler acls,
                    BucketConfigurationHandler configurations,
                    CorsHandler cors, WebsiteHandler website,
                    VersioningHandler versioning, ObjectLockHandler locks, LifecycleHandler lifecycle,
                    org.mictlanx.s3.notify.NotificationHandler notifications,
                    org.mictlanx.s3.accesslog.LoggingHandler logging) {
    }

    Dispatcher(Handlers h) {
        this.buckets = h.buckets();
        this.objects = h.objects();
        this.listings = h.listings();
        this.deletes = h.deletes();
        this.copies = h.copies();
        this.multipart = h.multipart();
        this.uploads = h.uploads();
        this.attributes = h.attributes();
        this.tagging = h.tagging();
        this.policies = h.policies();
        this.acls = h.acls();
        this.configurations = h.configurations();
        this.cors = h.cors();
        this.website = h.website();
        this.versioning = h.versioning();
        this.locks = h.locks();
        this.lifecycle = h.lifecycle();
        this.notifications = h.notifications();
        this.logging = h.logging();
    }

    /**
     * The operation's answer with the lifecycle headers S3 adds: a write that committed a ball
     * (PutObject, CopyObject, CompleteMultipartUpload) gets {@code x-amz-expiration}, CreateMultipartUpload
     * and ListParts get {@code x-amz-abort-date} / {@code x-amz-abort-rule-id}, when a rule covers the key.
     */
    S3Response dispatch(S3Request req) {
        S3Response response = route(req);
        if (response.committed() != null) return lifecycle.withExpiration(req, response);
        if (req.operation() instanceof CreateMultipartUpload op && response.body() instanceof S3Response.Xml(var doc)
                && doc instanceof org.mictlanx.s3.xml.InitiateMultipartUploadResult created) {
            return lifecycle.withAbortDate(req, response, op.key(), created.uploadId());
        }
        if (req.operation() instanceof ListParts op) return lifecycle.withAbortDate(req, response, op.key(), op.uploadId());
        return response;
    }

    private S3Response route(S3Request req) {
        return switch (req.operation()) {
            case ListBuckets op -> buckets.listBuckets(req, op);
            case CreateBucket op -> buckets.createBucket(req, op);
            case HeadBucket op -> buckets.headBucket(req);
            case DeleteBucket op -> buckets.deleteBucket(req);
            case GetBucketLocation op -> buckets.getBucketLocation(req);
            case PutObject op -> objects.putObject(req, op);
            case GetObject op -> objects.getObject(req, op);
            case HeadObject op -> objects.headObject(req, op);
            case DeleteObject op -> objects.deleteObject(req, op);
            case DeleteObjects op -> deletes.deleteObjects(req, op);
            case ListObjects op -> listings.listObjects(req, op);
            case ListObjectsV2 op -> listings.listObjectsV2(req, op);
            case ListObjectVersions op -> versioning.listObjectVersions(req, op);
            case PutBucketVersioning op -> versioning.putBucketVersioning(req);
            case PutObjectLockConfiguration op -> locks.putObjectLockConfiguration(req);
            case GetObjectRetention op -> locks.getObjectRetention(req, op);
            case PutObjectRetention op -> locks.putObjectRetention(req, op);
            case GetObjectLegalHold op -> locks.getObjectLegalHold(req, op);
            case PutObjectLegalHold op -> locks.putObjectLegalHold(req, op);
            case CopyObject op -> copies.copyObject(req, op);
            case CreateMultipartUpload op -> multipart.createMultipartUpload(req, op);
            case UploadPart op -> multipart.uploadPart(req, op);
            case UploadPartCopy op -> multipart.uploadPartCopy(req, op);
            case CompleteMultipartUpload op -> multipart.completeMultipartUpload(req, op);
            case AbortMultipartUpload op -> multipart.abortMultipartUpload(req, op);
            case ListParts op -> uploads.listParts(req, op);
            case ListMultipartUploads op -> uploads.listMultipartUploads(req, op);
            case GetObjectAttributes op -> attributes.getObjectAttributes(req, op);
            case GetObjectTagging op -> tagging.getObjectTagging(req, op);
            case PutObjectTagging op -> tagging.putObjectTagging(req, op);
            case DeleteObjectTagging op -> tagging.deleteObjectTagging(req, op);
            case GetBucketPolicy op -> policies.getBucketPolicy(req);
            case PutBucketPolicy op -> policies.putBucketPolicy(req);
            case DeleteBucketPolicy op -> policies.deleteBucketPolicy(req);
            case GetBucketPolicyStatus op -> policies.getBucketPolicyStatus(req);
            case GetPublicAccessBlock op -> policies.getPublicAccessBlock(req);
            case PutPublicAccessBlock op -> policies.putPublicAccessBlock(req);
            case DeletePublicAccessBlock op -> policies.deletePublicAccessBlock(req);
            case GetBucketAcl op -> acls.getBucketAcl(req);
            case PutBucketAcl op -> acls.putBucketAcl(req);
            case GetObjectAcl op -> acls.getObjectAcl(req, op);
            case PutObjectAcl op -> acls.putObjectAcl(req, op);
            case GetBucketOwnershipControls op -> acls.getOwnershipControls(req);
            case PutBucketOwnershipControls op -> acls.putOwnershipControls(req);
            case DeleteBucketOwnershipControls op -> acls.deleteOwnershipControls(req);
            case GetBucketConfiguration op -> configurations.getBucketConfiguration(req, op);
            case GetBucketTagging op -> configurations.getBucketTagging(req);
            case PutBucketTagging op -> configurations.putBucketTagging(req);
            case PutBucketEncryption op -> configurations.putBucketEncryption(req);
            case DeleteBucketEncryption op -> configurations.deleteBucketEncryption(req);
            case DeleteBucketTagging op -> configurations.deleteBucketTagging(req);
            case PutBucketCors op -> cors.putBucketCors(req);
            case GetBucketCors op -> cors.getBucketCors(req);
            case DeleteBucketCors op -> cors.deleteBucketCors(req);
            case PutBucketLifecycleConfiguration op -> lifecycle.putBucketLifecycleConfiguration(req);
            case GetBucketLifecycleConfiguration op -> lifecycle.getBucketLifecycleConfiguration(req);
            case DeleteBucketLifecycle op -> lifecycle.deleteBucketLifecycle(req);
            case PutBucketNotificationConfiguration op -> notifications.putBucketNotificationConfiguration(req);
            case GetBucketNotificationConfiguration op -> notifications.getBucketNotificationConfiguration(req);
            case PutBucketLogging op -> logging.putBucketLogging(req);
            case GetBucketLogging op -> logging.getBucketLogging(req);
            case PutBucketWebsite op -> website.putBucketWebsite(req);
            case GetBucketWebsite op -> website.getBucketWebsite(req);
            case DeleteBucketWebsite op -> website.deleteBucketWebsite(req);
            case PostObject op -> throw new IllegalStateException("PostObject is served by the POST pipeline");
            case NotImplemented op -> throw notImplemented(op);
        };
    }

    static S3Exception notImplemented(NotImplemented op) {
        return new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                "A header or query you provided implies functionality that is not implemented: " + op.action());
    }
}

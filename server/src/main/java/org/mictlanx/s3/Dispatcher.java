package org.mictlanx.s3;

import org.mictlanx.s3.S3Operation.*;
import org.mictlanx.s3.handler.BucketHandler;
import org.mictlanx.s3.handler.DeleteObjectsHandler;
import org.mictlanx.s3.handler.ListingHandler;
import org.mictlanx.s3.handler.ObjectHandler;

/** Sends a verified request to the handler of its operation family; exhaustive over {@link S3Operation}. */
final class Dispatcher {

    private final BucketHandler buckets;
    private final ObjectHandler objects;
    private final ListingHandler listings;
    private final DeleteObjectsHandler deletes;

    Dispatcher(BucketHandler buckets, ObjectHandler objects, ListingHandler listings, DeleteObjectsHandler deletes) {
        this.buckets = buckets;
        this.objects = objects;
        this.listings = listings;
        this.deletes = deletes;
    }

    S3Response dispatch(S3Request req) {
        return switch (req.operation()) {
            case ListBuckets op -> buckets.listBuckets(req);
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
            case ListObjectVersions op -> listings.listObjectVersions(req, op);
            case CopyObject op -> throw pending(op);
            case CreateMultipartUpload op -> throw pending(op);
            case UploadPart op -> throw pending(op);
            case UploadPartCopy op -> throw pending(op);
            case CompleteMultipartUpload op -> throw pending(op);
            case AbortMultipartUpload op -> throw pending(op);
            case ListParts op -> throw pending(op);
            case ListMultipartUploads op -> throw pending(op);
            case GetObjectAttributes op -> throw pending(op);
            case NotImplemented op -> throw notImplemented(op);
        };
    }

    private static S3Exception pending(S3Operation op) {
        return notImplemented(new NotImplemented(op.action(), op.bucket()));
    }

    static S3Exception notImplemented(NotImplemented op) {
        return new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                "A header or query you provided implies functionality that is not implemented: " + op.action());
    }
}

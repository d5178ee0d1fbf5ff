package org.mictlanx.s3.handler;

import java.util.Objects;

import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.RouterException;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.BucketNames;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.CreateBucketConfiguration;
import org.mictlanx.s3.xml.ListAllMyBucketsResult;
import org.mictlanx.s3.xml.LocationConstraint;
import org.mictlanx.s3.xml.Owner;
import org.mictlanx.s3.xml.S3Xml;

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket and GetBucketLocation. */
public final class BucketHandler {

    private final BallStore store;
    private final Authorizer authorizer;
    private final S3Config config;
    private final S3Xml xml;

    public BucketHandler(BallStore store, Authorizer authorizer, S3Config config, S3Xml xml) {
        this.store = store;
        this.authorizer = authorizer;
        this.config = config;
        this.xml = xml;
    }

    /** Every bucket the caller may read, in name order, owned as shown by the caller's owner id. */
    public S3Response listBuckets(S3Request req) {
        var buckets = store.listBuckets().stream()
                .filter(b -> authorizer.visible(req.caller(), b))
                .map(b -> new ListAllMyBucketsResult.Bucket(b.name(), HttpFormats.isoDate(b.created())))
                .toList();
        return S3Response.status(200).xml(
                new ListAllMyBucketsResult(Owner.of(req.ownerId()), buckets));
    }

    /**
     * Creates the bucket in this store's region. An optional CreateBucketConfiguration may name the
     * region; any other region is InvalidLocationConstraint. An existing name is
     * BucketAlreadyOwnedByYou for its owner and BucketAlreadyExists for everybody else.
     */
    public S3Response createBucket(S3Request req, S3Operation.CreateBucket op) {
        if (!BucketNames.isValidForCreate(op.bucketName())) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME);
        }
        byte[] body = Bodies.readSmall(req, config.maxXmlBodyBytes());
        if (body.length > 0) {
            String constraint = xml.read(body, CreateBucketConfiguration.class).locationConstraint();
            if (constraint != null && !constraint.isBlank() && !constraint.trim().equals(config.region())) {
                throw new S3Exception(S3ErrorCode.INVALID_LOCATION_CONSTRAINT,
                        "The specified location-constraint is not valid; this store serves " + config.region());
            }
        }
        try {
            store.createBucket(op.bucketName(), req.ownerId(), config.region());
        } catch (RouterException e) {
            if (e.kind() == RouterException.Kind.BUCKET_EXISTS) {
                throw new S3Exception(Objects.equals(e.detail(), req.ownerId())
                        ? S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU : S3ErrorCode.BUCKET_ALREADY_EXISTS);
            }
            throw e;
        }
        return S3Response.status(200).header("Location", "/" + op.bucketName()).empty();
    }

    public S3Response headBucket(S3Request req) {
        BucketInfo b = req.requireBucket();
        return S3Response.status(200).header("x-amz-bucket-region", b.region()).empty();
    }

    /** Deletes an empty bucket: 204; BucketNotEmpty while it holds balls. */
    public S3Response deleteBucket(S3Request req) {
        store.deleteBucket(req.requireBucket().name());
        authorizer.bucketDeleted(req.requireBucket().name());
        return S3Response.status(204).empty();
    }

    public S3Response getBucketLocation(S3Request req) {
        return S3Response.status(200).xml(LocationConstraint.of(req.requireBucket().region()));
    }
}

package org.mictlanx.s3.handler;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
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

    /** The region where S3 answers a repeated CreateBucket by the owner with 200. */
    static final String LEGACY_REGION = "us-east-1";

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

    /**
     * The buckets the caller may read, in name order, owned as shown by the caller's owner id;
     * filtered by {@code prefix} and {@code bucket-region}, and paged by {@code max-buckets} (absent:
     * every bucket in one answer) with an opaque {@code continuation-token} naming the last bucket
     * returned. ContinuationToken appears in the answer only when more buckets follow.
     */
    public S3Response listBuckets(S3Request req, S3Operation.ListBuckets op) {
        S3Operation.ListBucketsParams p = op.params();
        String after = p.continuationToken() == null ? null : decodeToken(p.continuationToken());
        List<BucketInfo> matching = store.listBuckets().stream()
                .filter(b -> authorizer.visible(req.caller(), b))
                .filter(b -> p.prefix() == null || b.name().startsWith(p.prefix()))
                .filter(b -> p.bucketRegion() == null || p.bucketRegion().equals(b.region()))
                .filter(b -> after == null || b.name().compareTo(after) > 0)
                .toList();
        boolean more = p.maxBuckets() > 0 && matching.size() > p.maxBuckets();
        List<BucketInfo> page = more ? matching.subList(0, p.maxBuckets()) : matching;
        var buckets = page.stream()
                .map(b -> new ListAllMyBucketsResult.Bucket(b.name(), HttpFormats.isoDate(b.created()), b.region()))
                .toList();
        return S3Response.status(200).xml(new ListAllMyBucketsResult(S3Xml.NS, Owner.of(req.ownerId()),
                buckets, more ? encodeToken(page.getLast().name()) : null, p.prefix()));
    }

    private static String encodeToken(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect");
        }
    }

    /**
     * Creates the bucket in this store's region. An optional CreateBucketConfiguration may name the
     * region; any other region is InvalidLocationConstraint. An existing name is BucketAlreadyExists
     * for everybody but its owner; for the owner it is 200 in {@code us-east-1} (S3's legacy
     * behaviour there: the bucket, its contents and settings are left as they are) and
     * BucketAlreadyOwnedByYou in any other region.
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
            store.createBucket(op.bucketName(), req.ownerId(), config.region(),
                    "true".equalsIgnoreCase(String.valueOf(req.header("x-amz-bucket-object-lock-enabled")).strip()));
        } catch (RouterException e) {
            if (e.kind() != RouterException.Kind.BUCKET_EXISTS) {
                throw e;
            }
            if (!Objects.equals(e.detail(), req.ownerId())) {
                throw new S3Exception(S3ErrorCode.BUCKET_ALREADY_EXISTS);
            }
            if (!LEGACY_REGION.equals(config.region())) {
                throw new S3Exception(S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU);
            }
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

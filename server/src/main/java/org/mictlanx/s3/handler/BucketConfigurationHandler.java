package org.mictlanx.s3.handler;

import java.util.Map;

import org.mictlanx.router.BallStore;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.BucketConfigurationDocuments;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.s3.xml.Tagging;

/**
 * Bucket configuration reads answered with S3's "not configured" replies (tools such as Terraform
 * read every subresource on refresh; a 501 would stop them), and bucket tagging, stored in the
 * bucket record. Writes of the configurations not built stay 501 (the parser never routes them here).
 */
public final class BucketConfigurationHandler {

    /** S3's limit on bucket tags. */
    static final int MAX_BUCKET_TAGS = 50;

    private final BallStore store;
    private final S3Config config;
    private final S3Xml xml;

    public BucketConfigurationHandler(BallStore store, S3Config config, S3Xml xml) {
        this.store = store;
        this.config = config;
        this.xml = xml;
    }

    /** The "not configured" reply of each configuration: an S3 error or the empty/default document. */
    public S3Response getBucketConfiguration(S3Request req, S3Operation.GetBucketConfiguration op) {
        req.requireBucket();
        Object document = switch (op.configuration()) {
            case REPLICATION -> throw new S3Exception(S3ErrorCode.REPLICATION_CONFIGURATION_NOT_FOUND);
            case OBJECT_LOCK -> ObjectLockHandler.document(req.requireBucket());
            case LOGGING -> new BucketConfigurationDocuments.BucketLoggingStatus();
            case NOTIFICATION -> new BucketConfigurationDocuments.NotificationConfiguration();
            case REQUEST_PAYMENT -> new BucketConfigurationDocuments.RequestPaymentConfiguration();
            case ACCELERATE -> new BucketConfigurationDocuments.AccelerateConfiguration();
            case ENCRYPTION -> new BucketConfigurationDocuments.ServerSideEncryptionConfiguration();
            case VERSIONING -> VersioningHandler.document(req.requireBucket());
        };
        return S3Response.status(200).xml(document);
    }

    /**
     * The bucket's tag set in stored order; NoSuchTagSet (404) when it has none, as S3 answers. Read
     * from the bucket lookup of the request (this router sees its own changes at once; a change made
     * through another router within {@code BucketService.RECENT_TTL}).
     */
    public S3Response getBucketTagging(S3Request req) {
        Map<String, String> tags = req.requireBucket().tags();
        if (tags.isEmpty()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_TAG_SET);
        }
        return S3Response.status(200).xml(Tags.toDocument(tags));
    }

    /**
     * Replaces the bucket's whole tag set: at most 50 tags, otherwise the object tag rules (InvalidTag;
     * MalformedXML for a malformed document). 204 as S3 answers; an empty TagSet removes every tag.
     */
    public S3Response putBucketTagging(S3Request req) {
        Tagging doc = xml.read(Bodies.readSmall(req, config.maxXmlBodyBytes()), Tagging.class);
        Map<String, String> tags = Tags.fromDocument(doc, MAX_BUCKET_TAGS,
                "Bucket tag count cannot be greater than " + MAX_BUCKET_TAGS);
        store.replaceBucketTags(req.requireBucket().name(), tags);
        return S3Response.status(204).empty();
    }

    /** Removes every bucket tag; 204 whether or not there were any. */
    public S3Response deleteBucketTagging(S3Request req) {
        store.replaceBucketTags(req.requireBucket().name(), Map.of());
        return S3Response.status(204).empty();
    }
}

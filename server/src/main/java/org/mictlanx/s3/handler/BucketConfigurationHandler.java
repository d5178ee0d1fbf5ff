package org.mictlanx.s3.handler;

import java.util.Map;

import org.mictlanx.router.BallStore;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.sse.BucketDefaults;
import org.mictlanx.s3.sse.Encryptions;
import org.mictlanx.s3.sse.KmsBalls;
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
    private final BucketDefaults defaults;

    public BucketConfigurationHandler(BallStore store, S3Config config, S3Xml xml, BucketDefaults defaults) {
        this.store = store;
        this.defaults = defaults;
        this.config = config;
        this.xml = xml;
    }

    /** The "not configured" reply of each configuration: an S3 error or the empty/default document. */
    public S3Response getBucketConfiguration(S3Request req, S3Operation.GetBucketConfiguration op) {
        req.requireBucket();
        Object document = switch (op.configuration()) {
            case REPLICATION -> throw new S3Exception(S3ErrorCode.REPLICATION_CONFIGURATION_NOT_FOUND);
            case OBJECT_LOCK -> ObjectLockHandler.document(req.requireBucket());
            case REQUEST_PAYMENT -> new BucketConfigurationDocuments.RequestPaymentConfiguration();
            case ACCELERATE -> new BucketConfigurationDocuments.AccelerateConfiguration();
            case ENCRYPTION -> defaults.of(req.requireBucket())
                    .map(d -> new BucketConfigurationDocuments.ServerSideEncryptionConfiguration(S3Xml.NS,
                            new BucketConfigurationDocuments.Rule(new BucketConfigurationDocuments.ApplyServerSideEncryptionByDefault(
                                    d.kmsKeyId() == null ? "AES256" : "aws:kms",
                                    d.kmsKeyId() == null || d.kmsKeyId().equals(KmsBalls.MANAGED_ALIAS) ? null
                                            : KmsBalls.arn(config.region(), d.kmsKeyId())), d.bucketKey())))
                    .orElseGet(BucketConfigurationDocuments.ServerSideEncryptionConfiguration::new);
            case VERSIONING -> VersioningHandler.document(req.requireBucket());
        };
        return S3Response.status(200).xml(document);
    }

    /**
     * PutBucketEncryption: exactly one rule whose default is {@code AES256} or {@code aws:kms} with a
     * {@code KMSMasterKeyID} (an ARN or id of an existing, enabled key; without one the AWS managed key
     * {@code aws/s3}, as S3); {@code BucketKeyEnabled} is
     * accepted and echoed. {@code aws:kms:dsse} → 501. Applied to writes without an encryption header.
     */
    public S3Response putBucketEncryption(S3Request req) {
        BucketConfigurationDocuments.ServerSideEncryptionConfigurationInput doc = xml.read(
                Bodies.readSmall(req, config.maxXmlBodyBytes()),
                BucketConfigurationDocuments.ServerSideEncryptionConfigurationInput.class);
        if (doc == null || doc.rules() == null || doc.rules().size() != 1 || doc.rules().get(0).byDefault() == null
                || doc.rules().get(0).byDefault().sseAlgorithm() == null) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        BucketConfigurationDocuments.RuleInput rule = doc.rules().get(0);
        boolean bucketKey = Boolean.TRUE.equals(rule.bucketKeyEnabled());
        String kmsKey = rule.byDefault().kmsMasterKeyId();
        Encryptions.BucketDefault value = switch (rule.byDefault().sseAlgorithm().strip()) {
            case "AES256" -> {
                if (kmsKey != null) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                            "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms");
                }
                yield new Encryptions.BucketDefault(null, bucketKey);
            }
            case "aws:kms" -> {
                // without a KMSMasterKeyID: the AWS managed key aws/s3, as S3
                String id = kmsKey == null ? KmsBalls.MANAGED_ALIAS : KmsBalls.keyId(kmsKey);
                Encryptions.requireUsableKmsKey(store, id);
                yield new Encryptions.BucketDefault(id, bucketKey);
            }
            case "aws:kms:dsse" -> throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    "A header you provided implies functionality that is not implemented: aws:kms:dsse");
            default -> throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The encryption method specified is not supported");
        };
        defaults.put(req.requireBucket(), value);
        return S3Response.status(200).empty();
    }

    /** DeleteBucketEncryption: writes fall back to SSE-S3; 204. */
    public S3Response deleteBucketEncryption(S3Request req) {
        defaults.delete(req.requireBucket());
        return S3Response.status(204).empty();
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

package org.mictlanx.s3.handler;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.PolicyStatus;
import org.mictlanx.s3.xml.PublicAccessBlockConfiguration;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.xolo.policy.Policy;
import org.mictlanx.xolo.policy.PolicyException;
import org.mictlanx.xolo.policy.PolicyParser;
import org.mictlanx.xolo.policy.PolicyStore;
import org.mictlanx.xolo.policy.PublicAccessBlock;
import org.mictlanx.xolo.policy.PublicPolicies;

/**
 * Bucket policies (Get/Put/DeleteBucketPolicy, GetBucketPolicyStatus) and the public access block
 * (Get/Put/DeletePublicAccessBlock). Stored in the replicated metadata by {@link PolicyStore};
 * every router applies a change within its cache bound.
 */
public final class PolicyHandler {

    private final PolicyStore store;
    private final Authorizer authorizer;
    private final S3Xml xml;
    private final S3Config config;

    public PolicyHandler(Authorizer authorizer, S3Config config, S3Xml xml) {
        this.store = authorizer.policies();
        this.authorizer = authorizer;
        this.config = config;
        this.xml = xml;
    }

    /** The policy JSON as it was written. */
    public S3Response getBucketPolicy(S3Request req) {
        byte[] json = store.bucketPolicy(req.requireBucket())
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET_POLICY))
                .getBytes(StandardCharsets.UTF_8);
        return S3Response.status(200).header("Content-Type", "application/json")
                .stream(new ByteArrayInputStream(json), json.length);
    }

    /**
     * Validates the policy (MalformedPolicy with S3's message; a principal that is not a user, access
     * key or the account of this store is "Invalid principal in policy") and stores it: 204. A public policy on
     * a bucket whose public access block has BlockPublicPolicy is 403 AccessDenied, as S3.
     */
    public S3Response putBucketPolicy(S3Request req) {
        BucketInfo bucket = req.requireBucket();
        byte[] body = Bodies.readSmall(req, PolicyParser.MAX_BYTES);
        Policy policy;
        try {
            policy = store.parseBucketPolicy(bucket, body);
        } catch (PolicyException e) {
            throw new S3Exception(S3ErrorCode.MALFORMED_POLICY, e.getMessage());
        }
        authorizer.checkPrincipals(policy);
        if (store.publicAccessBlock(bucket).orElse(PublicAccessBlock.NONE).blockPublicPolicy()
                && PublicPolicies.isPublic(policy)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
        store.putBucketPolicy(bucket, body);
        return S3Response.status(204).empty();
    }

    public S3Response deleteBucketPolicy(S3Request req) {
        store.deleteBucketPolicy(req.requireBucket());
        return S3Response.status(204).empty();
    }

    /** IsPublic: whether the bucket policy grants to everyone (NoSuchBucketPolicy without one). */
    public S3Response getBucketPolicyStatus(S3Request req) {
        Policy policy = store.bucketAccess(req.requireBucket()).policy()
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET_POLICY));
        return S3Response.status(200).xml(new PolicyStatus(S3Xml.NS, PublicPolicies.isPublic(policy)));
    }

    public S3Response getPublicAccessBlock(S3Request req) {
        PublicAccessBlock b = store.publicAccessBlock(req.requireBucket())
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION));
        return S3Response.status(200).xml(new PublicAccessBlockConfiguration(S3Xml.NS, b.blockPublicAcls(),
                b.ignorePublicAcls(), b.blockPublicPolicy(), b.restrictPublicBuckets()));
    }

    /** Replaces the block; an element left out is false. 200 as S3. */
    public S3Response putPublicAccessBlock(S3Request req) {
        byte[] body = Bodies.readSmall(req, config.maxXmlBodyBytes());
        if (body.length == 0) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        PublicAccessBlockConfiguration c = xml.read(body, PublicAccessBlockConfiguration.class);
        store.putPublicAccessBlock(req.requireBucket(), new PublicAccessBlock(isTrue(c.blockPublicAcls()),
                isTrue(c.ignorePublicAcls()), isTrue(c.blockPublicPolicy()), isTrue(c.restrictPublicBuckets())));
        return S3Response.status(200).empty();
    }

    public S3Response deletePublicAccessBlock(S3Request req) {
        store.deletePublicAccessBlock(req.requireBucket());
        return S3Response.status(204).empty();
    }

    private static boolean isTrue(Boolean b) {
        return Boolean.TRUE.equals(b);
    }
}

package org.mictlanx.s3.handler;

import java.util.ArrayList;
import java.util.List;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.AclHeaders;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.AccessControlPolicy;
import org.mictlanx.s3.xml.OwnershipControls;
import org.mictlanx.s3.xml.Owner;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.xolo.policy.Acl;
import org.mictlanx.xolo.policy.Caller;
import org.mictlanx.xolo.policy.Grantees;
import org.mictlanx.xolo.policy.PolicyStore;

/**
 * Get/PutBucketAcl, Get/PutObjectAcl and Get/Put/DeleteBucketOwnershipControls. Under
 * BucketOwnerEnforced (the default) ACLs are disabled: Get shows the owner's FULL_CONTROL, Put is
 * accepted only when it grants nobody else anything, else AccessControlListNotSupported, as S3.
 */
public final class AclHandler {

    private final BallStore store;
    private final PolicyStore policies;
    private final Grantees grantees;
    private final S3Config config;
    private final S3Xml xml;

    public AclHandler(BallStore store, Authorizer authorizer, S3Config config, S3Xml xml) {
        this.store = store;
        this.policies = authorizer.policies();
        this.grantees = authorizer.grantees();
        this.config = config;
        this.xml = xml;
    }

    public S3Response getBucketAcl(S3Request req) {
        BucketInfo b = req.requireBucket();
        return S3Response.status(200).xml(document(b.owner(), policies.bucketAccess(b).aclsEnabled() ? policies.bucketAcl(b) : Acl.PRIVATE));
    }

    public S3Response putBucketAcl(S3Request req) {
        BucketInfo b = req.requireBucket();
        Acl acl = requested(req, b, b.owner());
        policies.putBucketAcl(b, acl);
        return S3Response.status(200).empty();
    }

    public S3Response getObjectAcl(S3Request req, S3Operation.GetObjectAcl op) {
        BucketInfo b = req.requireBucket();
        BallInfo ball = ball(b, op.key(), op.versionId());
        boolean enabled = policies.bucketAccess(b).aclsEnabled();
        Acl acl = enabled ? policies.objectAcl(b, op.key(), org.mictlanx.xolo.policy.ObjectVersion.of(ball)) : Acl.PRIVATE;
        String owner = enabled ? policies.objectOwner(b, op.key(), org.mictlanx.xolo.policy.ObjectVersion.of(ball)).orElse(b.owner()) : b.owner();
        return S3Response.status(200).xml(document(owner, acl));
    }

    public S3Response putObjectAcl(S3Request req, S3Operation.PutObjectAcl op) {
        BucketInfo b = req.requireBucket();
        BallInfo ball = ball(b, op.key(), op.versionId());
        String owner = policies.bucketAccess(b).aclsEnabled()
                ? policies.objectOwner(b, op.key(), org.mictlanx.xolo.policy.ObjectVersion.of(ball)).orElse(b.owner()) : b.owner();
        Acl acl = requested(req, b, owner);
        policies.putObjectAcl(b, op.key(), org.mictlanx.xolo.policy.ObjectVersion.of(ball), acl);
        return S3Response.status(200).empty();
    }

    public S3Response getOwnershipControls(S3Request req) {
        String ownership = policies.ownership(req.requireBucket());
        if (ownership == null) {
            throw new S3Exception(S3ErrorCode.OWNERSHIP_CONTROLS_NOT_FOUND);
        }
        return S3Response.status(200).xml(new OwnershipControls(S3Xml.NS, List.of(new OwnershipControls.Rule(ownership))));
    }

    /** One rule naming BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter; else MalformedXML. */
    public S3Response putOwnershipControls(S3Request req) {
        BucketInfo b = req.requireBucket();
        OwnershipControls c = xml.read(Bodies.readSmall(req, config.maxXmlBodyBytes()), OwnershipControls.class);
        if (c.rules() == null || c.rules().size() != 1 || c.rules().get(0).objectOwnership() == null
                || !PolicyStore.OWNERSHIPS.contains(c.rules().get(0).objectOwnership().strip())) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        String ownership = c.rules().get(0).objectOwnership().strip();
        if (ownership.equals(PolicyStore.BUCKET_OWNER_ENFORCED) && !policies.bucketAcl(b).grants().isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP,
                    "Bucket ACLs grant access to others: set the bucket ACL to private before enforcing bucket owner ownership");
        }
        policies.putOwnership(b, ownership);
        return S3Response.status(200).empty();
    }

    /** Deletes the controls: ACLs then apply (as with ObjectWriter). 204. */
    public S3Response deleteOwnershipControls(S3Request req) {
        policies.putOwnership(req.requireBucket(), null);
        return S3Response.status(204).empty();
    }

    /**
     * The version an object ACL call names (the latest without {@code versionId}). Each version has
     * its own ACL, matched by the version's record version: an ACL set on one version never applies
     * to another. One ACL record per key is kept, holding the grants and the writer-owner (object
     * ownership) of the version it was last set for: setting one version's ACL, or a new version
     * recording its writer, returns the version that had the record before to private and owned by
     * the bucket owner (fail closed: access is only ever lost, never carried to another version).
     */
    private BallInfo ball(BucketInfo bucket, String key, String versionId) {
        return Versions.resolve(store, bucket, key, versionId);
    }

    /**
     * The ACL a Put*Acl asks for (headers or body, not both), checked against ownership and
     * BlockPublicAcls; {@code owner} is the resource's owner, whose own FULL_CONTROL is implicit.
     */
    private Acl requested(S3Request req, BucketInfo b, String owner) {
        byte[] body = Bodies.readSmall(req, config.maxXmlBodyBytes());
        boolean headers = AclHeaders.asked(req.headers());
        if (headers && body.length > 0) {
            throw new S3Exception(S3ErrorCode.UNEXPECTED_CONTENT);
        }
        if (!headers && body.length == 0) {
            throw new S3Exception(S3ErrorCode.MISSING_SECURITY_HEADER);
        }
        Acl acl = headers ? AclHeaders.fromHeaders(req.headers(), b.owner(), grantees) : fromBody(body, owner);
        PolicyStore.BucketAccess access = policies.bucketAccess(b);
        if (!access.aclsEnabled()) {
            boolean ownerOnly = acl.grants().stream().allMatch(g -> !g.group() && g.id().equals(Caller.canonicalId(b.owner())));
            if (!ownerOnly) {
                throw new S3Exception(S3ErrorCode.ACCESS_CONTROL_LIST_NOT_SUPPORTED);
            }
            return Acl.PRIVATE;
        }
        if (acl.isPublic() && access.block().blockPublicAcls()) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
        return acl;
    }

    private Acl fromBody(byte[] body, String owner) {
        AccessControlPolicy doc = xml.read(body, AccessControlPolicy.class);
        List<Acl.Grant> grants = new ArrayList<>();
        for (AccessControlPolicy.Grant g : doc.grantList()) {
            if (g == null || g.grantee() == null || g.permission() == null || !Acl.PERMISSIONS.contains(g.permission())) {
                throw new S3Exception(S3ErrorCode.MALFORMED_ACL_ERROR);
            }
            AccessControlPolicy.Grantee e = g.grantee();
            Acl.Grant grant = switch (String.valueOf(e.type())) {
                case "CanonicalUser" -> AclHeaders.grant("id", String.valueOf(e.id()), g.permission(), grantees);
                case "Group" -> AclHeaders.grant("uri", String.valueOf(e.uri()), g.permission(), grantees);
                case "AmazonCustomerByEmail" -> AclHeaders.grant("emailAddress", String.valueOf(e.emailAddress()), g.permission(), grantees);
                default -> throw new S3Exception(S3ErrorCode.MALFORMED_ACL_ERROR);
            };
            boolean ownersOwn = !grant.group() && grant.id().equals(Caller.canonicalId(owner))
                    && grant.permission().equals("FULL_CONTROL");
            if (!ownersOwn) {
                grants.add(grant);
            }
        }
        return new Acl(grants);
    }

    /** The owner's implicit FULL_CONTROL first, then the stored grants. */
    private static AccessControlPolicy document(String owner, Acl acl) {
        List<AccessControlPolicy.Grant> grants = new ArrayList<>();
        grants.add(new AccessControlPolicy.Grant(AccessControlPolicy.Grantee.user(Caller.canonicalId(owner),
                Caller.displayName(owner)), "FULL_CONTROL"));
        for (Acl.Grant g : acl.grants()) {
            grants.add(new AccessControlPolicy.Grant(g.group() ? AccessControlPolicy.Grantee.group(g.id())
                    : AccessControlPolicy.Grantee.user(g.id(), g.displayName()), g.permission()));
        }
        return new AccessControlPolicy(S3Xml.NS, Owner.of(owner), new AccessControlPolicy.AccessControlList(grants));
    }
}

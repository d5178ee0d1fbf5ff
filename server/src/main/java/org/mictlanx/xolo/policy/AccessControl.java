package org.mictlanx.xolo.policy;

import java.util.List;
import java.util.Optional;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.xolo.policy.Policy.Statement;

/**
 * The one policy engine: decides whether a caller may run an action on a resource, as AWS evaluates
 * a request within one account.
 *
 * <ol>
 *   <li>Root may do everything.</li>
 *   <li>Every applicable policy is evaluated: the caller's user policies and the bucket's policy.
 *       An explicit Deny in any of them denies (the bucket owner included).</li>
 *   <li>An Allow in any of them allows. While the bucket's public access block has
 *       {@code RestrictPublicBuckets} and its policy is public, the policy's statements that grant to
 *       everyone allow nothing to anonymous callers.</li>
 *   <li>Otherwise the owner's implicit rights: a user with no attached policy (its own or its
 *       groups') may list buckets, create buckets and do anything on the buckets it owns (the
 *       store's behaviour before policies). A user with policies has exactly what they (and bucket
 *       policies) grant. While ACLs are enabled, a ball another caller owns (ObjectWriter,
 *       BucketOwnerPreferred) is not the bucket owner's: as in S3 it may only overwrite, delete
 *       and restore it ({@link #BUCKET_OWNER_KEEPS}); reading it, its ACL, tags or attributes
 *       needs a grant of its ACL or a policy.</li>
 *   <li>Otherwise, while the bucket's object ownership is not {@code BucketOwnerEnforced}, its ACL
 *       (bucket-level actions, writes) or the addressed ball's ACL (reads, ACL access) may allow.</li>
 *   <li>Anything else is denied.</li>
 * </ol>
 *
 * <p>Fast path: a user without policies on a bucket without policy costs two cache look-ups and no
 * evaluation; condition keys are never computed.
 */
public final class AccessControl {

    /** The object actions a bucket owner keeps on balls another caller owns, as S3. */
    static final java.util.Set<String> BUCKET_OWNER_KEEPS = java.util.Set.of("s3:putobject", "s3:deleteobject",
            "s3:deleteobjectversion", "s3:abortmultipartupload", "s3:listmultipartuploadparts", "s3:restoreobject");

    private final PolicyStore store;
    private final PolicyEvaluator evaluator = new PolicyEvaluator();

    public AccessControl(PolicyStore store) {
        this.store = store;
    }

    public PolicyStore store() {
        return store;
    }

    /**
     * @param action   the AWS action, e.g. {@code s3:GetObject}
     * @param resource the resource ARN, e.g. {@code arn:aws:s3:::bucket/key} ({@code *} for ListAllMyBuckets)
     * @param bucket   the addressed bucket when it exists
     */
    /**
     * The decision when no policy and no ACL applies to the request (the fast path: no resource ARN
     * needs to be built); null when policies or ACLs must be evaluated with {@link #allowed}.
     */
    public Boolean withoutPolicies(Caller caller, String action, Optional<BucketInfo> bucket) {
        if (caller.isRoot()) {
            return Boolean.TRUE;
        }
        if (caller.kind() == Caller.Kind.USER && !store.users().policiesOf(caller.user()).isEmpty()) {
            return null;
        }
        PolicyStore.BucketAccess access = bucket.isPresent() ? store.bucketAccess(bucket.get()) : PolicyStore.BucketAccess.NONE;
        if (access.policy().isPresent() || access.aclsEnabled()) {
            return null;
        }
        return ownerRight(caller, action, bucket);
    }

    public boolean allowed(Caller caller, String action, String resource, Optional<BucketInfo> bucket,
                           ConditionKeys keys) {
        if (caller.isRoot()) {
            return true;
        }
        List<Policy> userPolicies = caller.kind() == Caller.Kind.USER ? store.users().policiesOf(caller.user()) : List.of();
        PolicyStore.BucketAccess access = bucket.isPresent() ? store.bucketAccess(bucket.get())
                : PolicyStore.BucketAccess.NONE;
        Decision d = Decision.IMPLICIT_DENY;
        for (Policy p : userPolicies) {
            d = d.and(evaluator.evaluate(p, caller, action, resource, keys));
        }
        if (access.policy().isPresent()) {
            d = d.and(bucketDecision(access, caller, action, resource, keys));
        }
        return switch (d) {
            case EXPLICIT_DENY -> false;
            case ALLOW -> true;
            case IMPLICIT_DENY -> userPolicies.isEmpty() && ownerRight(caller, action, bucket)
                    && !(access.aclsEnabled() && foreignBall(caller, action, resource, bucket.get(), keys))
                    || access.aclsEnabled() && bucket.isPresent() && aclAllows(access, caller, action, resource, bucket.get(), keys);
        };
    }

    /**
     * Whether the addressed ball is owned by another caller than {@code caller} and the action is
     * one the bucket owner does not keep on such a ball (only asked of the bucket owner).
     */
    private boolean foreignBall(Caller caller, String action, String resource, BucketInfo bucket, ConditionKeys keys) {
        String prefix = "arn:aws:s3:::" + bucket.name() + "/";
        if (!resource.startsWith(prefix) || ActionCatalog.kind(action) != ActionCatalog.ResourceKind.OBJECT
                || BUCKET_OWNER_KEEPS.contains(action.toLowerCase(java.util.Locale.ROOT))) {
            return false;
        }
        return store.objectOwner(bucket, resource.substring(prefix.length()), keys.ballVersion())
                .filter(owner -> !owner.equals(caller.ownerId())).isPresent();
    }

    /**
     * Object actions S3 decides on the bucket's ACL (its WRITE grant), never the ball's: writing, deleting
     * (also a version by id) and the upload housekeeping.
     */
    private static final java.util.Set<String> BUCKET_ACL_DECIDES = java.util.Set.of("s3:putobject", "s3:deleteobject",
            "s3:deleteobjectversion", "s3:abortmultipartupload", "s3:listmultipartuploadparts");

    /** The bucket's or the addressed ball's ACL (without public grants under IgnorePublicAcls). */
    private boolean aclAllows(PolicyStore.BucketAccess access, Caller caller, String action, String resource,
                              BucketInfo bucket, ConditionKeys keys) {
        String prefix = "arn:aws:s3:::" + bucket.name() + "/";
        boolean object = resource.startsWith(prefix) && ActionCatalog.kind(action) == ActionCatalog.ResourceKind.OBJECT
                && !BUCKET_ACL_DECIDES.contains(action.toLowerCase(java.util.Locale.ROOT));
        if (object && store.objectOwner(bucket, resource.substring(prefix.length()),
                keys.ballVersion()).filter(caller.ownerId()::equals).isPresent()) {
            return true; // a ball's owner has FULL_CONTROL of it (writer-owned balls)
        }
        Acl acl = object ? store.objectAcl(bucket, resource.substring(prefix.length()), keys.ballVersion()) : access.acl();
        if (access.block().ignorePublicAcls()) {
            acl = acl.withoutPublic();
        }
        return acl.allows(caller, action, object);
    }

    private Decision bucketDecision(PolicyStore.BucketAccess access, Caller caller, String action, String resource,
                                    ConditionKeys keys) {
        Policy policy = access.policy().orElseThrow();
        boolean restrict = access.block().restrictPublicBuckets() && caller.anonymous() && PublicPolicies.isPublic(policy);
        Decision d = Decision.IMPLICIT_DENY;
        for (Statement s : policy.statements()) {
            if (!evaluator.applies(s, caller, action, resource, keys)) {
                continue;
            }
            if (!s.allow()) {
                return Decision.EXPLICIT_DENY;
            }
            if (!(restrict && PublicPolicies.grantsEveryone(s))) {
                d = Decision.ALLOW;
            }
        }
        return d;
    }

    private static boolean ownerRight(Caller caller, String action, Optional<BucketInfo> bucket) {
        if (caller.anonymous()) {
            return false;
        }
        // CreateBucket of a taken name goes on to BucketAlreadyExists / BucketAlreadyOwnedByYou, as S3 answers.
        if (action.equals("s3:ListAllMyBuckets") || action.equals("s3:CreateBucket")) {
            return true;
        }
        return bucket.isPresent() && caller.user().equals(bucket.get().owner());
    }

    /** Whether the caller's access comes from policies (so ListBuckets shows every bucket it may list). */
    public boolean hasUserPolicies(Caller caller) {
        return caller.kind() == Caller.Kind.USER && !store.users().policiesOf(caller.user()).isEmpty();
    }
}

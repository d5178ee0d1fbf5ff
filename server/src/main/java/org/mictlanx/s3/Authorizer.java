package org.mictlanx.s3;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.xolo.identity.Principal;
import org.mictlanx.xolo.policy.AccessControl;
import org.mictlanx.xolo.policy.Caller;
import org.mictlanx.xolo.policy.ConditionKeys;
import org.mictlanx.xolo.policy.Grantees;
import org.mictlanx.xolo.policy.Policy;
import org.mictlanx.xolo.policy.PolicyStore;

/**
 * The front door's authorization step: maps the operation through the one permission table
 * ({@link S3Permissions}) and asks the policy engine ({@link AccessControl}). Called by the pipeline
 * after authentication and after the addressed bucket was looked up (empty only for service-level
 * operations and for CreateBucket of a free name); handlers call it again for further resources
 * (a copy's source, each key of DeleteObjects).
 */
public final class Authorizer {

    private final Function<String, Optional<Principal>> principals;
    private final Predicate<String> userExists;
    private final Grantees grantees;
    private final AccessControl access;

    /**
     * An authorizer that knows no user by name: a bucket policy naming a user ARN is refused (for
     * front doors that never take PutBucketPolicy, such as the website endpoint).
     *
     * @param principals who an access key belongs to, e.g. {@code userRegistry::principalFor}
     */
    public Authorizer(Function<String, Optional<Principal>> principals, AccessControl access) {
        this(principals, name -> false, access);
    }

    /**
     * @param principals who an access key belongs to, e.g. {@code userRegistry::principalFor}
     * @param userExists whether a user of this name exists (disabled or not), for the principals of
     *                   bucket policies
     */
    public Authorizer(Function<String, Optional<Principal>> principals, Predicate<String> userExists,
                      AccessControl access) {
        this(principals, userExists, Grantees.ROOT_ONLY, access);
    }

    /**
     * @param grantees who canonical user ids and e-mail addresses of grants and policy principals name
     */
    public Authorizer(Function<String, Optional<Principal>> principals, Predicate<String> userExists,
                      Grantees grantees, AccessControl access) {
        this.principals = principals;
        this.userExists = userExists;
        this.grantees = grantees;
        this.access = access;
    }

    /** Who canonical user ids and e-mail addresses name (ACL grants). */
    public Grantees grantees() {
        return grantees;
    }

    /**
     * Refuses a bucket policy naming a principal this store does not have, as AWS refuses a policy
     * naming an unknown account, user or access key: 400 MalformedPolicy "Invalid principal in policy".
     * Known: {@code *}, the account ({@value Caller#ACCOUNT}, its root ARN), the ARN
     * {@code arn:aws:iam::000000000000:user/NAME} of an existing user, an existing access key id, the
     * canonical user id of root or of an existing user ({@code {"CanonicalUser": ...}}).
     */
    public void checkPrincipals(Policy policy) {
        for (Policy.Statement s : policy.statements()) {
            if (s.principals() == null) {
                continue;
            }
            for (String p : s.principals()) {
                if (!knownPrincipal(p)) {
                    throw new S3Exception(S3ErrorCode.MALFORMED_POLICY, "Invalid principal in policy");
                }
            }
        }
    }

    private boolean knownPrincipal(String p) {
        if (p.equals("*") || p.equals(Caller.ACCOUNT) || p.equals(Caller.ROOT_ARN)) {
            return true;
        }
        if (p.startsWith("canonical:")) {
            return grantees.ownerOf(p.substring("canonical:".length())).isPresent();
        }
        String userArn = "arn:aws:iam::" + Caller.ACCOUNT + ":user/";
        if (p.startsWith(userArn)) {
            return userExists.test(p.substring(userArn.length()));
        }
        if (p.startsWith("arn:") || p.chars().allMatch(Character::isDigit)) {
            return false; // another account, or its root
        }
        return principals.apply(p).isPresent();
    }

    /** Where bucket policies and public access blocks are kept. */
    public PolicyStore policies() {
        return access.store();
    }

    /** The caller a verified access key acts as ({@code null}: anonymous); AccessDenied for a key without principal. */
    public Caller caller(String accessKeyId) {
        if (accessKeyId == null) {
            return Caller.ANONYMOUS;
        }
        Principal p = principals.apply(accessKeyId).orElseThrow(() -> new S3Exception(S3ErrorCode.ACCESS_DENIED));
        return p.root() ? Caller.root(accessKeyId) : Caller.user(p.user(), accessKeyId);
    }

    /**
     * Throws {@link S3Exception} with {@link S3ErrorCode#ACCESS_DENIED} when the operation is not
     * allowed. DeleteObjects passes here: each of its keys is authorized by its handler. PutObjectTagging
     * passes here when a policy condition asks for the request tags, which are in its body: its handler
     * decides with {@link #authorizeTagSet}.
     */
    public void authorize(Caller caller, S3Operation op, Optional<BucketInfo> bucket, ConditionKeys keys) {
        if (op instanceof S3Operation.DeleteObjects) {
            return; // authorized per key by its handler, refused keys reported in the result as S3 does
        }
        String action = S3Permissions.action(op);
        Boolean fast = access.withoutPolicies(caller, action, bucket);
        if (fast != null) {
            if (!fast) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
            }
            return;
        }
        if (op instanceof S3Operation.PutObjectTagging) {
            RequestTagKeys probe = RequestTagKeys.probe(keys);
            boolean allowed = access.allowed(caller, action, S3Permissions.resource(op), bucket, probe);
            if (probe.asked()) {
                return; // a condition on the request tags: decided by authorizeTagSet once the body is read
            }
            if (!allowed) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
            }
            return;
        }
        if (!access.allowed(caller, action, S3Permissions.resource(op), bucket, keys)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
    }

    /**
     * PutObjectTagging's authorization with {@code s3:RequestObjectTag/<k>} and
     * {@code s3:RequestObjectTagKeys} taken from the body's tag set, called by its handler once the
     * body is read (empty {@code tags} when it could not be parsed). Without policies or ACLs the
     * pipeline has already decided and this returns at once.
     */
    public void authorizeTagSet(Caller caller, S3Operation.PutObjectTagging op, Optional<BucketInfo> bucket,
                                ConditionKeys keys, java.util.Map<String, String> tags) {
        String action = S3Permissions.action(op);
        if (access.withoutPolicies(caller, action, bucket) != null) {
            return;
        }
        if (!access.allowed(caller, action, S3Permissions.resource(op), bucket, RequestTagKeys.withTags(keys, tags))) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
    }

    /** Whether {@code caller} may run {@code action} on {@code resource}. */
    public boolean allowed(Caller caller, String action, String resource, Optional<BucketInfo> bucket,
                           ConditionKeys keys) {
        return access.allowed(caller, action, resource, bucket, keys);
    }

    /** Throws AccessDenied unless {@code caller} may run {@code action} on {@code resource}. */
    public void authorize(Caller caller, String action, String resource, Optional<BucketInfo> bucket,
                          ConditionKeys keys) {
        if (!access.allowed(caller, action, resource, bucket, keys)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
    }

    /**
     * Whether ListBuckets shows {@code bucket}: its owner sees it; a user with policies sees every
     * bucket (as AWS lists all of an account's buckets once ListAllMyBuckets is allowed); root sees all.
     */
    public boolean visible(Caller caller, BucketInfo bucket) {
        return caller.isRoot() || caller.user() != null && caller.user().equals(bucket.owner())
                || access.hasUserPolicies(caller);
    }

    /** Forgets the access configuration of a deleted bucket. */
    public void bucketDeleted(String bucket) {
        access.store().bucketDeleted(bucket);
    }
}

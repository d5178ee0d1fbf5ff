package org.mictlanx.s3;

import java.util.Optional;
import java.util.function.Function;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.xolo.identity.Principal;
import org.mictlanx.xolo.policy.AccessControl;
import org.mictlanx.xolo.policy.Caller;
import org.mictlanx.xolo.policy.ConditionKeys;
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
    private final AccessControl access;

    /** @param principals who an access key belongs to, e.g. {@code userRegistry::principalFor} */
    public Authorizer(Function<String, Optional<Principal>> principals, AccessControl access) {
        this.principals = principals;
        this.access = access;
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
     * allowed. DeleteObjects passes here: each of its keys is authorized by its handler.
     */
    public void authorize(Caller caller, S3Operation op, Optional<BucketInfo> bucket, ConditionKeys keys) {
        if (op instanceof S3Operation.DeleteObjects) {
            return; // authorized per key by its handler, refused keys reported in the result as S3 does
        }
        String action = S3Permissions.action(op);
        Boolean fast = access.withoutPolicies(caller, action, bucket);
        if (fast != null ? !fast : !access.allowed(caller, action, S3Permissions.resource(op), bucket, keys)) {
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

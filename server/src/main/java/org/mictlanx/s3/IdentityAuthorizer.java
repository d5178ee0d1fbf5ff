package org.mictlanx.s3;

import java.util.Optional;
import java.util.function.Function;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.xolo.identity.Principal;

/**
 * The front door's {@link Authorizer} over the Xolo identity rules
 * ({@link org.mictlanx.xolo.identity.Authorizer}): root may do everything, any user may list and
 * create buckets, only a bucket's owner may act on it. An access key without a principal is denied.
 */
public final class IdentityAuthorizer implements Authorizer {

    private final Function<String, Optional<Principal>> principals;
    private final org.mictlanx.xolo.identity.Authorizer rules;

    /** @param principals e.g. {@code userRegistry::principalFor} */
    public IdentityAuthorizer(Function<String, Optional<Principal>> principals,
                              org.mictlanx.xolo.identity.Authorizer rules) {
        this.principals = principals;
        this.rules = rules;
    }

    @Override
    public String ownerId(String accessKeyId) {
        return rules.ownerId(principal(accessKeyId));
    }

    @Override
    public void authorize(String accessKeyId, S3Operation operation, Optional<BucketInfo> bucket) {
        Principal p = principal(accessKeyId);
        boolean allowed = switch (operation.permission()) {
            case LIST_BUCKETS -> true;
            case CREATE_BUCKET -> rules.mayCreateBucket(p);
            case READ, WRITE, OWNER -> bucket.isPresent() && rules.mayAccess(p, bucket.get());
        };
        if (!allowed) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
    }

    private Principal principal(String accessKeyId) {
        return principals.apply(accessKeyId).orElseThrow(() -> new S3Exception(S3ErrorCode.ACCESS_DENIED));
    }
}

package org.mictlanx.s3;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import org.mictlanx.router.BucketInfo;

/**
 * Owner rules: the root may do everything; any authenticated key may list and create buckets; on a
 * bucket only its owner may act. Everyone else gets AccessDenied.
 */
public final class OwnerAuthorizer implements Authorizer {

    private final Function<String, String> ownerOf;
    private final Predicate<String> isRoot;

    /**
     * @param ownerOf maps an access key id to its owner id (a user may hold several keys)
     * @param isRoot  whether an access key id belongs to the root user
     */
    public OwnerAuthorizer(Function<String, String> ownerOf, Predicate<String> isRoot) {
        this.ownerOf = ownerOf;
        this.isRoot = isRoot;
    }

    @Override
    public String ownerId(String accessKeyId) {
        return ownerOf.apply(accessKeyId);
    }

    @Override
    public void authorize(String accessKeyId, S3Operation operation, Optional<BucketInfo> bucket) {
        if (isRoot.test(accessKeyId)) {
            return;
        }
        switch (operation.permission()) {
            case LIST_BUCKETS, CREATE_BUCKET -> {
                return;
            }
            default -> {
                if (bucket.isPresent() && bucket.get().owner().equals(ownerId(accessKeyId))) {
                    return;
                }
            }
        }
        throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
    }
}

package org.mictlanx.xolo.identity;

import java.util.List;
import org.mictlanx.router.BucketInfo;

/**
 * Decides what a principal may do. Root may do everything; a bucket's owner may do everything on
 * it; anyone else is denied (the front door answers AccessDenied). Any authenticated user may
 * create buckets (they own them); only root may administer users. Stateless.
 */
public final class Authorizer {

    /** Whether the principal may act on the bucket (any operation on it or its balls). */
    public boolean mayAccess(Principal principal, BucketInfo bucket) {
        return principal.root() || principal.user().equals(bucket.owner());
    }

    public boolean mayCreateBucket(Principal principal) {
        return principal != null;
    }

    public boolean mayAdminister(Principal principal) {
        return principal.root();
    }

    /** ListBuckets: the buckets the principal owns; root sees all. Order is kept. */
    public List<BucketInfo> visibleBuckets(Principal principal, List<BucketInfo> all) {
        return principal.root() ? all : all.stream().filter(b -> principal.user().equals(b.owner())).toList();
    }

    /** The owner id to store on a bucket the principal creates. */
    public String ownerId(Principal principal) {
        return principal.user();
    }
}

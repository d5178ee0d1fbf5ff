package org.mictlanx.router.usage;

import java.util.List;
import org.mictlanx.router.BucketInfo;

/**
 * The buckets usage accounting is kept for: what {@link UsageService} needs of the bucket table
 * (implemented by {@code io.BucketService}, so the dependency runs from {@code io} to {@code usage}).
 */
public interface BucketDirectory {

    /** The bucket as stored; RouterException NO_SUCH_BUCKET when there is none. */
    BucketInfo require(String name);

    /** Every bucket. */
    List<BucketInfo> list();
}

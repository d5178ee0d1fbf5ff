package org.mictlanx.router;

import java.util.List;

/**
 * Per-bucket usage and hard quotas, as the admin API, the metrics and the web console read them
 * ({@link Router#usage()}). Figures are kept incrementally by every router and corrected by recounts;
 * see {@code org.mictlanx.router.usage.UsageLedger} for the design and its bounds.
 */
public interface BucketUsages {

    /** The bucket's usage now (a quorum read of the usage records); NO_SUCH_BUCKET when there is no such bucket. */
    BucketUsage usage(String bucket);

    /** The usage of every bucket, in bucket-name order (one scan of the usage records). */
    List<BucketUsage> all();

    /** Sets the bucket's hard quota in bytes; every router enforces it within the documented bound. */
    void setQuota(String bucket, long bytes);

    /** Removes the bucket's quota. */
    void clearQuota(String bucket);

    /** Recounts the bucket from its records and corrects the accounted figures; returns them before and after. */
    Recount recount(String bucket);

    /** A recount's outcome. */
    record Recount(BucketUsage before, BucketUsage after) {
    }
}

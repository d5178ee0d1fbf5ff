package org.mictlanx.s3;

/** What an operation needs from the caller; an {@link Authorizer} decides per bucket. */
public enum Permission {
    /** Listing the caller's buckets: any authenticated user. */
    LIST_BUCKETS,
    /** Creating a bucket: any authenticated user (name clashes are the store's business). */
    CREATE_BUCKET,
    /** Reading a bucket's balls, listings and metadata. */
    READ,
    /** Writing or deleting balls in a bucket. */
    WRITE,
    /** Deleting the bucket itself or changing its configuration. */
    OWNER
}

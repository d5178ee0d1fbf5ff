package org.mictlanx.router;

/**
 * How many replicas a ball's (or an upload's parts') chunks get, relative to the bucket's
 * replication factor N (bounded by the active peers). STANDARD writes N replicas; REDUCED writes
 * N - 1, at least 1 (S3's REDUCED_REDUNDANCY storage class). The count is recorded per segment, so
 * repair and GC keep using the count each segment was written with.
 */
public enum Redundancy {
    STANDARD,
    REDUCED;

    /** The replica count for a segment when the full factor is {@code n} (n >= 1). */
    public int replicas(int n) {
        return this == REDUCED ? Math.max(1, n - 1) : n;
    }
}

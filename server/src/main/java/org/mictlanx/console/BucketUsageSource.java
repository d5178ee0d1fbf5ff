package org.mictlanx.console;

import java.util.Optional;

/**
 * Where the console reads a bucket's size and object count. The store's per-bucket usage accounting
 * plugs in here; until it does, {@link #NONE} answers "not available" and the console shows so
 * (it never counts by listing a bucket on each page view).
 */
@FunctionalInterface
public interface BucketUsageSource {

    /** A bucket's stored bytes and object count as last accounted. */
    record Usage(long bytes, long objects) {
    }

    /** The bucket's usage; empty when not known. */
    Optional<Usage> usage(String bucket);

    /** No accounting available. */
    BucketUsageSource NONE = bucket -> Optional.empty();
}

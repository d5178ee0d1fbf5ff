package org.mictlanx.router;

import org.jspecify.annotations.Nullable;

/** Marker for the router's private description of a ball's chunks and keys (opaque outside the router). */
public interface BallLayout {

    /** The S3 version id: an opaque id, {@code "null"}, or null for a ball of an unversioned bucket. */
    default @Nullable String versionId() {
        return null;
    }

    /**
     * The hybrid-clock version at which this version was created (versioned buckets): unlike the
     * metadata record's version, it stays the same when the version becomes the latest again after
     * a newer one is deleted; 0 for a ball of an unversioned bucket.
     */
    default long stamp() {
        return 0;
    }

    /** Whether this entry is a delete marker (versioned buckets only). */
    default boolean deleteMarker() {
        return false;
    }
}

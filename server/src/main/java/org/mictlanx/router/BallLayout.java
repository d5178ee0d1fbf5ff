package org.mictlanx.router;

/** Marker for the router's private description of a ball's chunks and keys (opaque outside the router). */
public interface BallLayout {

    /** The S3 version id: an opaque id, {@code "null"}, or null for a ball of an unversioned bucket. */
    default String versionId() {
        return null;
    }

    /** Whether this entry is a delete marker (versioned buckets only). */
    default boolean deleteMarker() {
        return false;
    }
}

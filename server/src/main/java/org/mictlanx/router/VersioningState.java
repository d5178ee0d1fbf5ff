package org.mictlanx.router;

/**
 * A bucket's S3 versioning state. A bucket starts {@link #OFF} ("unversioned": every ball has version
 * {@code null}); once {@link #ENABLED} it can only move between ENABLED and {@link #SUSPENDED}, never
 * back to OFF, as in S3.
 */
public enum VersioningState {
    OFF, ENABLED, SUSPENDED;

    /** Whether writes go through the versioned path (history records, delete markers). */
    public boolean versioned() {
        return this != OFF;
    }
}

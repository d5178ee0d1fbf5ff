package org.mictlanx.sdk;

/**
 * Told how far a put or get has come. Called from worker threads, possibly concurrently, with
 * monotonically non-decreasing {@code done}; {@code total} is -1 when unknown (a stream of unknown length).
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores every report. */
    ProgressListener NONE = (done, total) -> { };

    /** {@code done} bytes of {@code total} have been transferred. */
    void progress(long done, long total);
}

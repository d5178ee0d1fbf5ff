package org.mictlanx.router.maint;

import org.mictlanx.router.io.PartRef;
import org.mictlanx.router.meta.Segment;

/**
 * One chunk of a segment that needs its replicas checked: written to fewer than N peers, or found
 * missing or corrupt on {@code badPeer} (null when unknown) by a reader. {@code bucket}/{@code key}
 * name the ball that referred to it (repair only proceeds while that ball still does);
 * {@code part}, when not null, names ({@link PartRef}) the multipart upload part the segment was written for (the
 * segment is then owed while that part record, or the completed ball, refers to it).
 */
public record RepairTask(String bucket, String key, Segment segment, long index, String badPeer, int attempt, PartRef part) {

    public RepairTask(String bucket, String key, Segment segment, long index, String badPeer) {
        this(bucket, key, segment, index, badPeer, 0, null);
    }

    public RepairTask(String bucket, String key, Segment segment, long index, String badPeer, int attempt) {
        this(bucket, key, segment, index, badPeer, attempt, null);
    }

    /** The same task, one attempt later. */
    public RepairTask retry() {
        return new RepairTask(bucket, key, segment, index, badPeer, attempt + 1, part);
    }

    /** Back-off before the next attempt: 250 ms doubling up to 32 s; a task is never given up. */
    public long retryDelayMillis() {
        return 250L << Math.min(attempt, 7);
    }
}

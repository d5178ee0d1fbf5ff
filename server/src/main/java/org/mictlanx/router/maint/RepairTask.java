package org.mictlanx.router.maint;

import org.mictlanx.router.meta.Segment;

/**
 * One chunk of a segment that needs its replicas checked: written to fewer than N peers, or found
 * missing or corrupt on {@code badPeer} (null when unknown) by a reader. {@code bucket}/{@code key}
 * name the ball that referred to it (repair only proceeds while that ball still does).
 */
public record RepairTask(String bucket, String key, Segment segment, long index, String badPeer) {
}

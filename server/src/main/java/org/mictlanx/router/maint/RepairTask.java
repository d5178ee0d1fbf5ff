package org.mictlanx.router.maint;

import org.mictlanx.router.meta.BallRecord;

/**
 * One chunk that needs its replicas checked: written to fewer than N peers, or found missing or
 * corrupt on {@code badPeer} (null when unknown) by a reader.
 */
public record RepairTask(String bucket, String key, BallRecord ball, long index, String badPeer) {
}

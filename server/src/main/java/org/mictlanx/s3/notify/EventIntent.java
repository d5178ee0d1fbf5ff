package org.mictlanx.s3.notify;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a write about to run may cause, kept in the {@link EventOutbox} as a pending record until its
 * events are queued: enough to tell afterwards, from what is committed, whether the write happened.
 *
 * @param kind       {@code created} (PUT, copy, complete: the key's latest ball was written at or
 *                   after {@code startMillis}) or {@code removed} (DELETE: the key, or version
 *                   {@code versionId}, is gone)
 * @param eventName  the event a confirmed write sends ({@code s3:ObjectCreated:Put}, ...; for a removal
 *                   {@code s3:ObjectRemoved:Delete}, turned into DeleteMarkerCreated when a marker is found)
 * @param bucketCreated the bucket's creation time (epoch millis): a bucket of the same name made later is not it
 */
public record EventIntent(String kind, String eventName, String bucket, long bucketCreated, String key, String versionId,
                          long startMillis, String principal, String sourceIp, String requestId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EventIntent of(byte[] json) {
        try {
            return JSON.readValue(json, EventIntent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

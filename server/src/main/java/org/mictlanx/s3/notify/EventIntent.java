package org.mictlanx.s3.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a write about to run may cause, kept in the {@link EventOutbox} as a pending record until its
 * events are queued: enough to tell afterwards, from what is committed, whether the write happened
 * and which object it wrote ({@link IntentResolver} states the rules).
 *
 * @param kind       {@code created} (PUT, POST, copy, complete), {@code removed} (DELETE, each key of a
 *                   DeleteObjects) or {@code tagged} (Put/DeleteObjectTagging)
 * @param eventName  the event a confirmed write sends ({@code s3:ObjectCreated:Put}, ...; for a removal
 *                   {@code s3:ObjectRemoved:Delete}, turned into DeleteMarkerCreated when a marker is found)
 * @param bucketCreated the bucket's creation time (epoch millis): a bucket of the same name made later is not it
 * @param token      created: the write token the ball commits with ({@link #TOKEN_HEADER}); null when
 *                   unknown (an upload begun before its bucket had this store's tokens)
 * @param keys       removed by DeleteObjects: every key (and version id) about to be deleted; null otherwise
 * @param tags       tagged: the tag set being stored (empty for DeleteObjectTagging); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventIntent(String kind, String eventName, String bucket, long bucketCreated, String key, String versionId,
                          long startMillis, String principal, String sourceIp, String requestId, String token,
                          List<Item> keys, Map<String, String> tags) {

    /**
     * The internal stored header (never answered to clients) carrying the write token of a ball whose
     * creation had an intent: the resolver recognizes the very ball its intent was for by it.
     */
    public static final String TOKEN_HEADER = "x-mx-event-token";

    /** One key of a DeleteObjects intent. */
    public record Item(String key, String versionId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** A single-key intent without token, keys or tags. */
    public EventIntent(String kind, String eventName, String bucket, long bucketCreated, String key, String versionId,
                       long startMillis, String principal, String sourceIp, String requestId) {
        this(kind, eventName, bucket, bucketCreated, key, versionId, startMillis, principal, sourceIp, requestId, null, null,
                null);
    }

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

package org.mictlanx.s3.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.DeleteResult;

/**
 * One request's part in event notifications, from {@link EventRecorder#begin} to {@link #recorded}:
 * the pending {@link EventIntent}s written before its commit (by the pipeline for a single-key write,
 * by the handler through {@link #deleting} or {@link #tagging} once it knows the keys or the tag set),
 * the write token its created ball commits with ({@link #storedHeaders}), and the keys a
 * DeleteObjects removed ({@link #deleted}, quiet mode included). {@link #recorded} queues the events
 * and removes the intents in one metadata write; {@link #refused} removes the intents of a refused
 * request. One request, one thread: not thread-safe.
 */
public final class EventScope {

    /** No events: no recorder, or an operation that causes none. */
    public static final EventScope NONE = new EventScope(null, null, null, null, null, null);

    private final EventRecorder recorder;
    private final S3Operation op;
    private final BucketInfo bucket;
    private final EventRecorder.Origin origin;
    /** The created event (Put, Post, Copy, CompleteMultipartUpload), or null for other operations. */
    private final String createdEvent;
    /** The write token the created ball (or the upload being created) commits with; null: none. */
    private final String token;
    private final List<String> pending = new ArrayList<>();
    private final List<DeleteResult.Deleted> deleted = new ArrayList<>();

    EventScope(EventRecorder recorder, S3Operation op, BucketInfo bucket, EventRecorder.Origin origin, String createdEvent,
               String token) {
        this.recorder = recorder;
        this.op = op;
        this.bucket = bucket;
        this.origin = origin;
        this.createdEvent = createdEvent;
        this.token = token;
    }

    S3Operation operation() {
        return op;
    }

    BucketInfo bucket() {
        return bucket;
    }

    EventRecorder.Origin origin() {
        return origin;
    }

    String createdEvent() {
        return createdEvent;
    }

    List<DeleteResult.Deleted> deletedKeys() {
        return deleted;
    }

    /** Adds the key of a pending intent this request wrote. */
    void pending(String sortKey) {
        if (sortKey != null) pending.add(sortKey);
    }

    /** The internal headers the ball (or upload) this request creates commits with: the write token, if any. */
    public Map<String, String> storedHeaders() {
        return token == null ? Map.of() : Map.of(EventIntent.TOKEN_HEADER, token);
    }

    /** {@code stored} plus {@link #storedHeaders}. */
    public Map<String, String> withStoredHeaders(Map<String, String> stored) {
        if (token == null) return stored;
        Map<String, String> out = new java.util.LinkedHashMap<>(stored);
        out.putAll(storedHeaders());
        return out;
    }

    /**
     * DeleteObjects, after the document was validated and before the first delete: writes the intent
     * naming every key (and version id) whose removal some rule of the bucket wants.
     */
    public void deleting(List<EventIntent.Item> keys) {
        if (recorder != null) pending(recorder.intendRemovals(this, keys));
    }

    /** DeleteObjects: {@code d} was deleted (reported in quiet mode too). */
    public void deleted(DeleteResult.Deleted d) {
        if (recorder != null) deleted.add(d);
    }

    /**
     * Put/DeleteObjectTagging, after the tag set was read and validated and before the change: writes
     * the intent naming the key, the version id asked for (null: the latest) and the tags being stored.
     */
    public void tagging(String key, String versionId, Map<String, String> tags) {
        if (recorder != null) pending(recorder.intendTagging(this, key, versionId, tags));
    }

    /**
     * The request answered {@code response}: queues its events (a 2xx answer) and removes its intents,
     * in one write. Throws when that write fails (the intents stay and are resolved later).
     */
    public void recorded(S3Response response) {
        if (recorder != null) recorder.commit(this, response, pending);
    }

    /** The request was refused before anything was committed (a 4xx): its intents go. Never throws. */
    public void refused() {
        if (recorder != null) recorder.settle(pending);
    }
}

package org.mictlanx.s3.notify;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.DeleteResult;

/**
 * Turns a successful write into events in the {@link EventOutbox}: the front door opens an
 * {@link EventScope} per request ({@link #begin}) and, after the operation committed and before the
 * answer is sent, {@link EventScope#recorded} queues the events, so an acknowledged write's events are
 * in the replicated metadata (if writing them fails the request fails with a 5xx and the client
 * retries; the object itself was committed, so its event may then come twice, never not at all).
 * Events: PutObject (ObjectCreated:Put), POST object (ObjectCreated:Post), CopyObject
 * (ObjectCreated:Copy), CompleteMultipartUpload, DeleteObject and DeleteObjects
 * (ObjectRemoved:Delete, or :DeleteMarkerCreated), Put/DeleteObjectTagging (ObjectTagging:Put/Delete);
 * lifecycle expirations come through {@link #expired}. A bucket without a configuration costs one
 * cached configuration lookup.
 *
 * <p>The crash window between a write's commit and its events: for every one of those writes whose
 * key a rule covers, a pending {@link EventIntent} is written (one quorum write) before the commit:
 * by {@link #begin} for PutObject, POST, CopyObject, CompleteMultipartUpload and DeleteObject, by the
 * handler through the scope for DeleteObjects (every key, once the document is validated) and the
 * tagging operations (with the tag set). The intent is removed in the same metadata write that queues
 * the events (or when the write is refused). An intent left behind by a router that died in between
 * is {@link #resolve resolved} by the sender later from what was committed ({@link IntentResolver}).
 * A created ball whose write had an intent commits with the intent's write token
 * ({@link EventIntent#TOKEN_HEADER}), and so does every upload created here, so the resolver reports
 * exactly the object its intent was for.
 */
public final class EventRecorder {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventRecorder.class);

    /** Who asked and from where (for userIdentity, sourceIPAddress and the request id). */
    public record Origin(String principal, String sourceIp, String requestId) {
    }

    private final BallStore store;
    private final NotificationConfigs configs;
    private final EventOutbox outbox;
    private final Clock clock;
    private final String region;
    private final SecureRandom random = new SecureRandom();

    /** @param store where {@link #resolve} reads what was committed */
    public EventRecorder(BallStore store, NotificationConfigs configs, EventOutbox outbox, Clock clock, String region) {
        this.store = store;
        this.configs = configs;
        this.outbox = outbox;
        this.clock = clock;
        this.region = region;
    }

    /**
     * Before {@code op} runs: the request's scope. For a single-key write whose events some rule of the
     * bucket wants, writes its pending intent first (a created ball's with a fresh write token).
     */
    public EventScope begin(S3Operation op, Optional<BucketInfo> bucket, Origin origin) {
        if (bucket.isEmpty()) return EventScope.NONE;
        BucketInfo b = bucket.get();
        return switch (op) {
            case S3Operation.PutObject o -> creating(op, b, "s3:ObjectCreated:Put", o.key(), origin);
            case S3Operation.CopyObject o -> creating(op, b, "s3:ObjectCreated:Copy", o.key(), origin);
            case S3Operation.CompleteMultipartUpload o -> completing(o, b, origin);
            case S3Operation.CreateMultipartUpload o -> new EventScope(this, op, b, origin, null, token());
            case S3Operation.DeleteObject o -> {
                EventScope scope = new EventScope(this, op, b, origin, null, null);
                if (wantsRemoval(b, o.key())) {
                    scope.pending(pend(new EventIntent("removed", "s3:ObjectRemoved:Delete", b.name(), b.created().toEpochMilli(),
                            o.key(), o.versionId(), clock.millis(), origin.principal(), origin.sourceIp(), origin.requestId())));
                }
                yield scope;
            }
            case S3Operation.DeleteObjects o -> new EventScope(this, op, b, origin, null, null);
            case S3Operation.PutObjectTagging o -> new EventScope(this, op, b, origin, null, null);
            case S3Operation.DeleteObjectTagging o -> new EventScope(this, op, b, origin, null, null);
            default -> EventScope.NONE;
        };
    }

    /** A POST object upload of {@code key}, once admitted: as {@link #begin} for a PutObject, event ObjectCreated:Post. */
    public EventScope beginPost(BucketInfo bucket, S3Operation.PutObject op, Origin origin) {
        return creating(op, bucket, "s3:ObjectCreated:Post", op.key(), origin);
    }

    private EventScope creating(S3Operation op, BucketInfo b, String event, String key, Origin origin) {
        if (!wants(b, event, key)) return new EventScope(this, op, b, origin, event, null);
        String token = token();
        EventScope scope = new EventScope(this, op, b, origin, event, token);
        scope.pending(pend(new EventIntent("created", event, b.name(), b.created().toEpochMilli(), key, null, clock.millis(),
                origin.principal(), origin.sourceIp(), origin.requestId(), token, null, null)));
        return scope;
    }

    /** The completed ball carries the token its upload was created with (none for an upload created before tokens). */
    private EventScope completing(S3Operation.CompleteMultipartUpload o, BucketInfo b, Origin origin) {
        String event = "s3:ObjectCreated:CompleteMultipartUpload";
        EventScope scope = new EventScope(this, o, b, origin, event, null);
        if (!wants(b, event, o.key())) return scope;
        Optional<org.mictlanx.router.UploadInfo> upload;
        try {
            upload = store.upload(b.name(), o.key(), o.uploadId());
        } catch (RuntimeException unreadable) { // a malformed id, ...: the completion fails the same way
            return scope;
        }
        if (upload.isEmpty()) return scope; // completed before, or none: no commit follows
        scope.pending(pend(new EventIntent("created", event, b.name(), b.created().toEpochMilli(), o.key(), null, clock.millis(),
                origin.principal(), origin.sourceIp(), origin.requestId(), upload.get().headers().get(EventIntent.TOKEN_HEADER),
                null, null)));
        return scope;
    }

    /** DeleteObjects: the intent naming the keys some rule wants removal events of; null when none. */
    String intendRemovals(EventScope scope, List<EventIntent.Item> keys) {
        BucketInfo b = scope.bucket();
        List<EventIntent.Item> wanted = keys.stream().filter(i -> wantsRemoval(b, i.key())).toList();
        if (wanted.isEmpty()) return null;
        Origin o = scope.origin();
        return pend(new EventIntent("removed", "s3:ObjectRemoved:Delete", b.name(), b.created().toEpochMilli(), wanted.get(0).key(),
                null, clock.millis(), o.principal(), o.sourceIp(), o.requestId(), null, wanted, null));
    }

    /** Put/DeleteObjectTagging: the intent naming the key, version and tag set; null when no rule wants the event. */
    String intendTagging(EventScope scope, String key, String versionId, Map<String, String> tags) {
        BucketInfo b = scope.bucket();
        String event = scope.operation() instanceof S3Operation.PutObjectTagging ? "s3:ObjectTagging:Put" : "s3:ObjectTagging:Delete";
        if (!wants(b, event, key)) return null;
        Origin o = scope.origin();
        return pend(new EventIntent("tagged", event, b.name(), b.created().toEpochMilli(), key, versionId, clock.millis(),
                o.principal(), o.sourceIp(), o.requestId(), null, null, Map.copyOf(tags)));
    }

    /** Queues the events of {@code response} (a 2xx answer) and removes {@code pending}, in one write. */
    void commit(EventScope scope, S3Response response, List<String> pending) {
        boolean done = response.status() / 100 == 2 || response.committed() != null; // POST's 303 redirect committed too
        List<EventOutbox.Ready> events = done ? events(scope, response) : List.of();
        outbox.commit(events, pending);
    }

    /** Removes intents of a refused request; an intent that could not be removed is resolved later. */
    void settle(List<String> pending) {
        if (pending.isEmpty()) return;
        try {
            outbox.commit(List.of(), pending);
        } catch (RuntimeException e) {
            LOG.info("notification intent not removed, resolved later: {}", e.toString());
        }
    }

    private List<EventOutbox.Ready> events(EventScope scope, S3Response response) {
        BucketInfo b = scope.bucket();
        Origin origin = scope.origin();
        List<EventOutbox.Ready> out = new ArrayList<>();
        if (scope.createdEvent() != null) {
            created(out, b, scope.createdEvent(), response.committed(), origin);
            return out;
        }
        switch (scope.operation()) {
            case S3Operation.DeleteObject o -> {
                boolean marker = "true".equals(header(response, "x-amz-delete-marker")) && o.versionId() == null;
                events(out, b, marker ? "s3:ObjectRemoved:DeleteMarkerCreated" : "s3:ObjectRemoved:Delete", o.key(), null, null,
                        header(response, "x-amz-version-id"), origin);
            }
            case S3Operation.DeleteObjects o -> {
                for (DeleteResult.Deleted d : scope.deletedKeys()) {
                    boolean marker = Boolean.TRUE.equals(d.deleteMarker()) && d.deleteMarkerVersionId() != null
                            && d.versionId() == null;
                    events(out, b, marker ? "s3:ObjectRemoved:DeleteMarkerCreated" : "s3:ObjectRemoved:Delete", d.key(),
                            null, null, marker ? d.deleteMarkerVersionId() : d.versionId(), origin);
                }
            }
            case S3Operation.PutObjectTagging o ->
                    events(out, b, "s3:ObjectTagging:Put", o.key(), null, null, header(response, "x-amz-version-id"), origin);
            case S3Operation.DeleteObjectTagging o ->
                    events(out, b, "s3:ObjectTagging:Delete", o.key(), null, null, header(response, "x-amz-version-id"), origin);
            default -> {
            }
        }
        return out;
    }

    /**
     * Resolves an intent its router left behind: queues the write's events when what is committed shows
     * it happened, nothing otherwise, and removes the intent in the same write ({@link IntentResolver}).
     * Throws (and keeps the intent for a later try) when the metadata cannot be read.
     */
    public void resolve(EventOutbox.Pending pending) {
        new IntentResolver(store, this).resolve(pending);
    }

    /** Queues {@code events} and removes the intent {@code pendingKey} in one write (the resolver). */
    void commitResolved(List<EventOutbox.Ready> events, String pendingKey) {
        outbox.commit(events, List.of(pendingKey));
    }

    /** The lifecycle worker expired {@code key} (a delete, or a delete marker added with {@code versionId}). */
    public void expired(BucketInfo bucket, String key, boolean deleteMarker, String versionId) {
        List<EventOutbox.Ready> out = new ArrayList<>();
        events(out, bucket, deleteMarker ? "s3:LifecycleExpiration:DeleteMarkerCreated" : "s3:LifecycleExpiration:Delete", key,
                null, null, versionId, new Origin("s3.amazonaws.com", "127.0.0.1", "lifecycle"));
        outbox.commit(out, List.of());
    }

    void created(List<EventOutbox.Ready> out, BucketInfo b, String event, BallInfo ball, Origin origin) {
        if (ball == null) return;
        events(out, b, event, ball.key(), ball.size(), ball.etag(), ball.versionId(), origin);
    }

    /** Adds the events of {@code event} on {@code key} for every target a rule of the bucket sends them to. */
    void events(List<EventOutbox.Ready> out, BucketInfo b, String event, String key, Long size, String etag, String versionId,
                Origin origin) {
        Optional<NotificationRules> rules = configs.recentRules(b);
        if (rules.isEmpty()) return;
        List<String> arns = rules.get().targets(event, key);
        if (arns.isEmpty()) return;
        String tag = etag == null ? null : etag.replace("\"", "");
        String version = versionId == null || versionId.equals("null") ? null : versionId;
        for (String arn : arns) {
            long seq = outbox.nextSequence();
            S3Event e = new S3Event(event, clock.instant(), region, origin.principal(), origin.sourceIp(), origin.requestId(),
                    rules.get().configurationId(arn, event, key), b.name(), b.owner(), key, size, tag, version, seq);
            out.add(new EventOutbox.Ready(seq, arn, e.toJson()));
        }
    }

    private boolean wants(BucketInfo b, String event, String key) {
        Optional<NotificationRules> rules = configs.recentRules(b);
        return rules.isPresent() && !rules.get().targets(event, key).isEmpty();
    }

    private boolean wantsRemoval(BucketInfo b, String key) {
        return wants(b, "s3:ObjectRemoved:Delete", key) || wants(b, "s3:ObjectRemoved:DeleteMarkerCreated", key);
    }

    private String pend(EventIntent intent) {
        return outbox.pend(intent.toJson());
    }

    private String token() {
        byte[] t = new byte[12];
        random.nextBytes(t);
        return HexFormat.of().formatHex(t);
    }

    private static String header(S3Response r, String name) {
        for (Map.Entry<String, String> h : r.headers()) {
            if (h.getKey().equalsIgnoreCase(name)) return h.getValue();
        }
        return null;
    }
}

package org.mictlanx.s3.notify;

import java.time.Clock;
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
 * Turns a successful write into events in the {@link EventOutbox}: called by the front door after
 * the operation committed and before the answer is sent, so an acknowledged write's events are in
 * the replicated metadata (if writing them fails the request fails with a 5xx and the client
 * retries; the object itself was committed, so its event may then come twice, never not at all).
 * Events: PutObject (ObjectCreated:Put), POST object (ObjectCreated:Post), CopyObject
 * (ObjectCreated:Copy), CompleteMultipartUpload, DeleteObject and DeleteObjects
 * (ObjectRemoved:Delete, or :DeleteMarkerCreated), Put/DeleteObjectTagging (ObjectTagging:Put/Delete);
 * lifecycle expirations come through {@link #expired}. A bucket without a configuration costs one
 * cached configuration lookup.
 *
 * <p>The crash window between a write's commit and its events: for PutObject, CopyObject,
 * CompleteMultipartUpload and DeleteObject whose key a rule covers, {@link #intend} first writes a
 * pending {@link EventIntent} (quorum), and {@link #settle} removes it once the events are queued (or
 * the write was refused). An intent left behind by a router that died in between is
 * {@link #resolve resolved} by the sender later from what was committed: the event is queued when the
 * write shows (latest ball written at or after the intent, or the key/version gone), dropped when not.
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

    /** @param store where {@link #resolve} reads what was committed */
    public EventRecorder(BallStore store, NotificationConfigs configs, EventOutbox outbox, Clock clock, String region) {
        this.store = store;
        this.configs = configs;
        this.outbox = outbox;
        this.clock = clock;
        this.region = region;
    }

    /** Records the events of {@code response} to {@code op} (a no-op for non-2xx answers and other operations). */
    public void recorded(S3Operation op, Optional<BucketInfo> bucket, S3Response response, Origin origin) {
        if (bucket.isEmpty() || response.status() / 100 != 2) return;
        BucketInfo b = bucket.get();
        switch (op) {
            case S3Operation.PutObject o -> created(b, "s3:ObjectCreated:Put", response.committed(), origin);
            case S3Operation.CopyObject o -> created(b, "s3:ObjectCreated:Copy", response.committed(), origin);
            case S3Operation.CompleteMultipartUpload o ->
                    created(b, "s3:ObjectCreated:CompleteMultipartUpload", response.committed(), origin);
            case S3Operation.DeleteObject o -> {
                boolean marker = "true".equals(header(response, "x-amz-delete-marker")) && o.versionId() == null;
                record(b, marker ? "s3:ObjectRemoved:DeleteMarkerCreated" : "s3:ObjectRemoved:Delete", o.key(), null, null,
                        header(response, "x-amz-version-id"), origin);
            }
            case S3Operation.DeleteObjects o -> {
                if (response.body() instanceof S3Response.Xml x && x.value() instanceof DeleteResult r && r.deleted() != null) {
                    for (DeleteResult.Deleted d : r.deleted()) {
                        boolean marker = Boolean.TRUE.equals(d.deleteMarker()) && d.deleteMarkerVersionId() != null
                                && d.versionId() == null;
                        record(b, marker ? "s3:ObjectRemoved:DeleteMarkerCreated" : "s3:ObjectRemoved:Delete", d.key(),
                                null, null, marker ? d.deleteMarkerVersionId() : d.versionId(), origin);
                    }
                }
            }
            case S3Operation.PutObjectTagging o ->
                    record(b, "s3:ObjectTagging:Put", o.key(), null, null, header(response, "x-amz-version-id"), origin);
            case S3Operation.DeleteObjectTagging o ->
                    record(b, "s3:ObjectTagging:Delete", o.key(), null, null, header(response, "x-amz-version-id"), origin);
            default -> {
            }
        }
    }

    /**
     * Before {@code op} runs: writes a pending intent when {@code op} is a single-key write whose events
     * some rule of the bucket wants; returns its key for {@link #settle}, or null when none was needed.
     */
    public String intend(S3Operation op, Optional<BucketInfo> bucket, Origin origin) {
        if (bucket.isEmpty()) return null;
        String kind;
        String event;
        String key;
        String versionId = null;
        switch (op) {
            case S3Operation.PutObject o -> {
                kind = "created";
                event = "s3:ObjectCreated:Put";
                key = o.key();
            }
            case S3Operation.CopyObject o -> {
                kind = "created";
                event = "s3:ObjectCreated:Copy";
                key = o.key();
            }
            case S3Operation.CompleteMultipartUpload o -> {
                kind = "created";
                event = "s3:ObjectCreated:CompleteMultipartUpload";
                key = o.key();
            }
            case S3Operation.DeleteObject o -> {
                kind = "removed";
                event = "s3:ObjectRemoved:Delete";
                key = o.key();
                versionId = o.versionId();
            }
            default -> {
                return null;
            }
        }
        Optional<NotificationRules> rules = configs.recentRules(bucket.get());
        if (rules.isEmpty() || rules.get().targets(event, key).isEmpty()
                && (!kind.equals("removed") || rules.get().targets("s3:ObjectRemoved:DeleteMarkerCreated", key).isEmpty())) {
            return null;
        }
        BucketInfo b = bucket.get();
        return outbox.pend(new EventIntent(kind, event, b.name(), b.created().toEpochMilli(), key, versionId,
                clock.millis(), origin.principal(), origin.sourceIp(), origin.requestId()).toJson());
    }

    /**
     * The events of an {@link #intend intended} write are queued, or it was refused: the intent goes.
     * Never throws: an intent that could not be removed is resolved later (its event may then come twice).
     */
    public void settle(String pendingKey) {
        if (pendingKey == null) return;
        try {
            outbox.settle(pendingKey);
        } catch (RuntimeException e) {
            LOG.info("notification intent not removed, resolved later: {}", e.toString());
        }
    }

    /**
     * Resolves an intent its router left behind: queues the write's events when what is committed shows
     * it happened, nothing otherwise (the write failed or never reached its commit), then removes the
     * intent. Throws (and keeps the intent for a later try) when the metadata cannot be read.
     */
    public void resolve(EventOutbox.Pending pending) {
        EventIntent i;
        try {
            i = EventIntent.of(pending.intent());
        } catch (RuntimeException unreadable) {
            outbox.settle(pending.sortKey());
            return;
        }
        Optional<BucketInfo> bucket = store.bucket(i.bucket()).filter(b -> b.created().toEpochMilli() == i.bucketCreated());
        if (bucket.isPresent()) {
            Origin origin = new Origin(i.principal(), i.sourceIp(), i.requestId());
            long since = i.startMillis() - 1000; // lastModified has second precision in places; one router's clock
            if (i.kind().equals("created")) {
                store.headBall(bucket.get(), i.key()).filter(ball -> ball.lastModified().toEpochMilli() >= since)
                        .ifPresent(ball -> created(bucket.get(), i.eventName(), ball, origin));
            } else if (i.versionId() != null) {
                if (store.headBallVersion(bucket.get(), i.key(), i.versionId()).isEmpty()) {
                    record(bucket.get(), i.eventName(), i.key(), null, null, i.versionId(), origin);
                }
            } else if (store.headBall(bucket.get(), i.key()).isEmpty()) {
                Optional<BallInfo> marker = store.newestVersion(i.bucket(), i.key())
                        .filter(v -> v.deleteMarker() && v.lastModified().toEpochMilli() >= since);
                record(bucket.get(), marker.isPresent() ? "s3:ObjectRemoved:DeleteMarkerCreated" : i.eventName(), i.key(),
                        null, null, marker.map(BallInfo::versionId).orElse(null), origin);
            }
        }
        outbox.settle(pending.sortKey());
    }

    /** A POST object upload committed {@code ball}. */
    public void posted(BucketInfo bucket, BallInfo ball, Origin origin) {
        created(bucket, "s3:ObjectCreated:Post", ball, origin);
    }

    /** The lifecycle worker expired {@code key} (a delete, or a delete marker added with {@code versionId}). */
    public void expired(BucketInfo bucket, String key, boolean deleteMarker, String versionId) {
        record(bucket, deleteMarker ? "s3:LifecycleExpiration:DeleteMarkerCreated" : "s3:LifecycleExpiration:Delete", key,
                null, null, versionId, new Origin("s3.amazonaws.com", "127.0.0.1", "lifecycle"));
    }

    private void created(BucketInfo b, String event, BallInfo ball, Origin origin) {
        if (ball == null) return;
        record(b, event, ball.key(), ball.size(), ball.etag(), ball.versionId(), origin);
    }

    private void record(BucketInfo b, String event, String key, Long size, String etag, String versionId, Origin origin) {
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
            outbox.append(seq, arn, e.toJson());
        }
    }

    private static String header(S3Response r, String name) {
        for (Map.Entry<String, String> h : r.headers()) {
            if (h.getKey().equalsIgnoreCase(name)) return h.getValue();
        }
        return null;
    }
}

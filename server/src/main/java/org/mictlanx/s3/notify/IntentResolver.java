package org.mictlanx.s3.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;

/**
 * Resolves a pending {@link EventIntent} its router left behind (it died between a write's commit and
 * its queued events): decides from what is committed whether the write happened, queues its events
 * if so, and removes the intent in the same metadata write. The rules:
 * <ul>
 *   <li>{@code created} with a write token: the ball committed with that token
 *       ({@link EventIntent#TOKEN_HEADER}): the key's latest ball, or in a bucket that keeps versions
 *       one of the key's versions written since the intent (up to {@value #MAX_VERSIONS} looked at).
 *       The event describes that very ball (its size, ETag and version id). No such ball: nothing
 *       (the write never committed, or in an unversioned bucket a later write already replaced it,
 *       whose own event describes what is there now).</li>
 *   <li>{@code created} without a token (an upload created before this store kept tokens): the
 *       key's latest ball when it was written at or after the intent (1 s of clock leeway).</li>
 *   <li>{@code removed}, for the key of a DeleteObject and each key of a DeleteObjects: with a version
 *       id, that version is gone; without, the key has no current ball: ObjectRemoved:Delete, or
 *       DeleteMarkerCreated with the marker's version id when the newest version is a delete marker
 *       written since the intent.</li>
 *   <li>{@code tagged}: the addressed ball (the latest, or the version asked for) exists and carries
 *       exactly the tag set the intent names: ObjectTagging:Put or :Delete with its version id.</li>
 * </ul>
 * The events keep the intent's principal, source address and request id. An intent of a bucket
 * deleted since (or re-created: another creation time) is dropped.
 */
final class IntentResolver {

    /** Most versions of the key looked at for a created ball's token. */
    static final int MAX_VERSIONS = 1000;

    private final BallStore store;
    private final EventRecorder recorder;

    IntentResolver(BallStore store, EventRecorder recorder) {
        this.store = store;
        this.recorder = recorder;
    }

    void resolve(EventOutbox.Pending pending) {
        EventIntent i;
        try {
            i = EventIntent.of(pending.intent());
        } catch (RuntimeException unreadable) {
            recorder.commitResolved(List.of(), pending.sortKey());
            return;
        }
        List<EventOutbox.Ready> out = new ArrayList<>();
        Optional<BucketInfo> bucket = store.bucket(i.bucket()).filter(b -> b.created().toEpochMilli() == i.bucketCreated());
        if (bucket.isPresent()) {
            EventRecorder.Origin origin = new EventRecorder.Origin(i.principal(), i.sourceIp(), i.requestId());
            long since = i.startMillis() - 1000; // lastModified has second precision in places; one router's clock
            switch (i.kind()) {
                case "created" -> created(i, bucket.get(), since).ifPresent(ball -> recorder.created(out, bucket.get(),
                        i.eventName(), ball, origin));
                case "removed" -> {
                    List<EventIntent.Item> keys = i.keys() != null ? i.keys() : List.of(new EventIntent.Item(i.key(), i.versionId()));
                    for (EventIntent.Item k : keys) removed(out, bucket.get(), i.eventName(), k, since, origin);
                }
                case "tagged" -> tagged(i).ifPresent(ball -> recorder.events(out, bucket.get(), i.eventName(), i.key(), null, null,
                        ball.versionId(), origin));
                default -> {
                }
            }
        }
        recorder.commitResolved(out, pending.sortKey());
    }

    private Optional<BallInfo> created(EventIntent i, BucketInfo bucket, long since) {
        Optional<BallInfo> latest = store.headBall(i.bucket(), i.key());
        if (i.token() == null) return latest.filter(ball -> ball.lastModified().toEpochMilli() >= since);
        if (latest.filter(ball -> carries(ball, i.token())).isPresent()) return latest;
        if (bucket.versioning() == null || bucket.versioning() == org.mictlanx.router.VersioningState.OFF) return Optional.empty();
        String after = null;
        int seen = 0;
        while (seen < MAX_VERSIONS) {
            BallStore.VersionPage page = store.listBallVersions(i.bucket(), i.key(), after, 100);
            for (BallStore.VersionEntry e : page.entries()) {
                seen++;
                BallInfo v = e.ball();
                if (!v.key().equals(i.key()) || v.lastModified().toEpochMilli() < since) return Optional.empty();
                if (carries(v, i.token())) return Optional.of(v);
                after = e.position();
            }
            if (!page.more() || page.entries().isEmpty()) return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean carries(BallInfo ball, String token) {
        return token.equals(ball.headers().get(EventIntent.TOKEN_HEADER));
    }

    private void removed(List<EventOutbox.Ready> out, BucketInfo bucket, String eventName, EventIntent.Item k, long since,
                         EventRecorder.Origin origin) {
        if (k.versionId() != null) {
            if (store.headBallVersion(bucket.name(), k.key(), k.versionId()).isEmpty()) {
                recorder.events(out, bucket, eventName, k.key(), null, null, k.versionId(), origin);
            }
        } else if (store.headBall(bucket.name(), k.key()).isEmpty()) {
            Optional<BallInfo> marker = store.newestVersion(bucket.name(), k.key())
                    .filter(v -> v.deleteMarker() && v.lastModified().toEpochMilli() >= since);
            recorder.events(out, bucket, marker.isPresent() ? "s3:ObjectRemoved:DeleteMarkerCreated" : eventName, k.key(),
                    null, null, marker.map(BallInfo::versionId).orElse(null), origin);
        }
    }

    private Optional<BallInfo> tagged(EventIntent i) {
        Optional<BallInfo> ball = i.versionId() == null ? store.headBall(i.bucket(), i.key())
                : store.headBallVersion(i.bucket(), i.key(), i.versionId());
        Map<String, String> wanted = i.tags() == null ? Map.of() : i.tags();
        return ball.filter(b -> !b.deleteMarker() && b.tags().equals(wanted));
    }
}

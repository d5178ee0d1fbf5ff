package org.mictlanx.s3.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallPage;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.UploadInfo;
import org.mictlanx.router.UploadPage;
import org.mictlanx.router.lock.LockState;
import org.mictlanx.router.maint.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out lifecycle rules. One worker runs per router, but only the holder of the cluster lease
 * ({@link Lease}, kept in the replicated metadata) scans, so one router at a time does the work; when
 * it dies its lease expires and another router's worker takes over at its next tick.
 *
 * <p>A pass walks every bucket with rules, in name order, in up to three phases, each a paged scan
 * of {@value #PAGE} entries (memory is bounded by one page whatever the bucket's size):
 * <ol>
 *   <li>current balls (Expiration Days/Date): a covered ball whose expiry has come is deleted
 *       (unversioned bucket: its chunks are then freed by GC) or gets a delete marker (versioned
 *       bucket), as DeleteObject would, but only if it is still the ball listed: the store checks
 *       that under the key's guard ({@link BallStore#deleteBallIfCurrent}), so a write landing
 *       after the listing is never expired or undone;</li>
 *   <li>versions (versioned buckets; NoncurrentVersionExpiration, ExpiredObjectDeleteMarker, and
 *       Expiration Days/Date for old delete markers): a noncurrent version noncurrent for
 *       NoncurrentDays (counted from its successor's creation) with at least NewerNoncurrentVersions
 *       newer noncurrent versions is removed; a latest delete marker that is the key's only version
 *       (an expired object delete marker) is removed by an ExpiredObjectDeleteMarker rule, or by a
 *       Days/Date rule once it is old enough;</li>
 *   <li>uploads (AbortIncompleteMultipartUpload): an upload older than DaysAfterInitiation is aborted.</li>
 * </ol>
 * A version under retention or legal hold is never removed (checked here and again by the store
 * under the key's guard). After every page the position ({@link LifecycleCursor}) is stored in the
 * replicated metadata, so a stopped worker, or the router taking over, continues where it stopped;
 * an entry handled before the stop is gone or changed, so it is not expired twice. Actions and page
 * reads are paced by {@code actionsPerSecond}. Days last {@code dayMillis} (a real day unless the
 * {@code lifecycle-seconds-per-day} test setting shortens them) and are rounded up to the next day
 * boundary, as S3 rounds to the next midnight UTC.
 */
public final class LifecycleWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleWorker.class);

    /** A real day. */
    public static final long DAY_MILLIS = 86_400_000L;
    /** The service partition of the worker's state. */
    public static final String PARTITION = "s3.lifecycle";
    /** The lease's name. */
    public static final String LEASE = "lifecycle";
    static final String CURSOR = "cursor";
    static final int PAGE = 100;

    /** The cluster lease the worker needs to scan (see {@code ClusterLease}). */
    public interface Lease {
        /** Takes or renews the lease; whether it is now held. */
        boolean acquire();

        /** Milliseconds the lease is still held for (0: not held). */
        long heldFor();

        /** Gives it up. */
        void release();
    }

    /**
     * @param scanInterval     pause between passes (and between attempts to take the lease)
     * @param dayMillis        how long a lifecycle day is
     * @param actionsPerSecond pace of expirations, aborts and page reads
     * @param leaseDuration    how long a lease lasts unless renewed (renewed at half of it)
     */
    public record Settings(Duration scanInterval, long dayMillis, int actionsPerSecond, Duration leaseDuration) {
        public Settings {
            if (dayMillis < 1 || actionsPerSecond < 1 || scanInterval.isNegative() || leaseDuration.toMillis() < 2) {
                throw new IllegalArgumentException("invalid lifecycle settings");
            }
        }
    }

    /** Told of every expiration (for s3:LifecycleExpiration:* event notifications). */
    public interface Expirations {
        /** None. */
        Expirations NONE = (bucket, key, deleteMarkerCreated, versionId) -> { };

        /** {@code key} was expired: a version removed ({@code versionId}, null: unversioned) or a delete marker added. */
        void expired(BucketInfo bucket, String key, boolean deleteMarkerCreated, String versionId);
    }

    /** Progress, readable at any time. {@code position}: where the current (or next) pass stands. */
    public record Stats(long passes, boolean running, boolean leaseHeld, long bucketsScanned, long ballsScanned,
                        long versionsScanned, long uploadsScanned, long expired, long deleteMarkersAdded,
                        long noncurrentExpired, long deleteMarkersRemoved, long uploadsAborted, long lockedKept,
                        long errors, String position) {
    }

    /** Thrown inside a pass when the lease could not be renewed: the pass stops, its cursor is kept. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("lifecycle lease lost", null, false, false);
        }
    }

    private final BallStore store;
    private final Expirations expirations;
    private final LifecycleConfigs configs;
    private final Lease lease;
    private final Settings settings;
    private final Clock clock;
    private final RateLimiter pace;
    private final ScheduledExecutorService timer;
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong buckets = new AtomicLong();
    private final AtomicLong balls = new AtomicLong();
    private final AtomicLong versions = new AtomicLong();
    private final AtomicLong uploads = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong markersAdded = new AtomicLong();
    private final AtomicLong noncurrentExpired = new AtomicLong();
    private final AtomicLong markersRemoved = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicLong lockedKept = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean running;
    private volatile boolean closed;
    private volatile String position = "";

    public LifecycleWorker(BallStore store, LifecycleConfigs configs, Lease lease, Settings settings, Clock clock) {
        this(store, configs, lease, settings, clock, Expirations.NONE);
    }

    /** As the five-argument form; {@code expirations} is told of each expiration after it happened. */
    public LifecycleWorker(BallStore store, LifecycleConfigs configs, Lease lease, Settings settings, Clock clock,
                           Expirations expirations) {
        this.expirations = expirations;
        this.store = store;
        this.configs = configs;
        this.lease = lease;
        this.settings = settings;
        this.clock = clock;
        this.pace = new RateLimiter(settings.actionsPerSecond());
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("lifecycle").factory());
    }

    /** Starts ticking every {@code scanInterval}; returns this. */
    public LifecycleWorker start() {
        long every = Math.max(1, settings.scanInterval().toMillis());
        timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            LOG.warn("lifecycle pass failed (continues from its cursor next time): {}", e.toString());
        }
    }

    /**
     * Takes (or renews) the lease and, if held, runs the rest of the current pass from its stored
     * cursor. Returns whether a pass was completed; false when another router holds the lease, or the
     * lease was lost mid-pass (the cursor keeps the position).
     */
    public synchronized boolean runOnce() {
        if (closed || !lease.acquire()) return false;
        running = true;
        try {
            LifecycleCursor c = loadCursor().orElse(LifecycleCursor.start(clock.millis()));
            for (BucketInfo b : store.listBuckets()) {
                if (c.bucket() != null && b.name().compareTo(c.bucket()) < 0) continue;
                if (c.bucket() == null || !b.name().equals(c.bucket())) c = c.atBucket(b.name());
                c = bucket(b, c);
                buckets.incrementAndGet();
            }
            saveCursor(LifecycleCursor.start(clock.millis()));
            passes.incrementAndGet();
            return true;
        } catch (LeaseLost e) {
            return false;
        } finally {
            running = false;
        }
    }

    /** Progress so far. */
    public Stats stats() {
        return new Stats(passes.get(), running, lease.heldFor() > 0, buckets.get(), balls.get(), versions.get(), uploads.get(),
                expired.get(), markersAdded.get(), noncurrentExpired.get(), markersRemoved.get(), aborted.get(),
                lockedKept.get(), errors.get(), position);
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lease.release();
    }

    // ---- one bucket ----

    private LifecycleCursor bucket(BucketInfo b, LifecycleCursor c) {
        Optional<LifecycleRules> found;
        try {
            found = configs.rules(b);
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            return c;
        }
        if (found.isEmpty()) return c;
        LifecycleRules rules = found.get();
        try {
            if (c.phase() == LifecycleCursor.Phase.CURRENT) {
                if (rules.expiresCurrent()) c = currentPhase(b, rules, c);
                c = c.atPhase(LifecycleCursor.Phase.VERSIONS);
            }
            if (c.phase() == LifecycleCursor.Phase.VERSIONS) {
                // Days/Date rules also remove expired object delete markers old enough, as S3 does
                boolean versionWork = rules.expiresVersions() || rules.expiresCurrent();
                if (versionWork && b.versioning().versioned()) c = versionPhase(b, rules, c);
                c = c.atPhase(LifecycleCursor.Phase.UPLOADS);
            }
            if (rules.abortsUploads()) c = uploadPhase(b, rules, c);
        } catch (RouterException e) {
            if (e.kind() != RouterException.Kind.NO_SUCH_BUCKET) throw e;
        }
        return c;
    }

    private LifecycleCursor currentPhase(BucketInfo b, LifecycleRules rules, LifecycleCursor c) {
        while (true) {
            checkLease();
            pace.acquire(1);
            BallPage page = store.listBalls(b, null, c.marker(), PAGE);
            for (BallInfo ball : page.balls()) {
                balls.incrementAndGet();
                Optional<LifecycleRules.Expiry> e = rules.currentExpiry(ball.key(), ball.tags(), ball.size(),
                        ball.lastModified(), settings.dayMillis());
                if (e.isPresent() && !clock.instant().isBefore(e.get().at())) expireCurrent(b, ball);
            }
            if (page.balls().isEmpty()) return c;
            c = c.after(page.balls().getLast().key(), null);
            saveCursor(c);
            if (!page.truncated()) return c;
        }
    }

    /**
     * Expires {@code ball} as listed, only if it is still the key's current ball: the store re-reads it
     * under the key's guard and leaves it alone when it changed since the listing (rewritten,
     * re-tagged, deleted); a write committing after that check is never undone
     * ({@link BallStore#deleteBallIfCurrent}). A changed ball is judged again by the next pass.
     */
    private void expireCurrent(BucketInfo b, BallInfo ball) {
        checkLease();
        pace.acquire(1);
        Optional<BallStore.DeletedVersion> d;
        try {
            d = store.deleteBallIfCurrent(b.name(), ball.key(), ball);
        } catch (RouterException e) {
            if (e.kind() != RouterException.Kind.CONFLICT) throw e;
            return; // a conditional writer holds the key: the next pass decides
        }
        if (d.isEmpty()) return;
        expired.incrementAndGet();
        if (d.get().deleteMarker()) markersAdded.incrementAndGet();
        expirations.expired(b, ball.key(), d.get().deleteMarker(), d.get().versionId());
    }

    private LifecycleCursor versionPhase(BucketInfo b, LifecycleRules rules, LifecycleCursor c) {
        while (true) {
            checkLease();
            pace.acquire(1);
            BallStore.VersionPage page = store.listBallVersions(b, null, c.marker(), PAGE);
            List<BallStore.VersionEntry> entries = page.entries();
            for (int i = 0; i < entries.size(); i++) {
                BallStore.VersionEntry entry = entries.get(i);
                BallInfo v = entry.ball();
                versions.incrementAndGet();
                if (!v.key().equals(c.versionKey())) c = c.withKeyState(v.key(), 0, 0);
                if (entry.latest()) {
                    if (v.deleteMarker() && removesMarker(rules, v) && soleVersion(b, entries, i)) removeVersion(b, v, true);
                } else {
                    if (noncurrentDue(rules, v, c)) removeVersion(b, v, false);
                    if (!v.deleteMarker()) c = c.withKeyState(v.key(), c.successorMillis(), c.newerNoncurrent() + 1);
                }
                c = c.withKeyState(v.key(), v.lastModified().toEpochMilli(), c.newerNoncurrent());
            }
            if (entries.isEmpty()) return c;
            c = c.after(entries.getLast().position(), null);
            saveCursor(c);
            if (!page.more()) return c;
        }
    }

    /**
     * Whether a rule removes {@code marker} once it is an expired object delete marker (its key's only
     * version): an ExpiredObjectDeleteMarker rule at once; an Expiration Days rule once the marker is
     * that many days old, a Date rule once the date has passed (S3 cleans expired delete markers up
     * for both when they are old enough). Markers have no tags and size 0.
     */
    private boolean removesMarker(LifecycleRules rules, BallInfo marker) {
        Instant now = clock.instant();
        for (LifecycleRules.Rule r : rules.rules()) {
            if (!r.enabled() || !r.filter().matches(marker.key(), java.util.Map.of(), 0)) continue;
            if (r.expiredObjectDeleteMarker()) return true;
            if (r.expirationDays() != null
                    && !now.isBefore(LifecycleRules.due(marker.lastModified(), r.expirationDays(), settings.dayMillis()))) {
                return true;
            }
            if (r.expirationDate() != null && !now.isBefore(r.expirationDate())) return true;
        }
        return false;
    }

    /** Whether entry {@code i} (a latest delete marker) is its key's only version. */
    private boolean soleVersion(BucketInfo b, List<BallStore.VersionEntry> entries, int i) {
        String key = entries.get(i).ball().key();
        if (i + 1 < entries.size()) return !entries.get(i + 1).ball().key().equals(key);
        List<BallStore.VersionEntry> next = store.listBallVersions(b, null, entries.get(i).position(), 1).entries();
        return next.isEmpty() || !next.getFirst().ball().key().equals(key);
    }

    private boolean noncurrentDue(LifecycleRules rules, BallInfo v, LifecycleCursor c) {
        if (c.successorMillis() == 0) return false; // no newer version seen (should not happen): keep
        Instant now = clock.instant();
        for (LifecycleRules.Rule r : rules.rules()) {
            if (!r.enabled() || r.noncurrentDays() == null || !r.filter().matches(v.key(), v.tags(), v.size())) continue;
            if (r.newerNoncurrentVersions() != null && c.newerNoncurrent() < r.newerNoncurrentVersions()) continue;
            if (!now.isBefore(LifecycleRules.due(Instant.ofEpochMilli(c.successorMillis()), r.noncurrentDays(), settings.dayMillis()))) {
                return true;
            }
        }
        return false;
    }

    private void removeVersion(BucketInfo b, BallInfo v, boolean marker) {
        checkLease();
        if (!marker && LockState.of(v.headers()).blocksDelete(clock.instant(), false)) {
            lockedKept.incrementAndGet();
            return;
        }
        pace.acquire(1);
        try {
            if (store.expireBallVersion(b.name(), v.key(), v.versionId()).isEmpty()) return;
        } catch (RouterException e) {
            if (e.kind() == RouterException.Kind.LOCKED) {
                lockedKept.incrementAndGet();
                return;
            }
            throw e;
        }
        if (marker) markersRemoved.incrementAndGet();
        else noncurrentExpired.incrementAndGet();
        if (!marker) expirations.expired(b, v.key(), false, v.versionId());
    }

    private LifecycleCursor uploadPhase(BucketInfo b, LifecycleRules rules, LifecycleCursor c) {
        while (true) {
            checkLease();
            pace.acquire(1);
            UploadPage page = store.listUploads(b.name(), null, c.marker(), c.uploadIdMarker(), PAGE);
            for (UploadInfo u : page.uploads()) {
                uploads.incrementAndGet();
                if (abortDue(rules, u)) abort(b, u);
            }
            if (page.uploads().isEmpty()) return c;
            UploadInfo last = page.uploads().getLast();
            c = c.after(last.key(), last.uploadId());
            saveCursor(c);
            if (!page.truncated()) return c;
        }
    }

    private boolean abortDue(LifecycleRules rules, UploadInfo u) {
        Instant now = clock.instant();
        return rules.rules().stream().anyMatch(r -> r.abortsUploads() && r.filter().matches(u.key(), java.util.Map.of(), 0)
                && !now.isBefore(LifecycleRules.due(u.initiated(), r.abortDaysAfterInitiation(), settings.dayMillis())));
    }

    private void abort(BucketInfo b, UploadInfo u) {
        checkLease();
        pace.acquire(1);
        try {
            store.abortUpload(b.name(), u.key(), u.uploadId());
            aborted.incrementAndGet();
        } catch (RouterException e) {
            if (e.kind() != RouterException.Kind.NO_SUCH_UPLOAD) throw e;
        }
    }

    // ---- lease and cursor ----

    /** Renews the lease when half of it has passed; throws LeaseLost when it is no longer held. */
    private void checkLease() {
        if (closed) throw new LeaseLost();
        long left = lease.heldFor();
        if (left > settings.leaseDuration().toMillis() / 2) return;
        if (!lease.acquire()) throw new LeaseLost();
    }

    private Optional<LifecycleCursor> loadCursor() {
        return store.metaTable().get(PARTITION, CURSOR).flatMap(LifecycleCursor::decode);
    }

    private void saveCursor(LifecycleCursor c) {
        checkLease();
        store.metaTable().put(PARTITION, CURSOR, c.encode());
        position = c.describe();
    }
}

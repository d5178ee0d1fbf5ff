package org.mictlanx.router.io;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.VersioningState;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.KeyGuard;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.VersionIds;
import org.mictlanx.router.lock.LockState;

/**
 * The versioned half of the metadata: history records ({@link VersionIds}) next to each key's
 * "latest" record. Every mutation of a key in a versioned bucket (commit, delete marker, permanent
 * delete) runs under the key's {@link KeyGuard}, so the history and the latest record change together
 * and the latest record always copies the newest history record (or is a tombstone when that is a
 * delete marker or there is none). Commits in unversioned buckets never come here.
 *
 * <p>Order of a versioned commit: history record of the replaced unversioned ball (it becomes version
 * {@code null}) and of the new version, each with its {@code v} references, written with quorum; then
 * the latest record. A history record is durable before the latest record names it, so a version is
 * never lost; a refused latest write tombstones the new history record again.
 */
public final class VersionService {

    /** A history record written before the latest record, and the balls it replaced (to release after). */
    record Prepared(BallRecord ball, String sortKey, long version, List<Replaced> replaced) {
    }

    /** A replaced history entry: its sort key (null for an unversioned latest record) and ball. */
    record Replaced(String sortKey, BallRecord ball) {
    }

    /** The outcome of a DeleteObject in a versioned bucket. */
    public record Deleted(String versionId, boolean deleteMarker) {
    }

    private final java.util.concurrent.ExecutorService executor;
    private final org.mictlanx.router.RouterConfig config;
    private final ReplicatedTable table;
    private final References refs;
    private final KeyGuard guard;
    private final Clock clock;
    private final org.mictlanx.router.usage.UsageLedger usage;
    private final SecureRandom random = new SecureRandom();

    /** {@code usage}: told of every version a delete or a replacing commit removes. */
    public VersionService(java.util.concurrent.ExecutorService executor, org.mictlanx.router.RouterConfig config,
                          ReplicatedTable table, References refs, KeyGuard guard, Clock clock,
                          org.mictlanx.router.usage.UsageLedger usage) {
        this.usage = usage;
        this.executor = executor;
        this.config = config;
        this.table = table;
        this.refs = refs;
        this.guard = guard;
        this.clock = clock;
    }

    /**
     * Under the key's guard, with {@code old} the latest record read under it: writes the history
     * records for a commit of {@code ball} at {@code version} (quorum). ENABLED gives a new id;
     * SUSPENDED gives id {@code null} and replaces the previous null version.
     */
    Prepared prepare(String bucket, String key, Optional<MetaRecord> old, BallRecord ball, long version,
                     BucketInfo target) {
        VersioningState mode = target.versioning();
        if (!ball.deleteMarker() && target.objectLock().hasDefault()) {
            ball = ball.withHeaders(LockState.withDefault(ball.headers(), target.objectLock(), clock.instant()));
        }
        String part = VersionIds.partition(bucket);
        List<Replaced> replaced = new ArrayList<>();
        List<MetaRecord> writes = new ArrayList<>();
        BallRecord oldBall = old.filter(r -> !r.tombstone()).map(r -> BallRecord.decode(r.value())).orElse(null);
        boolean legacyOld = oldBall != null && oldBall.versionId() == null;
        if (legacyOld && mode == VersioningState.SUSPENDED) {
            replaced.add(new Replaced(null, oldBall));
        } else if (legacyOld) {
            long stamp = old.get().version();
            BallRecord asNull = oldBall.asVersion(VersionIds.NULL, stamp);
            String sk = VersionIds.sortKey(key, VersionIds.NULL, stamp);
            indexNull(bucket, key, sk);
            refs.write(refs.forVersion(bucket, key, sk, asNull));
            writes.add(new MetaRecord(part, sk, stamp, false, asNull.encode()));
        }
        if (mode == VersioningState.SUSPENDED && !legacyOld) {
            findNull(bucket, key).ifPresent(r -> {
                writes.add(MetaRecord.tombstone(part, r.sortKey(), table.nextVersion()));
                replaced.add(new Replaced(r.sortKey(), BallRecord.decode(r.value())));
            });
        }
        String id = mode == VersioningState.ENABLED ? VersionIds.newId(version, random) : VersionIds.NULL;
        BallRecord mine = ball.asVersion(id, version);
        String sk = VersionIds.sortKey(key, id, version);
        if (VersionIds.NULL.equals(id)) indexNull(bucket, key, sk);
        refs.write(refs.forVersion(bucket, key, sk, mine));
        writes.add(new MetaRecord(part, sk, version, false, mine.encode()));
        table.write(part, writes);
        return new Prepared(mine, sk, version, replaced);
    }

    /** After a refused latest write: the new history record is tombstoned again (best effort). */
    void undo(String bucket, Prepared p) {
        try {
            table.write(MetaRecord.tombstone(VersionIds.partition(bucket), p.sortKey(), table.nextVersion()));
        } catch (RuntimeException ignored) {
            // the version may reappear through read repair; documented
        }
    }

    /** After the latest record was written: releases what the commit replaced (the previous null version). */
    void finish(String bucket, String key, Prepared p, Committer committer) {
        for (Replaced r : p.replaced()) release(bucket, key, r, committer);
    }

    /**
     * A version gone for good (replaced null version, permanently deleted version): leaves the bucket's
     * usage (a delete marker never counted) and is released.
     */
    private void release(String bucket, String key, Replaced r, Committer committer) {
        if (r.ball().deleteMarker()) return;
        usage.removed(bucket, r.ball());
        if (r.sortKey() != null) {
            List<MetaRecord> v = refs.forVersion(bucket, key, r.sortKey(), r.ball());
            executor.execute(() -> {
                try {
                    refs.tombstone(v);
                } catch (RuntimeException ignored) {
                    // GC dates the release by the history record's tombstone
                }
            });
        }
        committer.releaseBall(bucket, key, r.ball());
    }

    /** DeleteObject without a version id: a delete marker becomes the newest version. */
    public Deleted deleteMarker(String bucket, String key, BucketInfo target, Committer committer) {
        return deleteMarkerIf(bucket, key, target, committer, latest -> true, false).orElseThrow();
    }

    /**
     * As {@link #deleteMarker}, only if {@code stillCurrent} accepts the latest record read under the
     * key's guard (every versioned write takes that guard, so none can commit between the check and
     * the marker); empty, with nothing written, otherwise.
     */
    public Optional<Deleted> deleteMarkerIf(String bucket, String key, BucketInfo target, Committer committer,
                                            java.util.function.Predicate<Optional<MetaRecord>> stillCurrent, boolean expiry) {
        KeyGuard.Lease lease = expiry ? guard.acquireForExpiry(bucket, key) : guard.acquire(bucket, key);
        Prepared p;
        try {
            Optional<MetaRecord> old = table.read(bucket, key);
            if (!stillCurrent.test(old)) return Optional.empty();
            Optional<Deleted> interrupted = expiry ? interruptedMarker(bucket, key, old, lease) : Optional.empty();
            if (interrupted.isPresent()) return interrupted;
            long version = table.nextVersion();
            BallRecord marker = BallRecord.deleteMarker(newBallId(), clock.millis(), VersionIds.NULL, version);
            p = prepare(bucket, key, old, marker, version, target);
            checkLease(lease);
            table.write(MetaRecord.tombstone(bucket, key, version));
        } finally {
            guard.release(lease);
        }
        finish(bucket, key, p, committer);
        return Optional.of(new Deleted(p.ball().versionId(), true));
    }

    /**
     * An expiry's delete marker whose history record was written but whose latest record was not (its
     * router died in between, and the router that took the lifecycle lease over broke its guard): the
     * key's newest history record is a delete marker (with an id: versioning enabled) newer than the
     * latest record. Completes it (the latest record becomes its tombstone, as that write would have),
     * so the key is expired once, where a new marker would make two; empty when there is none.
     */
    private Optional<Deleted> interruptedMarker(String bucket, String key, Optional<MetaRecord> latest, KeyGuard.Lease lease) {
        List<MetaRecord> newest = table.scan(VersionIds.partition(bucket), VersionIds.keyPrefix(key), null, 1, false).records();
        if (newest.isEmpty()) return Optional.empty();
        BallRecord marker = BallRecord.decode(newest.get(0).value());
        if (!marker.deleteMarker() || marker.versionId() == null || VersionIds.NULL.equals(marker.versionId())
                || marker.stamp() <= latest.map(MetaRecord::version).orElse(Long.MIN_VALUE)) {
            return Optional.empty();
        }
        checkLease(lease);
        table.write(MetaRecord.tombstone(bucket, key, marker.stamp()));
        return Optional.of(new Deleted(marker.versionId(), true));
    }

    /**
     * DeleteObject with a version id: removes that version for good. When it was the newest, the
     * next newest becomes the latest record (or a tombstone when that is a delete marker or none is
     * left). Empty when no such version exists (S3 answers 204 all the same). {@code expiry}: a lifecycle
     * expiry's guard (see {@link KeyGuard#acquireForExpiry}).
     */
    public Optional<Deleted> deleteVersion(String bucket, String key, String versionId, boolean bypassGovernance,
                                           Committer committer, boolean expiry) {
        KeyGuard.Lease lease = expiry ? guard.acquireForExpiry(bucket, key)
                : guard.acquireUnconditional(bucket, key, config.callTimeout());
        Replaced gone;
        try {
            Optional<MetaRecord> latest = table.read(bucket, key);
            BallRecord latestBall = latest.filter(r -> !r.tombstone()).map(r -> BallRecord.decode(r.value())).orElse(null);
            if (latestBall != null && latestBall.versionId() == null) {
                if (!VersionIds.NULL.equals(versionId)) return Optional.empty();
                requireUnlocked(latestBall, bypassGovernance);
                checkLease(lease);
                table.write(MetaRecord.tombstone(bucket, key, table.nextVersion()));
                gone = new Replaced(null, latestBall);
            } else {
                Optional<MetaRecord> rec = locate(bucket, key, versionId);
                if (rec.isEmpty()) return Optional.empty();
                gone = new Replaced(rec.get().sortKey(), BallRecord.decode(rec.get().value()));
                requireUnlocked(gone.ball(), bypassGovernance);
                checkLease(lease);
                table.write(MetaRecord.tombstone(VersionIds.partition(bucket), rec.get().sortKey(), table.nextVersion()));
                if (VersionIds.NULL.equals(versionId)) {
                    table.write(MetaRecord.tombstone(VersionIds.nullPartition(bucket), key, table.nextVersion()));
                }
                if (latestBall == null || versionId.equals(latestBall.versionId())) promote(bucket, key, latest);
            }
        } finally {
            guard.release(lease);
        }
        release(bucket, key, gone, committer);
        return Optional.of(new Deleted(versionId, gone.ball().deleteMarker()));
    }

    private void requireUnlocked(BallRecord ball, boolean bypassGovernance) {
        if (LockState.of(ball.headers()).blocksDelete(clock.instant(), bypassGovernance)) {
            throw new RouterException(RouterException.Kind.LOCKED, "Access Denied because object protected by object lock.");
        }
    }

    /**
     * Changes the lock state of version {@code versionId} ({@code null}: the latest) under the key's
     * guard: {@code change} gets the version's headers and returns the new ones (or throws, e.g.
     * LOCKED, to refuse). See {@link #change} for how the records are rewritten.
     */
    public Optional<BallInfo> changeLock(String bucket, String key, String versionId,
                                         java.util.function.UnaryOperator<java.util.Map<String, String>> change) {
        return change(bucket, key, versionId, target -> {
            java.util.Map<String, String> headers = change.apply(target.headers());
            return r -> r.withHeaders(headers);
        });
    }

    /**
     * Replaces the tag set of version {@code versionId} ({@code null}: the version that is the latest
     * when the key's guard is taken) and of nothing else: the version is identified and rewritten
     * under the guard, so a version committed concurrently never receives the change. See {@link #change}.
     */
    public Optional<BallInfo> changeTags(String bucket, String key, String versionId, java.util.Map<String, String> tags) {
        return change(bucket, key, versionId, target -> r -> r.withTags(tags));
    }

    /**
     * Rewrites version {@code versionId} ({@code null}: the latest) under the key's guard:
     * {@code change} gets the version's record and returns the rewrite to apply (or throws to refuse).
     * The history record and, when the latest record is that very version (same ball id: a
     * compare-and-set on the record read under the guard), the latest record are rewritten at their
     * own record versions with the next revision, so a concurrent commit or delete, which carries a
     * newer version, always wins and never gets the change. Empty when there is no such version;
     * BAD_REQUEST for a delete marker.
     */
    private Optional<BallInfo> change(String bucket, String key, String versionId,
                                      java.util.function.Function<BallRecord, java.util.function.UnaryOperator<BallRecord>> change) {
        KeyGuard.Lease lease = guard.acquireUnconditional(bucket, key, config.callTimeout());
        try {
            Optional<MetaRecord> latest = table.read(bucket, key).filter(r -> !r.tombstone());
            BallRecord latestBall = latest.map(r -> BallRecord.decode(r.value())).orElse(null);
            String id = versionId != null ? versionId : latestBall == null ? null : latestBall.versionId();
            if (id == null && latestBall == null) return Optional.empty();
            Optional<MetaRecord> hist = id == null ? Optional.empty() : locate(bucket, key, id);
            if (hist.isEmpty() && !(latestBall != null && latestBall.versionId() == null
                    && (versionId == null || VersionIds.NULL.equals(versionId)))) {
                return Optional.empty();
            }
            BallRecord target = hist.map(r -> BallRecord.decode(r.value())).orElse(latestBall);
            if (target.deleteMarker()) throw new RouterException(RouterException.Kind.BAD_REQUEST, "delete marker");
            java.util.function.UnaryOperator<BallRecord> rewrite = change.apply(target);
            BallRecord next = rewrite.apply(target);
            checkLease(lease);
            if (hist.isPresent()) {
                table.write(new MetaRecord(hist.get().partition(), hist.get().sortKey(), hist.get().version(), false,
                        next.encode()));
            }
            if (latestBall != null && latestBall.ballId().equals(target.ballId())) {
                table.write(new MetaRecord(bucket, key, latest.get().version(), false, rewrite.apply(latestBall).encode()));
            }
            long v = hist.map(MetaRecord::version).orElseGet(() -> latest.get().version());
            return Optional.of(next.toInfo(bucket, key, v));
        } finally {
            guard.release(lease);
        }
    }

    /** Makes the latest record a copy of the newest history record left (a tombstone when none or a marker). */
    private void promote(String bucket, String key, Optional<MetaRecord> latest) {
        Optional<MetaRecord> newest = newestRecord(bucket, key);
        BallRecord next = newest.map(r -> BallRecord.decode(r.value())).filter(b -> !b.deleteMarker()).orElse(null);
        if (next != null) {
            table.write(new MetaRecord(bucket, key, table.nextVersion(), false, next.encode()));
        } else if (latest.isPresent() && !latest.get().tombstone()) {
            table.write(MetaRecord.tombstone(bucket, key, table.nextVersion()));
        }
    }

    /** The history record of version {@code versionId} of the key, if live. */
    public Optional<MetaRecord> locate(String bucket, String key, String versionId) {
        if (VersionIds.NULL.equals(versionId)) return findNull(bucket, key);
        String sk = VersionIds.sortKeyOf(key, versionId)
                .orElseThrow(() -> new RouterException(RouterException.Kind.BAD_REQUEST, "invalid version id"));
        return table.read(VersionIds.partition(bucket), sk).filter(r -> !r.tombstone());
    }

    /**
     * Version {@code versionId} of the key (a delete marker included: see {@link BallInfo#deleteMarker}).
     * Version {@code null} of a ball written while the bucket was unversioned is its latest record.
     */
    public Optional<BallInfo> version(String bucket, String key, String versionId) {
        if (VersionIds.NULL.equals(versionId)) {
            Optional<MetaRecord> latest = table.read(bucket, key).filter(r -> !r.tombstone());
            if (latest.isPresent()) {
                BallRecord b = BallRecord.decode(latest.get().value());
                if (b.versionId() == null || VersionIds.NULL.equals(b.versionId())) {
                    return Optional.of(b.toInfo(bucket, key, latest.get().version()));
                }
            }
        }
        return locate(bucket, key, versionId).map(r -> BallRecord.decode(r.value()).toInfo(bucket, key, r.version()));
    }

    /** The newest history entry of the key (a delete marker included), if any. */
    public Optional<BallInfo> newest(String bucket, String key) {
        return newestRecord(bucket, key).map(r -> BallRecord.decode(r.value()).toInfo(bucket, key, r.version()));
    }

    private Optional<MetaRecord> newestRecord(String bucket, String key) {
        List<MetaRecord> recs = table.scan(VersionIds.partition(bucket), VersionIds.keyPrefix(key), null, 1, false).records();
        return recs.stream().findFirst();
    }

    /**
     * Points the key's null-version index at history sort key {@code sk}, before that record is
     * written (so the index never misses a live null version; see {@link VersionIds#nullPartition}).
     */
    private void indexNull(String bucket, String key, String sk) {
        table.write(new MetaRecord(VersionIds.nullPartition(bucket), key, table.nextVersion(), false,
                sk.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * The key's null version in its history: through the null-version index, one point read (two
     * when there is one). No entry (or a tombstone) means the key has no null version: every null
     * version is indexed before its history record is written. An entry naming no live null version
     * (a crash between the index write and the history write) falls back to scanning the key's history.
     */
    private Optional<MetaRecord> findNull(String bucket, String key) {
        String part = VersionIds.partition(bucket);
        Optional<MetaRecord> index = table.read(VersionIds.nullPartition(bucket), key);
        if (index.isEmpty() || index.get().tombstone()) return Optional.empty(); // none written, or deleted since
        {
            String sk = new String(index.get().value(), java.nio.charset.StandardCharsets.UTF_8);
            Optional<MetaRecord> rec = table.read(part, sk).filter(r -> !r.tombstone());
            if (rec.isPresent() && VersionIds.NULL.equals(BallRecord.decode(rec.get().value()).versionId())) return rec;
        }
        return scanForNull(bucket, key);
    }

    /** The key's null version by scanning the key's whole history (the index's fallback). */
    private Optional<MetaRecord> scanForNull(String bucket, String key) {
        String part = VersionIds.partition(bucket);
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(part, VersionIds.keyPrefix(key), after, 1000, false);
            for (MetaRecord r : page.records()) {
                if (r.sortKey().endsWith(VersionIds.NULL) && VersionIds.NULL.equals(BallRecord.decode(r.value()).versionId())) {
                    return Optional.of(r);
                }
            }
            if (!page.more() || page.records().isEmpty()) return Optional.empty();
            after = page.records().get(page.records().size() - 1).sortKey();
        }
    }

    /** A history page: entries in S3 order (key ascending, newest first), and whether more follow. */
    public record Page(List<Entry> entries, boolean more, String resumeAfter) {
    }

    /** One listed version; {@code sortKey} is its place in the order (markers page on it). */
    public record Entry(String sortKey, BallInfo ball, boolean latest) {
    }

    /**
     * Up to {@code limit} versions with keys starting with {@code prefix}, strictly after
     * {@code after} (a history sort key; null from the start). Balls written while the bucket was
     * unversioned (latest records without an id) are merged in as version {@code null}, ordered
     * before the key's history (they are its newest). Reads one bounded page of each partition.
     */
    public Page list(String bucket, String prefix, String after, int limit) {
        while (true) {
            Page page = listOnce(bucket, prefix, after, limit);
            if (!page.entries().isEmpty() || !page.more() || page.resumeAfter() == null) return page;
            after = page.resumeAfter(); // nothing could be emitted below the scans' bounds: continue past them
        }
    }

    private Page listOnce(String bucket, String prefix, String after, int limit) {
        ReplicatedTable.Page hist = table.scan(VersionIds.partition(bucket), prefix, after, limit, false);
        String afterKey = after == null ? null : VersionIds.keyOf(after);
        boolean afterIsKeyItself = after != null && after.equals(VersionIds.keyPrefix(afterKey));
        // latest records: keys >= afterKey (the key itself only when its legacy entry is not yet passed)
        String latestAfter = after == null ? null : (afterIsKeyItself || after.length() > afterKey.length() ? afterKey : null);
        ReplicatedTable.Page latest = table.scan(bucket, prefix, latestAfter, limit, false);
        List<Entry> out = new ArrayList<>();
        int hi = 0;
        int li = 0;
        List<MetaRecord> h = hist.records();
        List<MetaRecord> l = new ArrayList<>();
        for (MetaRecord r : latest.records()) if (BallRecord.decode(r.value()).versionId() == null) l.add(r);
        String lastKey = afterKey;
        String histBound = hist.more() && !h.isEmpty() ? h.get(h.size() - 1).sortKey() : null;
        String latestBound = latest.more() && !latest.records().isEmpty()
                ? VersionIds.keyPrefix(latest.records().get(latest.records().size() - 1).sortKey()) : null;
        while (out.size() < limit && (hi < h.size() || li < l.size())) {
            String hs = hi < h.size() ? h.get(hi).sortKey() : null;
            String ls = li < l.size() ? VersionIds.keyPrefix(l.get(li).sortKey()) : null;
            boolean takeLegacy = hs == null || ls != null && org.mictlanx.router.meta.Utf8Order.compare(ls, hs) <= 0;
            String sk = takeLegacy ? ls : hs;
            if (histBound != null && org.mictlanx.router.meta.Utf8Order.compare(sk, histBound) > 0) break;
            if (latestBound != null && org.mictlanx.router.meta.Utf8Order.compare(sk, latestBound) > 0) break;
            MetaRecord r = takeLegacy ? l.get(li++) : h.get(hi++);
            String key = takeLegacy ? r.sortKey() : VersionIds.keyOf(sk);
            BallInfo info = BallRecord.decode(r.value()).toInfo(bucket, key, r.version());
            out.add(new Entry(sk, info, !key.equals(lastKey)));
            lastKey = key;
        }
        boolean more = hi < h.size() || li < l.size() || hist.more() || latest.more();
        String resume = histBound == null ? latestBound : latestBound == null ? histBound
                : org.mictlanx.router.meta.Utf8Order.compare(histBound, latestBound) < 0 ? histBound : latestBound;
        return new Page(out, more, resume);
    }

    private void checkLease(KeyGuard.Lease lease) {
        if (!lease.valid(config.callTimeout().toMillis())) {
            throw new RouterException(RouterException.Kind.CONFLICT, "guard lease ran out before the commit");
        }
    }

    private String newBallId() {
        byte[] r = new byte[6];
        random.nextBytes(r);
        return String.format("%012x", clock.millis()) + java.util.HexFormat.of().formatHex(r);
    }
}

package org.mictlanx.router.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallPage;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.Digest;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.digest.DigestComputer;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.WriteCondition;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.KeyGuard;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.meta.VersionIds;

/**
 * Put, copy, read, delete and list of balls. The commit order makes a put atomic: chunks (write
 * quorum each, one new segment) → verifier → {@link Committer} (condition, reference records, ball
 * record, all quorum). Until the ball record is committed nothing refers to the chunks, and GC
 * removes them after its grace period if the put never commits. A copy writes no chunk: its
 * record lists the source's slices. Overwrite and delete never delete chunks themselves: they
 * release the old ball's references and GC frees its segments a grace period later, so readers
 * holding the old {@link BallInfo} finish streaming it.
 */
public final class BallService {

    private final SegmentOpener segments;
    private final BallReaders readers;
    private final SegmentRewrap rewrap;
    private final ReplicatedTable table;
    private final BucketService buckets;
    private final Committer committer;
    private final VersionService versions;
    private final KeyGuard guard;
    private final ExecutorService executor;
    private final RouterConfig config;
    private final BufferBudget budget;
    private final Clock clock;
    private final org.mictlanx.router.usage.UsageLedger usage;
    private final Etags etags = new Etags();

    /**
     * @param segments opens a put's segment and gives its writer
     * @param readers  the streams of {@link #open}
     * @param rewrap   re-wraps data keys for copies and reads under customer keys
     * @param versions deletes in versioned buckets
     * @param guard    the per-key guard of conditional deletes in unversioned buckets
     * @param executor runs a put's bucket read alongside its chunk writes
     * @param config   inline limit, chunk size and call timeout
     * @param budget   an inline put's body is reserved from it
     */
    public BallService(SegmentOpener segments, BallReaders readers, SegmentRewrap rewrap, ReplicatedTable table,
                       BucketService buckets, Committer committer, VersionService versions, KeyGuard guard,
                       ExecutorService executor, RouterConfig config, BufferBudget budget, Clock clock,
                       org.mictlanx.router.usage.UsageLedger usage) {
        this.segments = segments;
        this.readers = readers;
        this.rewrap = rewrap;
        this.table = table;
        this.buckets = buckets;
        this.committer = committer;
        this.versions = versions;
        this.guard = guard;
        this.executor = executor;
        this.config = config;
        this.budget = budget;
        this.clock = clock;
        this.usage = usage;
    }

    /**
     * Commit order: every chunk (write quorum each) and the reference record are durable, the
     * bucket was confirmed by a quorum read taken during the put, and the verifier accepted the
     * digests; only then is the ball record written (quorum), which is the commit. The reference
     * write, the bucket read and (unconditional puts) the read of the record being replaced run
     * alongside the chunk writes; the replication factor comes from the bucket's placement hint
     * when this router has seen the bucket before.
     */
    public BallInfo put(PutBall req, InputStream body) {
        requireKey(req.key());
        if (req.length() < -1) throw new RouterException(RouterException.Kind.BAD_REQUEST, "negative length");
        String bucketName = req.bucket();
        CompletableFuture<Optional<BucketInfo>> bucketCheck =
                CompletableFuture.supplyAsync(() -> buckets.get(bucketName), executor);
        BucketInfo bucket = buckets.placementHint(bucketName).orElseGet(() -> existing(bucketName, bucketCheck));
        long seen = committer.precheck(bucketName, req.key(), req.condition());
        SegmentOpener.Opened opened = segments.open(bucket, req.redundancy(), req.customerKey());
        if (req.length() > 0 && req.length() <= Math.min(config.inlineMaxBytes(), config.chunkSize())) {
            return putInline(req, body, bucketCheck, seen, opened);
        }
        Committer.Early early = committer.start(bucketName, req.key(), opened.id(), opened.id(), req.condition());
        BallWriter writer = segments.writer(opened);
        BallRecord ball;
        Segment segment;
        try {
            BallWriter.Written written = writer.write(body, req.length(), req.digests(), () -> failIfGone(bucketName, bucketCheck));
            existing(bucketName, bucketCheck);
            segment = opened.segment(written.size(), config.chunkSize());
            ball = etagFor(req, BallRecord.single(segment, clock.millis(), req.headers(), req.userMetadata(),
                    written.digests(), req.tags()));
            req.verifier().verify(java.util.Collections.unmodifiableMap(written.digests()));
        } catch (RuntimeException | Error e) {
            writer.release();
            committer.abandon(early);
            throw e;
        }
        Committer.Committed done;
        try {
            done = committer.commit(bucketName, req.key(), ball, req.condition(), seen, () -> { }, early,
                    existing(bucketName, bucketCheck));
        } catch (Committer.NotCommitted e) {
            writer.release();
            committer.abandon(early);
            throw e.getCause();
        }
        // From here a partial metadata write may become visible later (read repair), so the chunks
        // are not released on failure: GC decides once the grace period has passed.
        writer.committed(bucketName, req.key(), segment);
        return done.ball().toInfo(bucketName, req.key(), done.version());
    }

    /**
     * A small put: the body is read whole (at most {@link RouterConfig#inlineMaxBytes}), sealed as
     * chunk 0 and committed inside the ball record, so the commit is the put's only durable write.
     */
    private BallInfo putInline(PutBall req, InputStream body, CompletableFuture<Optional<BucketInfo>> bucketCheck,
                               long seen, SegmentOpener.Opened opened) {
        String bucketName = req.bucket();
        int length = (int) req.length();
        Committer.Early early = committer.startWithoutReferences(bucketName, req.key(), req.condition());
        BallRecord ball;
        try (BufferBudget.Lease lease = budget.open()) {
            lease.reserve(2L * length);
            byte[] plain;
            try {
                plain = body.readNBytes(length);
                if (plain.length < length) {
                    throw new RouterException(RouterException.Kind.INCOMPLETE_BODY,
                            "body ended after " + plain.length + " of " + length + " bytes");
                }
                if (body.read() != -1) {
                    throw new RouterException(RouterException.Kind.INCOMPLETE_BODY, "body is longer than " + length + " bytes");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            DigestComputer digests = new DigestComputer(req.digests());
            digests.update(plain, 0, length);
            Map<Digest, byte[]> computed = digests.finish();
            Segment segment = segments.inline(opened, plain);
            existing(bucketName, bucketCheck);
            ball = etagFor(req, BallRecord.single(segment, clock.millis(), req.headers(), req.userMetadata(), computed,
                    req.tags()));
            req.verifier().verify(java.util.Collections.unmodifiableMap(computed));
        } catch (RuntimeException | Error e) {
            committer.abandon(early);
            throw e;
        }
        try {
            Committer.Committed done = committer.commit(bucketName, req.key(), ball, req.condition(), seen, () -> { },
                    early, existing(bucketName, bucketCheck));
            return done.ball().toInfo(bucketName, req.key(), done.version());
        } catch (Committer.NotCommitted e) {
            throw e.getCause();
        }
    }

    /** The ball's ETag ({@link Etags}): opaque when a customer's or a KMS key wraps its data key. */
    private BallRecord etagFor(PutBall req, BallRecord ball) {
        return req.customerKey() == null ? ball : ball.withEtag(etags.opaque(0));
    }

    private static BucketInfo existing(String name, CompletableFuture<Optional<BucketInfo>> check) {
        return Committer.join(check).orElseThrow(() -> new RouterException(RouterException.Kind.NO_SUCH_BUCKET, "no bucket " + name));
    }

    /** Stops a put early once its bucket is known to be gone (an unfinished or failed read is decided before commit). */
    private static void failIfGone(String name, CompletableFuture<Optional<BucketInfo>> check) {
        if (check.isDone() && !check.isCompletedExceptionally() && check.join().isEmpty()) {
            throw new RouterException(RouterException.Kind.NO_SUCH_BUCKET, "no bucket " + name);
        }
    }

    /** A new ball under (bucket, key) referring to the source's slices; see {@code BallStore#copyBall}. */
    public BallInfo copy(BallInfo source, String bucket, String key, Map<String, String> headers,
                         Map<String, String> userMetadata, Map<String, String> tags, WriteCondition condition) {
        requireKey(key);
        BallRecord src = record(source);
        BucketInfo target = buckets.require(bucket);
        WriteCondition c = condition == null ? WriteCondition.NONE : condition;
        long seen = committer.precheck(bucket, key, c);
        // the copy's ETag is what its own encryption calls for (opaque under a customer's or KMS key)
        BallRecord ball = new BallRecord(newId(), src.size(), clock.millis(), headers, userMetadata,
                src.digests(), etags.of(src.slices(), src.digests(), src.parts(), src.etag()), src.checksumType(),
                src.parts(), rewrap.underCurrentMaster(src.slices()), tags, 0);
        try {
            Committer.Committed done = committer.commit(bucket, key, ball, c, seen, () -> requireCurrent(source, src), null,
                    target);
            return done.ball().toInfo(bucket, key, done.version());
        } catch (Committer.NotCommitted e) {
            throw e.getCause();
        }
    }

    /**
     * Throws CHUNK_UNAVAILABLE unless the source ball is still the committed one under its key.
     * Called after the copy's reference records are written: from then on, releasing the source
     * sees those references and keeps the shared segments.
     */
    void requireCurrent(BallInfo source, BallRecord src) {
        if (src.versionId() != null) { // a version stays readable until that very version is deleted
            if (versions.locate(source.bucket(), source.key(), src.versionId())
                    .filter(r -> BallRecord.decode(r.value()).ballId().equals(src.ballId())).isEmpty()) {
                throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE,
                        "the source version " + source.bucket() + "/" + source.key() + " was deleted during the copy");
            }
            return;
        }
        Optional<MetaRecord> cur = table.read(source.bucket(), source.key());
        if (cur.isEmpty() || cur.get().tombstone() || !BallRecord.decode(cur.get().value()).ballId().equals(src.ballId())) {
            throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE,
                    "the source ball " + source.bucket() + "/" + source.key() + " was replaced or deleted during the copy");
        }
    }

    /**
     * The ball with every segment's data key unwrapped with {@code from} (null: the master key) and
     * wrapped again under {@code to} (null: the current master key); nothing is stored. See
     * {@code BallStore#rewrap}.
     */
    public BallInfo rewrap(BallInfo ball, org.mictlanx.router.crypto.CustomerKey from,
                           org.mictlanx.router.crypto.CustomerKey to) {
        BallRecord r = record(ball);
        // nothing is stored: the revision is irrelevant, the version fields (versioned balls) are kept
        BallRecord out = r.withRewrappedSlices(rewrap.rewrapSlices(r.slices(), from, to));
        return out.toInfo(ball.bucket(), ball.key(), ball.version());
    }

    static BallRecord record(BallInfo info) {
        if (!(info.layout() instanceof BallRecord ball)) {
            throw new RouterException(RouterException.Kind.BAD_REQUEST, "ball info not issued by this router");
        }
        return ball;
    }

    public Optional<BallInfo> head(String bucket, String key) {
        requireKey(key);
        return head(buckets.require(bucket), key);
    }

    /** The ball under {@code key} in {@code bucket} as the caller resolved it (the bucket is not read again). */
    public Optional<BallInfo> head(BucketInfo bucket, String key) {
        requireKey(key);
        String name = bucket.name();
        return table.read(name, key).filter(r -> !r.tombstone())
                .map(r -> BallRecord.decode(r.value()).toInfo(name, key, r.version()));
    }

    /**
     * See {@code BallStore#replaceTags}. The rewritten record keeps the ball id (so its reference
     * records stay valid and nothing is released) and the version of the record read, with the
     * next revision: under last-writer-wins it replaces that record, or an older one on a lagging
     * replica, and loses to anything newer, so it can never resurrect a ball a concurrent commit
     * or delete released. A plain quorum write suffices; no guard is taken.
     */
    public Optional<BallInfo> replaceTags(String bucket, String key, Map<String, String> tags) {
        requireKey(key);
        buckets.require(bucket);
        Optional<MetaRecord> cur = table.read(bucket, key);
        if (cur.isEmpty() || cur.get().tombstone()) return Optional.empty();
        BallRecord next = BallRecord.decode(cur.get().value()).withTags(tags);
        if (next.versionId() != null) { // the history record of this version carries the same tags
            String sk = VersionIds.sortKey(key, next.versionId(), next.stamp());
            table.read(VersionIds.partition(bucket), sk).filter(r -> !r.tombstone()).ifPresent(h -> {
                BallRecord hb = BallRecord.decode(h.value());
                if (hb.ballId().equals(next.ballId())) {
                    table.write(new MetaRecord(h.partition(), sk, h.version(), false, hb.withTags(tags).encode()));
                }
            });
        }
        table.write(new MetaRecord(bucket, key, cur.get().version(), false, next.encode()));
        return Optional.of(next.toInfo(bucket, key, cur.get().version()));
    }

    public InputStream open(BallInfo info, long offset, long length) {
        // a chunk lost everywhere answers an error before the first byte where the window allows
        return readers.open(info.bucket(), info.key(), record(info), offset, length).prime();
    }

    /**
     * DeleteObject as S3 does it: in an unversioned bucket the ball goes (empty when there was none);
     * in a versioned one without {@code versionId} a delete marker is added; with one, that version
     * is removed for good (empty when it does not exist).
     */
    public Optional<VersionService.Deleted> delete(String bucket, String key, String versionId, boolean bypassGovernance) {
        requireKey(key);
        BucketInfo b = buckets.require(bucket);
        if (versionId != null) {
            if (!VersionIds.NULL.equals(versionId) && !VersionIds.wellFormed(versionId)) {
                throw new RouterException(RouterException.Kind.BAD_REQUEST, "invalid version id");
            }
            return versions.deleteVersion(bucket, key, versionId, bypassGovernance, committer, false);
        }
        if (b.versioning().versioned()) return Optional.of(versions.deleteMarker(bucket, key, b, committer));
        return deleteUnversioned(bucket, key) ? Optional.of(new VersionService.Deleted(null, false)) : Optional.empty();
    }

    /**
     * See {@code BallStore#deleteBallIfCurrent}. Unversioned: under the key's guard (which excludes
     * conditional writers) the record is read and compared with {@code expected}; the tombstone then
     * carries the version right after the record's, so it replaces exactly that record and loses to
     * any write that replaced it, including an unconditional put (which takes no guard) landing after
     * the read. Versioned: the delete marker is added under the guard only if the latest record is
     * still {@code expected}.
     */
    public Optional<VersionService.Deleted> deleteIfCurrent(String bucket, String key, BallInfo expected) {
        requireKey(key);
        BucketInfo b = buckets.require(bucket);
        if (b.versioning().versioned()) {
            return versions.deleteMarkerIf(bucket, key, b, committer, cur -> same(cur, expected), true);
        }
        KeyGuard.Lease lease = guard.acquireForExpiry(bucket, key);
        BallRecord gone;
        try {
            Optional<MetaRecord> cur = table.read(bucket, key);
            if (!same(cur, expected)) return Optional.empty();
            if (!lease.valid(config.callTimeout().toMillis())) {
                throw new RouterException(RouterException.Kind.CONFLICT, "guard lease ran out before the delete");
            }
            table.write(MetaRecord.tombstone(bucket, key, cur.get().version() + 1));
            gone = BallRecord.decode(cur.get().value());
        } finally {
            guard.release(lease);
        }
        usage.removed(bucket, gone);
        committer.releaseBall(bucket, key, gone);
        return Optional.of(new VersionService.Deleted(null, false));
    }

    /** Whether {@code cur} is the live ball {@code expected} names: same record version, ball id, ETag and tags. */
    private static boolean same(Optional<MetaRecord> cur, BallInfo expected) {
        if (cur.isEmpty() || cur.get().tombstone() || cur.get().version() != expected.version()) return false;
        BallRecord now = BallRecord.decode(cur.get().value());
        boolean sameBall = !(expected.layout() instanceof BallRecord was) || was.ballId().equals(now.ballId());
        return sameBall && !now.deleteMarker() && now.etag().equals(expected.etag()) && now.tags().equals(expected.tags());
    }

    /** The lifecycle worker's removal of version {@code versionId}, under the key's guard taken as an expiry's. */
    public Optional<VersionService.Deleted> expireVersion(String bucket, String key, String versionId) {
        requireKey(key);
        buckets.require(bucket);
        if (!VersionIds.NULL.equals(versionId) && !VersionIds.wellFormed(versionId)) {
            throw new RouterException(RouterException.Kind.BAD_REQUEST, "invalid version id");
        }
        return versions.deleteVersion(bucket, key, versionId, false, committer, true);
    }

    public boolean delete(String bucket, String key) {
        requireKey(key);
        buckets.require(bucket);
        return deleteUnversioned(bucket, key);
    }

    private boolean deleteUnversioned(String bucket, String key) {
        Optional<MetaRecord> old = table.read(bucket, key);
        if (old.isEmpty() || old.get().tombstone()) return false;
        table.write(MetaRecord.tombstone(bucket, key, table.nextVersion()));
        BallRecord gone = BallRecord.decode(old.get().value());
        usage.removed(bucket, gone);
        committer.releaseBall(bucket, key, gone);
        return true;
    }

    public BallPage list(String bucket, String prefix, String startAfter, int limit) {
        if (limit < 0) throw new RouterException(RouterException.Kind.BAD_REQUEST, "negative limit");
        return list(buckets.require(bucket), prefix, startAfter, limit);
    }

    /** A listing page of {@code bucket} as the caller resolved it (the bucket is not read again). */
    public BallPage list(BucketInfo bucket, String prefix, String startAfter, int limit) {
        if (limit < 0) throw new RouterException(RouterException.Kind.BAD_REQUEST, "negative limit");
        String name = bucket.name();
        ReplicatedTable.Page page = table.scan(name, prefix, startAfter, limit, false);
        List<BallInfo> balls = new ArrayList<>();
        for (MetaRecord r : page.records()) balls.add(BallRecord.decode(r.value()).toInfo(name, r.sortKey(), r.version()));
        return new BallPage(balls, page.more());
    }

    /** Any live ball in the bucket? (for bucket deletion) */
    public boolean isEmpty(String bucket) {
        return table.scan(bucket, null, null, 1, false).records().isEmpty()
                && table.scan(VersionIds.partition(bucket), null, null, 1, false).records().isEmpty();
    }

    /** A new segment or ball id ({@link SegmentOpener#newId}). */
    public String newId() {
        return segments.newId();
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) throw new RouterException(RouterException.Kind.BAD_REQUEST, "empty key");
    }
}

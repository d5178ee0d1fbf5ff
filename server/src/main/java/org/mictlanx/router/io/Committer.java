package org.mictlanx.router.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.WriteCondition;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.KeyGuard;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.Segment;

/**
 * The one commit path of a ball record (put, complete, copy) and the release of what it replaced.
 * Order: [guard, for a conditional write] → read current → condition → reference records (quorum)
 * → caller's pre-commit check → ball record (quorum) → [guard freed] → old ball released in the
 * background (references tombstoned; GC frees its chunks a grace period later). Until the ball record write starts, a failure leaves nothing visible and the caller
 * may release its new chunks; after it, nothing is released on failure (GC decides).
 */
public final class Committer {

    /** Thrown when the failure happened before the ball record write started (safe to release new chunks). */
    public static final class NotCommitted extends RuntimeException {
        public NotCommitted(RuntimeException cause) {
            super(cause);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }

    /**
     * The metadata steps of a put's commit started alongside its chunk writes: its reference
     * write, and (unconditional writes only; a conditional one reads under the guard) the read of
     * the record it replaces. {@link #commit} waits for both before writing the ball record.
     */
    public record Early(List<MetaRecord> refs, CompletableFuture<Void> refsWritten,
                        CompletableFuture<Optional<MetaRecord>> old) {
    }

    private final java.util.concurrent.ExecutorService executor;
    private final org.mictlanx.router.RouterConfig config;
    private final ReplicatedTable table;
    private final References refs;
    private final KeyGuard guard;
    private final VersionService versions;
    private final org.mictlanx.router.usage.UsageLedger usage;

    /** {@code executor} runs the reference writes and record reads alongside a put; {@code config} gives the call timeout. */
    public Committer(java.util.concurrent.ExecutorService executor, org.mictlanx.router.RouterConfig config,
                     ReplicatedTable table, References refs, KeyGuard guard, VersionService versions,
                     org.mictlanx.router.usage.UsageLedger usage) {
        this.usage = usage;
        this.executor = executor;
        this.config = config;
        this.table = table;
        this.refs = refs;
        this.guard = guard;
        this.versions = versions;
    }

    /** A committed ball record: the latest record's version and the ball as stored (with its version id). */
    public record Committed(long version, BallRecord ball) {
    }

    /** Whether {@code c} holds for the stored record. */
    public static boolean holds(WriteCondition c, Optional<MetaRecord> cur) {
        boolean live = cur.isPresent() && !cur.get().tombstone();
        return switch (c.kind()) {
            case NONE -> true;
            case IF_ABSENT -> !live;
            case IF_MATCH -> live && BallRecord.decode(cur.get().value()).etag().equals(c.etag());
        };
    }

    /** Checks the condition now (before any data is written): PRECONDITION_FAILED when it does not hold. */
    public long precheck(String bucket, String key, WriteCondition c) {
        if (!c.conditional()) return 0;
        Optional<MetaRecord> cur = table.read(bucket, key);
        if (!holds(c, cur)) throw failed(c, cur);
        return cur.map(MetaRecord::version).orElse(0L);
    }

    /** The failure of condition {@code c} against {@code cur}: NO_SUCH_BALL when If-Match found no ball, else PRECONDITION_FAILED. */
    private static RouterException failed(WriteCondition c, Optional<MetaRecord> cur) {
        boolean live = cur.isPresent() && !cur.get().tombstone();
        return c.kind() == WriteCondition.Kind.IF_MATCH && !live
                ? new RouterException(RouterException.Kind.NO_SUCH_BALL, "precondition failed, no ball under the key: " + c)
                : new RouterException(RouterException.Kind.PRECONDITION_FAILED, "precondition failed: " + c);
    }

    /**
     * Commits {@code ball} under (bucket, key). {@code seen} is the version the precheck saw (a
     * condition failing under the guard is then CONFLICT if the key changed since, else
     * PRECONDITION_FAILED). {@code beforeCommit} runs after the reference records are written.
     * Returns the new record's version. Failures before the ball record write are wrapped in
     * {@link NotCommitted}.
     */
    public long commit(String bucket, String key, BallRecord ball, WriteCondition c, long seen, Runnable beforeCommit) {
        return commit(bucket, key, ball, c, seen, beforeCommit, null);
    }

    /**
     * Starts the reference write of ball {@code ballId} (one segment) and, for an unconditional
     * write, the read of the current record; pass the result to {@link #commit} (or to
     * {@link #abandon} when the put fails first).
     */
    public Early start(String bucket, String key, String segmentId, String ballId, WriteCondition c) {
        List<MetaRecord> mine = refs.forSegment(bucket, key, segmentId, ballId);
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> refs.write(mine), executor);
        return new Early(mine, written, readOld(bucket, key, c));
    }

    /** As {@link #start} for a ball whose only segment is inline (nothing for GC to reference). */
    public Early startWithoutReferences(String bucket, String key, WriteCondition c) {
        return new Early(List.of(), CompletableFuture.completedFuture(null), readOld(bucket, key, c));
    }

    /** The early read of the record a write replaces; none for a conditional write (it reads under its guard). */
    private CompletableFuture<Optional<MetaRecord>> readOld(String bucket, String key, WriteCondition c) {
        return c.conditional() ? null : CompletableFuture.supplyAsync(() -> table.read(bucket, key), executor);
    }

    /** After a put failed before its commit: tombstones its early references once written (best effort). */
    public void abandon(Early early) {
        if (early.refs().isEmpty()) return;
        early.refsWritten().whenCompleteAsync((v, e) -> {
            try {
                refs.tombstone(early.refs());
            } catch (RuntimeException ignored) {
                // the reference is dead anyway: its ball never committed
            }
        }, executor);
    }

    /**
     * As {@link #commit(String, String, BallRecord, WriteCondition, long, Runnable)}, with the
     * reference write (and old-record read) already started by {@link #start} for {@code ball}'s one
     * segment; the references are still durable (quorum) before the ball record write starts.
     */
    public long commit(String bucket, String key, BallRecord ball, WriteCondition c, long seen, Runnable beforeCommit,
                       Early early) {
        return commit(bucket, key, ball, c, seen, beforeCommit, early, null).version();
    }

    /**
     * As above into bucket {@code target} (null: unversioned), whose versioning state and object lock default apply. A versioned commit always takes the
     * key's guard and reads the record it replaces under it; {@link VersionService#prepare} writes
     * the history records before the latest record, and the replaced latest ball is kept (it is a
     * noncurrent version now), except a replaced null version in a suspended bucket.
     */
    public Committed commit(String bucket, String key, BallRecord ball, WriteCondition c, long seen,
                            Runnable beforeCommit, Early early, BucketInfo target) {
        boolean versioned = target != null && target.versioning().versioned();
        KeyGuard.Lease lease;
        try {
            lease = c.conditional() ? guard.acquire(bucket, key)
                    : versioned ? guard.acquireUnconditional(bucket, key, config.callTimeout()) : null;
        } catch (RuntimeException e) {
            throw new NotCommitted(e);
        }
        Optional<MetaRecord> old;
        long version;
        VersionService.Prepared prepared = null;
        try {
            try {
                old = !versioned && early != null && early.old() != null ? join(early.old()) : table.read(bucket, key);
                if (!holds(c, old)) {
                    long now = old.map(MetaRecord::version).orElse(0L);
                    throw now != seen
                            ? new RouterException(RouterException.Kind.CONFLICT, "the key changed during the conditional write")
                            : failed(c, old);
                }
                if (early != null) join(early.refsWritten());
                else refs.write(refs.forBall(bucket, key, ball));
                beforeCommit.run();
                if (lease != null && !lease.valid(config.callTimeout().toMillis())) {
                    throw new RouterException(RouterException.Kind.CONFLICT, "guard lease ran out before the commit");
                }
            } catch (RuntimeException e) {
                throw new NotCommitted(e);
            }
            version = table.nextVersion();
            if (versioned) {
                try {
                    prepared = versions.prepare(bucket, key, old, ball, version, target);
                } catch (RuntimeException e) {
                    throw new NotCommitted(e);
                }
                ball = prepared.ball();
            }
            MetaRecord mine = new MetaRecord(bucket, key, version, false, ball.encode());
            try {
                table.write(mine);
            } catch (RouterException e) {
                // refused to the client: put back what was there on the replicas that took it, so the
                // refused version never becomes visible later (read repair would otherwise spread it)
                if (e.kind() == RouterException.Kind.QUORUM_FAILED) {
                    revert(mine, old);
                    if (prepared != null) versions.undo(bucket, prepared);
                }
                throw e;
            }
        } finally {
            if (lease != null) guard.release(lease);
        }
        if (prepared != null) {
            // stored versions count toward the bucket's size, as in S3: the replaced latest ball is a
            // noncurrent version now; only what the commit replaced for good (a suspended bucket's
            // previous null version) leaves the figures, in finish
            usage.committed(bucket, Optional.empty(), ball);
            versions.finish(bucket, key, prepared, this);
            return new Committed(version, ball);
        }
        Optional<BallRecord> replaced = old.filter(r -> !r.tombstone()).map(r -> BallRecord.decode(r.value()));
        usage.committed(bucket, replaced, ball);
        BallRecord committed = ball;
        // A record with the same ball id is this very ball committed again (two racing completions of one
        // multipart upload): its references are the ones just written, so there is nothing to release.
        old.filter(r -> !r.tombstone()).map(r -> BallRecord.decode(r.value()))
                .filter(o -> !o.ballId().equals(committed.ballId()))
                .ifPresent(o -> releaseBall(bucket, key, o));
        return new Committed(version, committed);
    }

    /**
     * See {@link ReplicatedTable#revert}: puts back the record read before the write, with its own
     * (older) version, or a tombstone of the lowest version when there was none. Older on purpose: a
     * write acknowledged concurrently (between that read and this write) keeps winning over it.
     */
    private void revert(MetaRecord refused, Optional<MetaRecord> before) {
        MetaRecord back = before.filter(r -> r.version() < refused.version())
                .orElse(MetaRecord.tombstone(refused.partition(), refused.sortKey(), 1));
        try {
            table.revert(refused, back);
        } catch (RuntimeException e) {
            // best effort: documented in docs/operations.md
        }
    }

    /**
     * Releases a replaced or deleted ball, in the background: tombstones its references (the
     * tombstones' version dates the release). Its chunks are NOT deleted here: a reader that fetched
     * the old record may still be streaming them. GC deletes each segment once it has been
     * unreferenced for the grace period ({@link References}); if this never runs (failure, crash),
     * GC dates the release by the record that replaced the ball instead, which is no earlier.
     */
    public void releaseBall(String bucket, String key, BallRecord old) {
        executor.execute(() -> {
            try {
                List<MetaRecord> mine = new ArrayList<>(refs.forBall(bucket, key, old));
                Segment only = old.slices().size() == 1 ? old.slices().get(0).segment() : null;
                if (only != null && !only.isInline() && only.id().equals(old.ballId())) {
                    mine.add(new MetaRecord(Partitions.ref(old.ballId()), old.ballId(), 0, false, null)); // legacy form
                }
                if (!mine.isEmpty()) refs.tombstone(mine);
            } catch (RuntimeException e) {
                // GC dates the release by the record that replaced the ball
            }
        });
    }

    /** Waits for an early step; its failure is rethrown as the RuntimeException it was. */
    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error er) throw er;
            throw e;
        } catch (CancellationException e) {
            throw new RouterException(RouterException.Kind.QUORUM_FAILED, "metadata call cancelled", null, e);
        }
    }
}

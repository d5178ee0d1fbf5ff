package org.mictlanx.router.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.RouterException;
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
 * background. Until the ball record write starts, a failure leaves nothing visible and the caller
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

    private final ChunkIo io;
    private final ReplicatedTable table;
    private final References refs;
    private final KeyGuard guard;

    public Committer(ChunkIo io, ReplicatedTable table, References refs, KeyGuard guard) {
        this.io = io;
        this.table = table;
        this.refs = refs;
        this.guard = guard;
    }

    public References references() {
        return refs;
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
        if (!holds(c, cur)) throw new RouterException(RouterException.Kind.PRECONDITION_FAILED, "precondition failed: " + c);
        return cur.map(MetaRecord::version).orElse(0L);
    }

    /**
     * Commits {@code ball} under (bucket, key). {@code seen} is the version the precheck saw (a
     * condition failing under the guard is then CONFLICT if the key changed since, else
     * PRECONDITION_FAILED). {@code beforeCommit} runs after the reference records are written.
     * Returns the new record's version. Failures before the ball record write are wrapped in
     * {@link NotCommitted}.
     */
    public long commit(String bucket, String key, BallRecord ball, WriteCondition c, long seen, Runnable beforeCommit) {
        KeyGuard.Lease lease;
        try {
            lease = c.conditional() ? guard.acquire(bucket, key) : null;
        } catch (RuntimeException e) {
            throw new NotCommitted(e);
        }
        Optional<MetaRecord> old;
        long version;
        try {
            try {
                old = table.read(bucket, key);
                if (!holds(c, old)) {
                    long now = old.map(MetaRecord::version).orElse(0L);
                    throw now != seen
                            ? new RouterException(RouterException.Kind.CONFLICT, "the key changed during the conditional write")
                            : new RouterException(RouterException.Kind.PRECONDITION_FAILED, "precondition failed: " + c);
                }
                refs.write(refs.forBall(bucket, key, ball));
                beforeCommit.run();
                if (lease != null && !lease.valid(io.config().callTimeout().toMillis())) {
                    throw new RouterException(RouterException.Kind.CONFLICT, "guard lease ran out before the commit");
                }
            } catch (RuntimeException e) {
                throw new NotCommitted(e);
            }
            version = table.nextVersion();
            table.write(new MetaRecord(bucket, key, version, false, ball.encode()));
        } finally {
            if (lease != null) guard.release(lease);
        }
        old.filter(r -> !r.tombstone()).ifPresent(r -> releaseBall(bucket, key, BallRecord.decode(r.value())));
        return version;
    }

    /** In the background: drops the ball's references, then deletes each segment nothing else refers to. */
    public void releaseBall(String bucket, String key, BallRecord old) {
        io.executor().execute(() -> {
            try {
                List<MetaRecord> mine = new ArrayList<>(refs.forBall(bucket, key, old));
                if (old.slices().size() == 1 && old.slices().get(0).segment().id().equals(old.ballId())) {
                    mine.add(new MetaRecord(Partitions.ref(old.ballId()), old.ballId(), 0, false, null)); // legacy form
                }
                refs.tombstone(mine);
                releaseUnreferenced(old.segments());
            } catch (RuntimeException e) {
                // GC finishes the job
            }
        });
    }

    /** Deletes the chunks of each segment without a live reference (call after dropping one's own references). */
    public void releaseUnreferenced(List<Segment> segments) {
        for (Segment s : segments) {
            try {
                if (!refs.referenced(s.id())) io.release(s.id(), s.chunkCount(), s.replication());
            } catch (RuntimeException e) {
                // undecidable now: GC decides later
            }
        }
    }
}

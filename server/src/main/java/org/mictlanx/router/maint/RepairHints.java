package org.mictlanx.router.maint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.meta.ChunkIdScheme;
import org.mictlanx.router.meta.HybridClock;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.Segment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repair hints kept in the replicated metadata (partition {@link Partitions#REPAIR_HINTS}), so the
 * repairs a router owes survive its death: any router picks them up, not only the one that
 * acknowledged the write. A hint is written when a task enters the {@link RepairQueue}: one per
 * segment for a write that reached fewer than N replicas (written before the put is acknowledged,
 * once per segment), one per chunk and replica for a damaged or missing copy a read found (written
 * in the background, the read does not wait). The in-memory queue still does the work at once;
 * the hint is the durable copy of the debt.
 *
 * <p>Every router sweeps the hints every {@link #SWEEP_MILLIS}, taking hints older than
 * {@link #MIN_AGE_MILLIS} (the writing router's own queue handles fresh ones). Each hint is taken
 * on its own: one whose chunks' placement peers are all up is settled now, even while another peer
 * is down; one that needs a down peer is left (counted {@code deferred}) for a later sweep. A hint
 * for a multipart upload's part names the part too: its segment is owed while the part record (or,
 * once the upload completed, the ball) refers to it. A segment hint is
 * settled when every chunk of the segment is listed by each of its placement peers (missing copies
 * are restored first), a damage hint when the copy named authenticates again (replaced now, or by an earlier repair). A settled
 * hint, or one whose ball no longer refers to the segment, is deleted (a tombstone one version
 * newer, so a hint written again meanwhile wins). Sweeps by several routers may overlap; repair is
 * idempotent.
 */
public final class RepairHints {

    private static final Logger LOG = LoggerFactory.getLogger(RepairHints.class);

    /** Period of the sweep. */
    public static final long SWEEP_MILLIS = 5_000;
    /** Hints younger than this are left to the queue of the router that wrote them. */
    public static final long MIN_AGE_MILLIS = 5_000;
    private static final int PAGE = 500;
    private static final int PARALLELISM = 8;
    private static final int MAX_REMEMBERED = 10_000;

    private final ReplicatedTable table;
    private final Executor executor;
    private final java.time.Clock clock;
    /** Segments this router already wrote a segment hint for (bounded; a repeat write is harmless). */
    private final Map<String, Boolean> hinted = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    final AtomicLong written = new AtomicLong();
    final AtomicLong settled = new AtomicLong();
    private final AtomicLong restored = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong sweeps = new AtomicLong();
    private volatile long pending;
    private volatile long deferred;

    /**
     * Counters of the stored hints as this router sees them: {@code pending}, live hints found by the
     * last sweep (young ones included); {@code deferred}, those of them left because a peer they need
     * was down; {@code written}, hints this router stored; {@code swept}, hints this router settled and
     * deleted; {@code restored}, of those, hints whose segment was still referenced (its chunks were
     * checked and repaired to N replicas, as opposed to void hints of overwritten or deleted balls);
     * {@code failed}, settle attempts that failed or left something owed (the hint stays and is
     * tried again); {@code sweeps}, sweeps run.
     */
    public record Stats(long pending, long deferred, long written, long swept, long restored, long failed, long sweeps) {
    }

    /** The counters (see {@link Stats}). */
    public Stats stats() {
        return new Stats(pending, deferred, written.get(), settled.get(), restored.get(), failed.get(), sweeps.get());
    }

    /** What settling one hint came to. */
    private enum Settle { VOID, PAID, OWED, DEFERRED }

    public RepairHints(ReplicatedTable table, Executor executor, java.time.Clock clock) {
        this.table = table;
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * Persists the hint for a task entering the queue. A write-path task (no bad peer) is written
     * now, by the caller's thread, before the put is acknowledged; a read-path task in the background.
     * A failed write is logged: the task stays in this router's queue, and the next full pass finds
     * what it stood for.
     */
    public void record(RepairTask t) {
        if (t.badPeer() == null) {
            if (hinted.putIfAbsent(t.segment().id(), Boolean.TRUE) != null) return;
            if (hinted.size() > MAX_REMEMBERED) hinted.clear();
            write(t);
        } else {
            try {
                executor.execute(() -> write(t));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down
            }
        }
    }

    private void write(RepairTask t) {
        String sortKey = t.badPeer() == null ? t.segment().id() : t.segment().chunkId(t.index()) + "@" + t.badPeer();
        try {
            table.write(new MetaRecord(Partitions.REPAIR_HINTS, sortKey, table.nextVersion(), false, encode(t.bucket(), t.key(), t.part())));
            written.incrementAndGet();
        } catch (RuntimeException e) {
            if (t.badPeer() == null) hinted.remove(t.segment().id());
            LOG.warn("repair hint for {}/{} segment {} not stored ({}); it stays in this router's queue",
                    t.bucket(), t.key(), t.segment().id(), e.toString());
        }
    }

    /** One sweep (skipped when one is running): settles every hint old enough; returns how many were deleted. */
    public int sweep(RepairService repair) {
        if (!sweeping.compareAndSet(false, true)) return 0;
        int deleted = 0;
        long live = 0;
        AtomicLong waiting = new AtomicLong();
        try {
            String after = null;
            long cutoff = clock.millis() - MIN_AGE_MILLIS;
            while (true) {
                ReplicatedTable.Page page = table.scan(Partitions.REPAIR_HINTS, null, after, PAGE, false);
                List<MetaRecord> due = new ArrayList<>();
                for (MetaRecord r : page.records()) if (HybridClock.millis(r.version()) <= cutoff) due.add(r);
                live += page.records().size();
                int d = settle(due, repair, waiting);
                deleted += d;
                live -= d;
                if (!page.more() || page.records().isEmpty()) break;
                after = page.records().get(page.records().size() - 1).sortKey();
            }
            pending = live;
            deferred = waiting.get();
            sweeps.incrementAndGet();
            return deleted;
        } finally {
            sweeping.set(false);
        }
    }

    private int settle(List<MetaRecord> hints, RepairService repair, AtomicLong waiting) {
        Semaphore slots = new Semaphore(PARALLELISM);
        AtomicLong deleted = new AtomicLong();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (MetaRecord h : hints) {
            slots.acquireUninterruptibly();
            running.add(CompletableFuture.runAsync(() -> {
                try {
                    Settle outcome = settleOne(h, repair);
                    switch (outcome) {
                        case DEFERRED -> waiting.incrementAndGet();
                        case OWED -> failed.incrementAndGet();
                        case VOID, PAID -> {
                            table.write(MetaRecord.tombstone(Partitions.REPAIR_HINTS, h.sortKey(), h.version() + 1));
                            deleted.incrementAndGet();
                            settled.incrementAndGet();
                            if (outcome == Settle.PAID) restored.incrementAndGet();
                        }
                    }
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    LOG.debug("repair hint {} not settled: {}", h.sortKey(), e.toString());
                } finally {
                    slots.release();
                }
            }, executor));
        }
        running.forEach(CompletableFuture::join);
        return (int) deleted.get();
    }

    /**
     * Whether the hint's debt is paid (or void); repairs what it can first. A hint whose chunks need a
     * placement peer that is down is DEFERRED without any chunk call.
     */
    private Settle settleOne(MetaRecord hint, RepairService repair) {
        Named named = decode(hint.value());
        String sortKey = hint.sortKey();
        int at = sortKey.indexOf('@');
        String chunk = at < 0 ? null : sortKey.substring(0, at);
        String segmentId = chunk == null ? sortKey : chunk.substring(0, chunk.indexOf('.'));
        Optional<Segment> segment = repair.owed(named.bucket(), named.key(), named.part(), segmentId);
        if (segment.isEmpty()) return Settle.VOID; // overwritten, deleted or aborted: nothing owed
        Long index = chunk == null ? null : ChunkIdScheme.indexOfChunk(chunk);
        if (!repair.placementUp(segment.get(), index)) return Settle.DEFERRED;
        if (chunk == null) return repair.checkSegment(segment.get()) ? Settle.PAID : Settle.OWED;
        RepairService.Outcome o = repair.repairSuspect(segment.get(), repair.dataKey(segment.get()), index, sortKey.substring(at + 1));
        return switch (o.kind()) {
            case DONE -> Settle.PAID;
            case NO_SOURCE -> Settle.VOID; // nothing left to copy from: counted unrepairable, not restored
            default -> Settle.OWED;
        };
    }

    /** What a hint's value names: the ball, and the multipart part when the segment was written for one (else null). */
    record Named(String bucket, String key, org.mictlanx.router.io.PartRef part) {
    }

    static byte[] encode(String bucket, String key) {
        return encode(bucket, key, null);
    }

    /** bucket, key, then (for a part) the upload id and part number; hints written without them decode with a null part. */
    static byte[] encode(String bucket, String key, org.mictlanx.router.io.PartRef part) {
        byte[] b = bucket.getBytes(StandardCharsets.UTF_8), k = key.getBytes(StandardCharsets.UTF_8);
        byte[] u = part == null ? new byte[0] : part.uploadId().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + b.length + k.length + (part == null ? 0 : 8 + u.length))
                .putInt(b.length).put(b).putInt(k.length).put(k);
        if (part != null) out.putInt(u.length).put(u).putInt(part.partNumber());
        return out.array();
    }

    static Named decode(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        byte[] b = new byte[in.getInt()];
        in.get(b);
        byte[] k = new byte[in.getInt()];
        in.get(k);
        org.mictlanx.router.io.PartRef part = null;
        if (in.remaining() >= 8) {
            byte[] u = new byte[in.getInt()];
            in.get(u);
            part = new org.mictlanx.router.io.PartRef(new String(u, StandardCharsets.UTF_8), in.getInt());
        }
        return new Named(new String(b, StandardCharsets.UTF_8), new String(k, StandardCharsets.UTF_8), part);
    }
}

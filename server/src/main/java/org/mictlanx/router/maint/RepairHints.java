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
import org.mictlanx.router.meta.BallRecord;
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
 * <p>Every router sweeps the hints every {@link #SWEEP_MILLIS} while every peer is up (a hint
 * naming a down peer cannot be settled before it returns), taking hints older than
 * {@link #MIN_AGE_MILLIS} (the writing router's own queue handles fresh ones): a segment hint is
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
            table.write(new MetaRecord(Partitions.REPAIR_HINTS, sortKey, table.nextVersion(), false, encode(t.bucket(), t.key())));
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
        try {
            String after = null;
            long cutoff = clock.millis() - MIN_AGE_MILLIS;
            while (true) {
                ReplicatedTable.Page page = table.scan(Partitions.REPAIR_HINTS, null, after, PAGE, false);
                List<MetaRecord> due = new ArrayList<>();
                for (MetaRecord r : page.records()) if (HybridClock.millis(r.version()) <= cutoff) due.add(r);
                deleted += settle(due, repair);
                if (!page.more() || page.records().isEmpty()) return deleted;
                after = page.records().get(page.records().size() - 1).sortKey();
            }
        } finally {
            sweeping.set(false);
        }
    }

    private int settle(List<MetaRecord> hints, RepairService repair) {
        Semaphore slots = new Semaphore(PARALLELISM);
        AtomicLong deleted = new AtomicLong();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (MetaRecord h : hints) {
            slots.acquireUninterruptibly();
            running.add(CompletableFuture.runAsync(() -> {
                try {
                    if (settleOne(h, repair)) {
                        table.write(MetaRecord.tombstone(Partitions.REPAIR_HINTS, h.sortKey(), h.version() + 1));
                        deleted.incrementAndGet();
                        settled.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    LOG.debug("repair hint {} not settled: {}", h.sortKey(), e.toString());
                } finally {
                    slots.release();
                }
            }, executor));
        }
        running.forEach(CompletableFuture::join);
        return (int) deleted.get();
    }

    /** Whether the hint's debt is paid (or void); repairs what it can first. */
    private boolean settleOne(MetaRecord hint, RepairService repair) {
        String[] bucketKey = decode(hint.value());
        String sortKey = hint.sortKey();
        int at = sortKey.indexOf('@');
        String chunk = at < 0 ? null : sortKey.substring(0, at);
        String segmentId = chunk == null ? sortKey : chunk.substring(0, chunk.indexOf('.'));
        Optional<MetaRecord> ball = table.read(bucketKey[0], bucketKey[1]);
        if (ball.isEmpty() || ball.get().tombstone()) return true;
        Optional<Segment> segment = BallRecord.decode(ball.get().value()).segments().stream()
                .filter(s -> s.id().equals(segmentId)).findFirst();
        if (segment.isEmpty()) return true; // overwritten or deleted: nothing owed
        if (chunk == null) return repair.checkSegment(segment.get());
        long index = ChunkIdScheme.indexOfChunk(chunk);
        RepairService.Outcome o = repair.repairSuspect(segment.get(), repair.dataKey(segment.get()), index, sortKey.substring(at + 1));
        return o.kind() == RepairService.Outcome.Kind.DONE || o.kind() == RepairService.Outcome.Kind.NO_SOURCE;
    }

    static byte[] encode(String bucket, String key) {
        byte[] b = bucket.getBytes(StandardCharsets.UTF_8), k = key.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + b.length + k.length).putInt(b.length).put(b).putInt(k.length).put(k).array();
    }

    static String[] decode(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        byte[] b = new byte[in.getInt()];
        in.get(b);
        byte[] k = new byte[in.getInt()];
        in.get(k);
        return new String[] {new String(b, StandardCharsets.UTF_8), new String(k, StandardCharsets.UTF_8)};
    }
}

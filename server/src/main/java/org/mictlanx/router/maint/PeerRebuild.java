package org.mictlanx.router.maint;

import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.SecretKey;
import org.mictlanx.peer.api.PeerHealth;
import org.mictlanx.peer.api.StoreRebuildStatus;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.io.ChunkCensus;
import org.mictlanx.router.io.ChunkIo;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.Segment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online rebuild of one peer ({@code admin peer rebuild ID}, or automatic when a probe finds the
 * peer reporting a damaged store): when the peer's store is damaged it is first rebuilt by the peer
 * itself ({@link org.mictlanx.peer.api.PeerApi#rebuildStore}: damaged files set aside, what reads
 * salvaged into a fresh store; the peer refuses data calls meanwhile and reports itself not ready),
 * and this router waits for it to come back ready with its new store; then everything the peer
 * should hold is re-replicated onto it from authentic replicas ({@link #refill}):
 * metadata records, the chunks of every ball and of every part of the uploads in progress. One
 * rebuild runs at a time per router; asking again while one runs returns its status. Progress is
 * in {@link Status} (admin stats, metrics).
 */
public final class PeerRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(PeerRebuild.class);

    /** How long the peer's own store rebuild may take before this rebuild fails. */
    static final long STORE_REBUILD_WAIT_MILLIS = 6 * 3_600_000L;
    private static final long POLL_NANOS = 200_000_000L;

    /**
     * A rebuild's state: {@code store-rebuild} (the peer is rebuilding its damaged store), {@code refill}
     * (re-replicating onto it), {@code done} or {@code failed}; {@code storeRebuild}, what the peer's
     * own store rebuild reported (null when its store was not damaged); counters: segments looked at,
     * chunk copies written to the peer, chunks with no authentic replica left, chunk repairs that failed
     * (a later pass or the hints retry them), metadata records compared with the peer's own and, of
     * those, written to it (missing there or older).
     */
    public record Status(String peer, String state, String reason, long startedMillis, long finishedMillis,
                         long segmentsChecked, long chunksRestored, long unrepairable, long failed, long recordsWritten,
                         StoreRebuildStatus storeRebuild, String error, long recordsChecked) {
        public boolean running() {
            return state.equals("store-rebuild") || state.equals("refill");
        }
    }

    /** Counters a running refill updates. */
    public record Progress(LongAdder segmentsChecked, LongAdder chunksRestored, LongAdder unrepairable, LongAdder failed,
                           LongAdder recordsWritten, LongAdder recordsChecked) {
        Progress() {
            this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    private final PeerPool pool;
    private final RepairService repair;
    private final ChunkIo io;
    private final ExecutorService executor;
    private final ChunkCensus census;
    private final SegmentWalk walk;
    private final Clock clock;
    private volatile Status status;
    private volatile Progress progress;
    private volatile String state;
    private volatile StoreRebuildStatus storeRebuild;

    /**
     * @param io       chunk placement
     * @param census   lists what the target holds
     * @param pool     the peers, the target among them
     * @param executor runs the refill's segment checks
     */
    public PeerRebuild(ChunkIo io, ChunkCensus census, PeerPool pool, ExecutorService executor, ReplicatedTable table, RepairService repair,
                       Clock clock) {
        this.pool = pool;
        this.executor = executor;
        this.io = io;
        this.repair = repair;
        this.census = census;
        this.walk = new SegmentWalk(table);
        this.clock = clock;
    }

    /** The running (or last) rebuild with its live counters; null when none ran. */
    public Status status() {
        Status s = status;
        Progress p = progress;
        if (s == null || p == null || !s.running()) return s;
        return new Status(s.peer(), state, s.reason(), s.startedMillis(), 0, p.segmentsChecked().sum(), p.chunksRestored().sum(),
                p.unrepairable().sum(), p.failed().sum(), p.recordsWritten().sum(), storeRebuild, null, p.recordsChecked().sum());
    }

    /**
     * Starts rebuilding {@code peerId} on a thread of its own and returns its status; when a rebuild
     * (of any peer) is running, returns that one's status instead. NO_SUCH_PEER-like BAD_REQUEST for
     * an id outside the layout.
     */
    public synchronized Status start(String peerId, String reason) {
        Status cur = status();
        if (cur != null && cur.running()) return cur;
        PeerNode node = pool.view().nodes().get(peerId);
        if (node == null) throw new RouterException(RouterException.Kind.BAD_REQUEST, "no peer " + peerId + " in the layout");
        progress = new Progress();
        storeRebuild = null;
        state = "refill";
        status = new Status(peerId, state, reason, clock.millis(), 0, 0, 0, 0, 0, 0, null, null, 0);
        LOG.warn("peer {}: online rebuild started ({})", peerId, reason);
        Thread.ofVirtual().name("router-peer-rebuild-" + peerId).start(() -> run(node, reason));
        return status();
    }

    private void run(PeerNode node, String reason) {
        Status begun = status;
        String error = null;
        try {
            PeerHealth h = node.api().health();
            if (h.storeDamaged() || (h.detail() != null && h.detail().contains(PeerHealth.STORE_REBUILDING))) rebuildStore(node, h);
            state = "refill";
            refill(node, progress);
        } catch (RuntimeException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.error("peer {}: online rebuild failed: {}", node.id(), error);
        }
        Progress p = progress;
        status = new Status(node.id(), error == null ? "done" : "failed", reason, begun.startedMillis(), clock.millis(),
                p.segmentsChecked().sum(), p.chunksRestored().sum(), p.unrepairable().sum(), p.failed().sum(), p.recordsWritten().sum(),
                storeRebuild, error, p.recordsChecked().sum());
        if (error == null) {
            LOG.warn("peer {}: online rebuild done: {} records written ({} compared), {} segments checked, {} chunk copies restored, "
                    + "{} unrepairable, {} failed", node.id(), p.recordsWritten().sum(), p.recordsChecked().sum(), p.segmentsChecked().sum(),
                    p.chunksRestored().sum(), p.unrepairable().sum(), p.failed().sum());
        }
    }

    /** Has the peer rebuild its damaged store and waits until it answers ready with the new store. */
    private void rebuildStore(PeerNode node, PeerHealth before) {
        state = "store-rebuild";
        StoreRebuildStatus s = node.api().rebuildStore(false);
        storeRebuild = s;
        long deadline = System.nanoTime() + STORE_REBUILD_WAIT_MILLIS * 1_000_000L;
        while (true) {
            if (System.nanoTime() > deadline) throw new RouterException(RouterException.Kind.QUORUM_FAILED, "the peer's store rebuild did not end");
            LockSupport.parkNanos(POLL_NANOS);
            try {
                PeerHealth h = node.api().health();
                if (h.ready() && !Objects.equals(h.incarnation(), before.incarnation())) break;
                if (h.ready() && !s.running()) break;
            } catch (RuntimeException e) {
                // restarting or busy: ask again
            }
        }
        try {
            storeRebuild = node.api().rebuildStatus();
        } catch (RuntimeException e) {
            // the status is informative only
        }
        if (storeRebuild != null && "failed".equals(storeRebuild.state())) {
            LOG.error("peer {}: its store rebuild failed ({}); the fresh store is refilled", node.id(), storeRebuild.reason());
        }
    }

    /**
     * Re-replicates everything {@code target} should hold (an online peer rebuild): compares each
     * metadata partition it is a replica of with its own listing and writes what it lacks or holds
     * older ({@link MetadataSync#pushTo}: uploads and parts included), then walks every ball and every
     * part of the uploads in progress ({@link SegmentWalk}); for each segment with chunks placed on the
     * target, one listing of the target ({@link ChunkCensus#held}) finds what it lacks and
     * {@link RepairService#repairChunk} copies it there from an authentic replica. Progress goes to
     * {@code progress}; runs beside passes.
     */
    void refill(PeerNode target, Progress progress) {
        MetadataSync.Counts records = repair.pushRecords(target);
        progress.recordsChecked().add(records.checked());
        progress.recordsWritten().add(records.written());
        for (String bucket : repair.buckets()) walk.walk(bucket, segments -> refillSegments(target, segments, progress));
    }

    private void refillSegments(PeerNode target, List<Segment> segments, Progress progress) {
        Semaphore slots = new Semaphore(RepairService.PASS_PARALLELISM);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Segment s : segments) {
            if (s.chunkCount() == 0) continue;
            slots.acquireUninterruptibly();
            running.add(CompletableFuture.runAsync(() -> {
                try {
                    refillSegment(target, s, progress);
                } catch (RuntimeException e) {
                    progress.failed().increment();
                    LOG.debug("refill of segment {} on {} failed: {}", s.id(), target, e.toString());
                } finally {
                    progress.segmentsChecked().increment();
                    slots.release();
                }
            }, executor));
        }
        running.forEach(CompletableFuture::join);
    }

    private void refillSegment(PeerNode target, Segment segment, Progress progress) {
        List<Long> placed = new ArrayList<>();
        for (long i = 0; i < segment.chunkCount(); i++) {
            if (io.placement(segment.chunkId(i), segment.replication()).stream().anyMatch(n -> n.id().equals(target.id()))) placed.add(i);
        }
        if (placed.isEmpty()) return;
        SecretKey key = repair.dataKey(segment);
        BitSet held = census.held(target, segment);
        for (long i : placed) {
            if (held.get((int) i)) continue;
            RepairService.Outcome o = repair.repairChunk(segment, key, i, null);
            if (o.kind() == RepairService.Outcome.Kind.DONE || (o.kind() == RepairService.Outcome.Kind.TARGET_DOWN && !target.id().equals(o.downPeer()))) {
                progress.chunksRestored().increment();
            } else if (o.kind() == RepairService.Outcome.Kind.NO_SOURCE) {
                progress.unrepairable().increment();
            } else {
                progress.failed().increment();
            }
        }
    }
}

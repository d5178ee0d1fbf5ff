package org.mictlanx.router.maint;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.ScrubReport;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.crypto.ChunkCipher;
import org.mictlanx.router.io.ChunkCensus;
import org.mictlanx.router.io.ChunkIo;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.quorum.Fanout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores N healthy replicas of every chunk at its current placement. Two drivers: a worker
 * that drains the {@link RepairQueue} (hinted handoff from writes, damage found by reads), and full
 * passes (periodic and on demand) that walk every bucket's balls. A copy is always taken from a
 * replica that authenticates under the ball's data key, so repair never spreads a bad copy.
 * Copies are rate-limited. A full pass first syncs the metadata partitions onto their current
 * replicas (needed after a layout change).
 */
public final class RepairService {

    private static final Logger LOG = LoggerFactory.getLogger(RepairService.class);

    private final ChunkIo io;
    private final PeerPool pool;
    private final Fanout fanout;
    private final java.util.concurrent.ExecutorService executor;
    private final ChunkCipher cipher;
    private final RepairQueue queue;
    private final ReplicatedTable table;
    private final MaintenanceStats stats;
    private final RateLimiter limiter;
    private final MetadataSync metadataSync;
    private final ChunkCensus census;
    private final SegmentWalk walk;

    /**
     * @param io               chunk placement, reads and data keys
     * @param queue            the targeted repairs {@link #drainQueue} works off
     * @param bytesPerSecond   rate limit of repair copies
     */
    public RepairService(ChunkIo io, PeerPool pool, Fanout fanout, java.util.concurrent.ExecutorService executor,
                         ChunkCipher cipher, ReplicatedTable table, MaintenanceStats stats, RepairQueue queue,
                         long bytesPerSecond) {
        this.io = io;
        this.pool = pool;
        this.fanout = fanout;
        this.executor = executor;
        this.cipher = cipher;
        this.queue = queue;
        this.table = table;
        this.stats = stats;
        this.limiter = new RateLimiter(bytesPerSecond);
        this.metadataSync = new MetadataSync(pool, table, fanout, stats);
        this.walk = new SegmentWalk(table);
        this.census = new ChunkCensus(io, fanout, executor, (n, id) -> {
            stats.wrongSize.incrementAndGet();
            LOG.warn("chunk {} on {}: stored size differs from the record; replaced from an authentic replica", id, n);
        });
    }

    /** What one chunk repair achieved. {@code downPeer}: the placement peer it could not reach (TARGET_DOWN). */
    public record Outcome(Kind kind, String downPeer) {
        public enum Kind {
            /** The chunk has its N replicas at its current placement. */
            DONE,
            /** Every reachable target is fixed; {@code downPeer} could not be reached (or held the only source). */
            TARGET_DOWN,
            /** No authentic replica is left to copy from (counted in {@code unrepairable}). */
            NO_SOURCE,
            /** Something else failed (a copy, a metadata read): retry later. */
            FAILED
        }

        static final Outcome DONE = new Outcome(Kind.DONE, null);
        static final Outcome NO_SOURCE = new Outcome(Kind.NO_SOURCE, null);
        static final Outcome FAILED = new Outcome(Kind.FAILED, null);

        public boolean done() {
            return kind == Kind.DONE;
        }
    }

    /**
     * Runs queued repairs until interrupted. A task is never given up while its ball still refers
     * to the chunk: one waiting for a down peer is parked under it and released when a probe sees
     * the peer up ({@link RepairQueue#release}); other failures retry with back-off (up to 32 s).
     * Only a chunk with no authentic replica left is dropped (counted once in {@code unrepairable};
     * every later read or pass tries it again).
     */
    public void drainQueue() {
        while (!Thread.currentThread().isInterrupted()) {
            RepairTask t;
            try {
                t = queue.poll(1000);
            } catch (InterruptedException e) {
                return;
            }
            if (t == null) continue;
            Outcome o;
            try {
                boolean current = owed(t.bucket(), t.key(), t.part(), t.segment().id()).isPresent();
                o = !current ? Outcome.DONE : t.badPeer() == null
                        ? repairChunk(t.segment(), keyOf(t.segment()), t.index(), null)
                        : repairSuspect(t.segment(), keyOf(t.segment()), t.index(), t.badPeer());
            } catch (RuntimeException e) {
                LOG.debug("queued repair of {}/{} chunk {} failed: {}", t.bucket(), t.key(), t.index(), e.toString());
                o = Outcome.FAILED;
            }
            switch (o.kind()) {
                case DONE, NO_SOURCE -> {
                }
                case TARGET_DOWN -> queue.park(o.downPeer(), t.retry(), t.retryDelayMillis());
                case FAILED -> queue.retryLater(t.retry(), t.retryDelayMillis());
            }
        }
    }

    /**
     * The segment {@code segmentId} while something still refers to it: the ball (bucket, key), or,
     * for a multipart upload's part ({@code part} not null), that part record; empty when neither
     * does (overwritten, deleted, aborted: nothing is owed).
     */
    public Optional<Segment> owed(String bucket, String key, org.mictlanx.router.io.PartRef part, String segmentId) {
        Optional<MetaRecord> ball = table.read(bucket, key);
        if (ball.isPresent() && !ball.get().tombstone()) {
            Optional<Segment> s = BallRecord.decode(ball.get().value()).segments().stream()
                    .filter(x -> x.id().equals(segmentId)).findFirst();
            if (s.isPresent()) return s;
        }
        if (part == null) return Optional.empty();
        Optional<MetaRecord> rec = table.read(org.mictlanx.router.meta.UploadRecord.partsPartition(part.uploadId()),
                org.mictlanx.router.meta.PartRecord.sortKey(part.partNumber()));
        if (rec.isEmpty() || rec.get().tombstone()) return Optional.empty();
        return org.mictlanx.router.meta.PartRecord.decode(rec.get().value()).slices().stream()
                .map(org.mictlanx.router.meta.Slice::segment).filter(x -> x.id().equals(segmentId)).findFirst();
    }

    /**
     * One full pass: optionally scrubs every peer (deleting the corrupt chunks it reports), reconciles
     * every metadata partition onto its replicas ({@link MetadataSync}: uploads and their parts
     * included), then checks every chunk of every ball and of every part of the uploads in progress
     * ({@link SegmentWalk}). Batched: a page of balls (or of an upload's parts) is checked with one chunk
     * listing per segment and placement peer ({@link ChunkCensus#held}), up to {@link #PASS_PARALLELISM}
     * segments at once; only chunks a listed peer lacks go through {@link #repairChunk}. Memory is
     * bounded by one page of records. Synchronized: passes never overlap.
     */
    public synchronized void fullPass(boolean scrub) {
        stats.repairRunning = true;
        try {
            if (scrub) scrubPeers();
            metadataSync.syncAll();
            for (String bucket : metadataSync.buckets()) walk.walk(bucket, this::checkSegments);
            stats.repairPasses.incrementAndGet();
        } finally {
            stats.repairRunning = false;
        }
    }

    /** Syncs every metadata partition onto its current replicas (as a full pass does first). */
    void syncMetadata() {
        metadataSync.syncAll();
    }

    /**
     * Writes onto {@code target} every metadata record it should hold and lacks or holds older
     * ({@link MetadataSync#pushTo}); returns the records compared and written.
     */
    MetadataSync.Counts pushRecords(PeerNode target) {
        return metadataSync.pushTo(target);
    }

    /** Every bucket name. */
    List<String> buckets() {
        return metadataSync.buckets();
    }

    /** Segments a full pass checks at once. */
    static final int PASS_PARALLELISM = 8;

    private void checkSegments(List<Segment> segments) {
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PASS_PARALLELISM);
        List<java.util.concurrent.CompletableFuture<Void>> running = new ArrayList<>();
        for (Segment s : segments) {
            if (s.chunkCount() == 0) continue;
            slots.acquireUninterruptibly();
            running.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    repairSegment(s);
                } catch (RuntimeException e) {
                    LOG.debug("repair of segment {} failed: {}", s.id(), e.toString());
                } finally {
                    slots.release();
                }
            }, executor));
        }
        running.forEach(java.util.concurrent.CompletableFuture::join);
    }

    /**
     * Whether every placement peer of chunk {@code index} of {@code segment} (null: of every chunk)
     * is up, so a repair of it can complete now.
     */
    public boolean placementUp(Segment segment, Long index) {
        if (index != null) return io.placement(segment.chunkId(index), segment.replication()).stream().allMatch(PeerNode::up);
        for (long i = 0; i < segment.chunkCount(); i++) {
            if (!io.placement(segment.chunkId(i), segment.replication()).stream().allMatch(PeerNode::up)) return false;
        }
        return true;
    }

    /** The segment's data key (CHUNK_UNAVAILABLE when it cannot be unwrapped; null for a customer-keyed segment). */
    public SecretKey dataKey(Segment segment) {
        return keyOf(segment);
    }

    /**
     * Checks (and repairs) every chunk of one segment as a full pass does; returns whether each
     * placement peer of each chunk was listed holding it or was given a copy (nothing left owed).
     */
    public boolean checkSegment(Segment segment) {
        return segment.chunkCount() == 0 || repairSegment(segment);
    }

    private boolean repairSegment(Segment segment) {
        SecretKey key;
        try {
            key = keyOf(segment);
        } catch (RuntimeException e) {
            LOG.warn("segment {}: {}", segment.id(), e.getMessage());
            for (long i = 0; i < segment.chunkCount(); i++) stats.unrepairable(segment.chunkId(i));
            return true; // nothing can ever be done for it
        }
        boolean complete = true;
        // which placement peer should hold which chunk, and what each one lists
        Map<PeerNode, List<Long>> expected = new LinkedHashMap<>();
        List<List<PeerNode>> placements = new ArrayList<>();
        for (long i = 0; i < segment.chunkCount(); i++) {
            List<PeerNode> placed = io.placement(segment.chunkId(i), segment.replication());
            placements.add(placed);
            for (PeerNode n : placed) expected.computeIfAbsent(n, k -> new ArrayList<>()).add(i);
        }
        Map<PeerNode, BitSet> held = new java.util.concurrent.ConcurrentHashMap<>();
        List<PeerNode> listable = expected.keySet().stream().filter(n -> n.up() || !recentlyFailed(n)).toList();
        if (!listable.isEmpty()) {
            var res = fanout.call(listable, listable.size(), n -> held.put(n, census.held(n, segment)));
            res.all().join(); // every listing answered or timed out (each bounded by the call timeout)
            res.failures().forEach((n, e) -> {
                if (e instanceof org.mictlanx.router.quorum.Fanout.CallTimeoutException) n.markDown();
            });
        }
        for (long i = 0; i < segment.chunkCount(); i++) {
            int index = (int) i;
            List<PeerNode> placed = placements.get(index);
            boolean lacking = placed.stream().anyMatch(n -> held.containsKey(n) && !held.get(n).get(index));
            boolean unknown = placed.stream().anyMatch(n -> !held.containsKey(n));
            if (!lacking) {
                stats.chunksChecked.incrementAndGet();
                if (!unknown) clearIfAuthentic(segment, key, i);
                else complete = false; // a peer that could not be listed is left to the next pass or its hints
                continue;
            }
            try {
                Outcome o = repairChunk(segment, key, i, null); // a down target is left to the next pass or its hints
                if (o.kind() != Outcome.Kind.DONE && o.kind() != Outcome.Kind.NO_SOURCE) complete = false;
                if (unknown) complete = false;
            } catch (RuntimeException e) {
                complete = false;
                LOG.debug("repair of chunk {} failed: {}", segment.chunkId(i), e.toString());
            }
        }
        return complete;
    }

    /**
     * Ensures every placement peer of chunk {@code index} holds a copy; {@code badPeer}'s copy is
     * treated as damaged and replaced. Targets marked down are not called (a frozen peer would hold
     * the repair for a whole call timeout): the outcome names one, and the others are fixed now.
     */
    public Outcome repairChunk(Segment segment, SecretKey key, long index, String badPeer) {
        stats.chunksChecked.incrementAndGet();
        String id = segment.chunkId(index);
        long sealedSize = ChunkCipher.sealedLength(segment.chunkLength(index));
        List<PeerNode> targets = io.placement(id, segment.replication());
        List<PeerNode> missing = new ArrayList<>();
        String down = null;
        for (PeerNode t : targets) {
            if (!t.up() && recentlyFailed(t)) {
                down = t.id();
                continue;
            }
            if (t.id().equals(badPeer)) {
                missing.add(t);
                continue;
            }
            try {
                Optional<ChunkInfo> info = fanout.callOne(() -> t.call(p -> p.headChunk(id)));
                if (info.isEmpty() || info.get().size() != sealedSize) missing.add(t);
            } catch (RuntimeException e) {
                down = t.id(); // unreachable target: parked until it is seen up
            }
        }
        Outcome rest = down == null ? Outcome.DONE : new Outcome(Outcome.Kind.TARGET_DOWN, down);
        if (missing.isEmpty()) {
            if (rest.done()) clearIfAuthentic(segment, key, index);
            return rest;
        }
        byte[] sealed = fetchVerified(segment, key, index, badPeer);
        if (sealed == null) {
            // a down peer may hold the only good copy: wait for it before calling the chunk lost
            if (!rest.done()) return rest;
            Optional<PeerNode> anyDown = pool.view().nodes().values().stream()
                    .filter(n -> !n.up() && recentlyFailed(n)).findFirst();
            if (anyDown.isPresent()) return new Outcome(Outcome.Kind.TARGET_DOWN, anyDown.get().id());
            if (stats.unrepairable(id)) {
                LOG.error("chunk {} of segment {}: no authentic replica left to repair from (unrepairable; reads of it fail "
                        + "before the first byte from now on)", id, segment.id());
            }
            return Outcome.NO_SOURCE;
        }
        int crc = ChunkIo.crc32c(sealed);
        boolean all = true;
        for (PeerNode t : missing) {
            limiter.acquire(sealed.length);
            try {
                if (t.id().equals(badPeer)) fanout.callOne(() -> t.call(p -> p.deleteChunk(id)));
                fanout.callOne(() -> t.call(p -> {
                    p.putChunk(id, sealed, crc);
                    return true;
                }));
                stats.bytesCopied.addAndGet(sealed.length);
                (t.id().equals(badPeer) ? stats.badReplaced : stats.replicasRestored).incrementAndGet();
            } catch (RuntimeException e) {
                all = false;
                LOG.debug("copy of {} to {} failed: {}", id, t, e.toString());
            }
        }
        if (!all) return Outcome.FAILED;
        if (rest.done()) stats.repaired(id);
        return rest;
    }

    /**
     * A chunk every placement peer lists: no longer counted unrepairable, unless it was, and still no
     * copy authenticates (present everywhere but corrupt everywhere is not repaired).
     */
    private void clearIfAuthentic(Segment ball, SecretKey key, long index) {
        String id = ball.chunkId(index);
        if (stats.isUnrepairable(id) && fetchVerified(ball, key, index, null) == null) return;
        stats.repaired(id);
    }

    /**
     * As {@link #repairChunk} for a copy reported damaged or missing on {@code badPeer}, but that copy is
     * replaced only while it still is: when {@code badPeer} now returns a copy that authenticates (an
     * earlier repair replaced it), only the other placement peers are checked. So a report repeated by
     * several reads, or replayed from a stored hint, never deletes a good copy again.
     */
    public Outcome repairSuspect(Segment segment, SecretKey key, long index, String badPeer) {
        PeerNode n = pool.view().nodes().get(badPeer);
        if (n != null && (n.up() || !recentlyFailed(n))) {
            String id = segment.chunkId(index);
            try {
                byte[] sealed = fanout.callOne(() -> n.call(p -> p.getChunk(id, 0, -1)));
                boolean good = key == null
                        ? sealed.length == ChunkCipher.sealedLength(segment.chunkLength(index))
                        : cipher.decrypt(key, segment.id(), index, sealed).length == segment.chunkLength(index);
                if (good) return repairChunk(segment, key, index, null);
            } catch (AEADBadTagException | RuntimeException e) {
                // still damaged or missing: replace it
            }
        }
        return repairChunk(segment, key, index, badPeer);
    }

    /**
     * Whether a peer marked down failed within the last second: such a target is not called (a frozen
     * peer would hold the repair for a whole call timeout); one that failed longer ago is tried again.
     */
    private static boolean recentlyFailed(PeerNode n) {
        return System.nanoTime() - n.lastFailureNanos() < RECENT_FAILURE_NANOS;
    }

    private static final long RECENT_FAILURE_NANOS = 1_000_000_000L;

    /**
     * The data key repair authenticates the segment's chunks with; null for a segment a customer's
     * key wraps (S3 SSE-C): the store cannot unwrap it, so its replicas are checked by sealed length
     * and the peers' own CRC32C instead (the client's read still authenticates every frame).
     */
    private SecretKey keyOf(Segment segment) {
        return org.mictlanx.router.crypto.SegmentKeys.isCustomer(segment.keyId()) ? null : io.dataKey(segment);
    }

    private byte[] fetchVerified(Segment segment, SecretKey key, long index, String badPeer) {
        String id = segment.chunkId(index);
        for (PeerNode n : io.readCandidates(segment, index)) {
            if (n.id().equals(badPeer) || (!n.up() && recentlyFailed(n))) continue;
            try {
                byte[] sealed = fanout.callOne(() -> n.call(p -> p.getChunk(id, 0, -1)));
                if (key == null) {
                    if (sealed.length == ChunkCipher.sealedLength(segment.chunkLength(index))) return sealed;
                    continue;
                }
                byte[] plain = cipher.decrypt(key, segment.id(), index, sealed);
                if (plain.length == segment.chunkLength(index)) return sealed;
            } catch (AEADBadTagException | RuntimeException e) {
                LOG.debug("repair source {} for {} rejected: {}", n, id, e.toString());
            }
        }
        return null;
    }

    private void scrubPeers() {
        for (PeerNode n : pool.view().nodes().values()) {
            try {
                ScrubReport report = n.call(p -> p.scrub());
                for (String bad : report.corruptIds()) {
                    n.call(p -> p.deleteChunk(bad));
                    LOG.warn("scrub: deleted corrupt chunk {} on {}", bad, n);
                }
            } catch (RuntimeException e) {
                LOG.debug("scrub of {} failed: {}", n, e.toString());
            }
        }
    }
}

package org.mictlanx.router.maint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.ScrubReport;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.crypto.ChunkCipher;
import org.mictlanx.router.io.ChunkIo;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.Segment;
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
    private final ReplicatedTable table;
    private final MaintenanceStats stats;
    private final RateLimiter limiter;
    private final MetadataSync metadataSync;

    public RepairService(ChunkIo io, ReplicatedTable table, MaintenanceStats stats) {
        this.io = io;
        this.table = table;
        this.stats = stats;
        this.limiter = new RateLimiter(io.config().repairBytesPerSecond());
        this.metadataSync = new MetadataSync(io.pool(), table, io.fanout());
    }

    /** Runs queued repairs until interrupted. */
    public void drainQueue() {
        while (!Thread.currentThread().isInterrupted()) {
            RepairTask t;
            try {
                t = io.repairs().poll(1000);
            } catch (InterruptedException e) {
                return;
            }
            if (t == null) continue;
            boolean done;
            try {
                Optional<MetaRecord> cur = table.read(t.bucket(), t.key());
                boolean current = cur.isPresent() && !cur.get().tombstone()
                        && BallRecord.decode(cur.get().value()).segments().stream().anyMatch(s -> s.id().equals(t.segment().id()));
                done = !current || repairChunk(t.segment(), io.dataKey(t.segment()), t.index(), t.badPeer());
            } catch (RuntimeException e) {
                LOG.debug("queued repair of {}/{} chunk {} failed: {}", t.bucket(), t.key(), t.index(), e.toString());
                done = false;
            }
            // A transient failure (a peer slow or briefly down) must not drop the task: a silently
            // corrupt replica is invisible to full passes, which only compare sizes.
            if (!done && t.attempt() + 1 < RepairTask.MAX_ATTEMPTS) {
                RepairTask next = t.retry();
                java.util.concurrent.CompletableFuture.delayedExecutor(t.retryDelayMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        .execute(() -> io.repairs().offer(next));
            }
        }
    }

    /**
     * One full pass: optionally scrubs every peer (deleting the corrupt chunks it reports), syncs
     * metadata, then checks every chunk of every ball. Synchronized: passes never overlap.
     */
    public synchronized void fullPass(boolean scrub) {
        stats.repairRunning = true;
        try {
            if (scrub) scrubPeers();
            metadataSync.syncAll();
            for (String bucket : metadataSync.buckets()) {
                String after = null;
                while (true) {
                    ReplicatedTable.Page page = table.scan(bucket, null, after, 500, false);
                    for (MetaRecord r : page.records()) repairBall(BallRecord.decode(r.value()));
                    if (!page.more() || page.records().isEmpty()) break;
                    after = page.records().get(page.records().size() - 1).sortKey();
                }
            }
            stats.repairPasses.incrementAndGet();
        } finally {
            stats.repairRunning = false;
        }
    }

    private void repairBall(BallRecord record) {
        for (Segment s : record.segments()) repairSegment(s);
    }

    private void repairSegment(Segment ball) {
        SecretKey key;
        try {
            key = io.dataKey(ball);
        } catch (RuntimeException e) {
            LOG.warn("segment {}: {}", ball.id(), e.getMessage());
            stats.unrepairable.incrementAndGet();
            return;
        }
        for (long i = 0; i < ball.chunkCount(); i++) {
            try {
                repairChunk(ball, key, i, null);
            } catch (RuntimeException e) {
                LOG.debug("repair of chunk {} failed: {}", ball.chunkId(i), e.toString());
            }
        }
    }

    /**
     * Ensures every placement peer of chunk {@code index} holds a copy; {@code badPeer}'s copy is
     * treated as damaged and replaced. Returns whether the chunk now has its N replicas.
     */
    public boolean repairChunk(Segment ball, SecretKey key, long index, String badPeer) {
        stats.chunksChecked.incrementAndGet();
        String id = ball.chunkId(index);
        long sealedSize = ChunkCipher.sealedLength(ball.chunkLength(index));
        List<PeerNode> targets = io.placement(id, ball.replication());
        List<PeerNode> missing = new ArrayList<>();
        for (PeerNode t : targets) {
            if (t.id().equals(badPeer)) {
                missing.add(t);
                continue;
            }
            try {
                Optional<ChunkInfo> info = io.fanout().callOne(() -> t.call(p -> p.headChunk(id)));
                if (info.isEmpty() || info.get().size() != sealedSize) missing.add(t);
            } catch (RuntimeException e) {
                return false; // unreachable target: try again on a later pass
            }
        }
        if (missing.isEmpty()) return true;
        byte[] sealed = fetchVerified(ball, key, index, badPeer);
        if (sealed == null) {
            stats.unrepairable.incrementAndGet();
            LOG.warn("chunk {}: no authentic replica left to repair from", id);
            return false;
        }
        int crc = ChunkIo.crc32c(sealed);
        boolean all = true;
        for (PeerNode t : missing) {
            limiter.acquire(sealed.length);
            try {
                if (t.id().equals(badPeer)) io.fanout().callOne(() -> t.call(p -> p.deleteChunk(id)));
                io.fanout().callOne(() -> t.call(p -> {
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
        return all;
    }

    private byte[] fetchVerified(Segment ball, SecretKey key, long index, String badPeer) {
        String id = ball.chunkId(index);
        for (PeerNode n : io.readCandidates(ball, index)) {
            if (n.id().equals(badPeer)) continue;
            try {
                byte[] sealed = io.fanout().callOne(() -> n.call(p -> p.getChunk(id, 0, -1)));
                byte[] plain = io.cipher().decrypt(key, ball.id(), index, sealed);
                if (plain.length == ball.chunkLength(index)) return sealed;
            } catch (AEADBadTagException | RuntimeException e) {
                LOG.debug("repair source {} for {} rejected: {}", n, id, e.toString());
            }
        }
        return null;
    }

    private void scrubPeers() {
        for (PeerNode n : io.pool().view().nodes().values()) {
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

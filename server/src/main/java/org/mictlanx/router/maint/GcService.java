package org.mictlanx.router.maint;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.ChunkPage;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.io.BallService;
import org.mictlanx.router.io.ChunkIo;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.router.meta.ReplicatedTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes chunks nothing refers to. Walks every peer's chunk listing; a chunk of ours is
 * referenced when its ball id's reference record is live and the ball record it names still has
 * that ball id. Unreferenced chunks older than the grace period (their age is in the ball id) are
 * deleted; a referenced chunk on a peer outside its placement is deleted once every placement peer
 * holds it (after rebalancing). Any metadata read that fails keeps the chunk: GC only deletes what
 * it has proven unreferenced.
 */
public final class GcService {

    private static final Logger LOG = LoggerFactory.getLogger(GcService.class);
    private static final int PAGE = 1000;

    private final ChunkIo io;
    private final ReplicatedTable table;
    private final MaintenanceStats stats;
    private final Duration grace;

    public GcService(ChunkIo io, ReplicatedTable table, MaintenanceStats stats, Duration grace) {
        this.io = io;
        this.table = table;
        this.stats = stats;
        this.grace = grace;
    }

    /** One pass over every up peer. Synchronized: passes never overlap. */
    public synchronized void pass() {
        Map<String, Optional<BallRecord>> decisions = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<BallRecord>> e) {
                return size() > 4096;
            }
        };
        long now = System.currentTimeMillis();
        for (PeerNode node : List.copyOf(io.pool().view().nodes().values())) {
            if (!node.up()) continue;
            try {
                sweep(node, decisions, now);
            } catch (RuntimeException e) {
                LOG.debug("GC of {} stopped: {}", node, e.toString());
            }
        }
        stats.gcPasses.incrementAndGet();
    }

    private void sweep(PeerNode node, Map<String, Optional<BallRecord>> decisions, long now) {
        String after = null;
        while (true) {
            String a = after;
            ChunkPage page = io.fanout().callOne(() -> node.call(p -> p.listChunks(a, PAGE)));
            for (String id : page.ids()) {
                String ballId = BallRecord.ballIdOfChunk(id);
                if (ballId == null) continue;
                boolean young = now - BallRecord.ballIdMillis(ballId) < grace.toMillis();
                Optional<BallRecord> ball;
                try {
                    ball = decisions.computeIfAbsent(ballId, this::referencedBall);
                } catch (RuntimeException e) {
                    continue; // metadata unreadable now: keep the chunk
                }
                if (ball.isEmpty()) {
                    if (young) continue; // maybe a put still in progress
                    delete(node, id);
                    stats.gcDeleted.incrementAndGet();
                } else {
                    dropIfMisplaced(node, id, ball.get());
                }
            }
            if (page.nextAfter() == null) return;
            after = page.nextAfter();
        }
    }

    /** The committed ball that owns {@code ballId}, or empty when none does. Throws when undecidable. */
    private Optional<BallRecord> referencedBall(String ballId) {
        Optional<MetaRecord> ref = table.read(Partitions.ref(ballId), ballId);
        if (ref.isEmpty() || ref.get().tombstone()) return Optional.empty();
        String[] bk = BallService.parseRef(ref.get().value());
        Optional<MetaRecord> meta = table.read(bk[0], bk[1]);
        if (meta.isEmpty() || meta.get().tombstone()) return Optional.empty();
        BallRecord ball = BallRecord.decode(meta.get().value());
        return ball.ballId().equals(ballId) ? Optional.of(ball) : Optional.empty();
    }

    private void dropIfMisplaced(PeerNode node, String id, BallRecord ball) {
        long index = BallRecord.indexOfChunk(id);
        if (index < 0 || index >= ball.chunkCount()) {
            delete(node, id);
            stats.gcDeleted.incrementAndGet();
            return;
        }
        List<PeerNode> targets = io.placement(id, ball.replication());
        if (targets.stream().anyMatch(t -> t.id().equals(node.id()))) return;
        long sealedSize = ball.chunkLength(index) + 16L;
        for (PeerNode t : targets) {
            Optional<ChunkInfo> info = io.fanout().callOne(() -> t.call(p -> p.headChunk(id)));
            if (info.isEmpty() || info.get().size() != sealedSize) return; // repair has not finished moving it
        }
        delete(node, id);
        stats.gcMisplaced.incrementAndGet();
    }

    private void delete(PeerNode node, String id) {
        io.fanout().callOne(() -> node.call(p -> p.deleteChunk(id)));
    }
}

package org.mictlanx.router.maint;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.ChunkPage;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.crypto.ChunkCipher;
import org.mictlanx.router.io.ChunkIo;
import org.mictlanx.router.io.MultipartService;
import org.mictlanx.router.io.References;
import org.mictlanx.router.meta.ChunkIdScheme;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.quorum.Fanout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only path that deletes chunks of a segment that was ever visible; it first aborts multipart
 * uploads older than the upload expiry. Walks every peer's chunk listing; a chunk of ours is
 * referenced when its segment has a live reference whose committed referrer (a ball, or an open
 * upload's part) still names the segment ({@link References}). An unreferenced chunk is deleted
 * only once its segment has been unreferenced for the grace period, counted from the release
 * (reference tombstone, or the record that superseded its referrer) or, for a put that never
 * committed, from the segment's creation: a reader that fetched a ball record before an overwrite
 * or delete can finish streaming it. A referenced chunk on a peer outside its placement is deleted
 * once every placement peer holds it (after rebalancing). Any metadata read that fails keeps the
 * chunk: GC only deletes what it has proven unreferenced for long enough.
 */
public final class GcService {

    private static final Logger LOG = LoggerFactory.getLogger(GcService.class);
    private static final int PAGE = 1000;

    private final ChunkIo io;
    private final PeerPool pool;
    private final Fanout fanout;
    private final MaintenanceStats stats;
    private final Duration grace;
    private final References refs;
    private final MultipartService uploads;

    public GcService(ChunkIo io, PeerPool pool, Fanout fanout, MaintenanceStats stats,
                     Duration grace, References refs, MultipartService uploads) {
        this.io = io;
        this.pool = pool;
        this.fanout = fanout;
        this.stats = stats;
        this.grace = grace;
        this.refs = refs;
        this.uploads = uploads;
    }

    /** One pass over every up peer. Synchronized: passes never overlap. */
    public synchronized void pass() {
        try {
            uploads.expire();
        } catch (RuntimeException e) {
            LOG.debug("expiry of abandoned uploads stopped: {}", e.toString());
        }
        Map<String, References.Status> decisions = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, References.Status> e) {
                return size() > 4096;
            }
        };
        long now = refs.now();
        for (PeerNode node : List.copyOf(pool.view().nodes().values())) {
            if (!node.up()) continue;
            try {
                sweep(node, decisions, now);
            } catch (RuntimeException e) {
                LOG.debug("GC of {} stopped: {}", node, e.toString());
            }
        }
        stats.gcPasses.incrementAndGet();
    }

    private void sweep(PeerNode node, Map<String, References.Status> decisions, long now) {
        String after = null;
        while (true) {
            String a = after;
            ChunkPage page = fanout.callOne(() -> node.call(p -> p.listChunks(a, PAGE)));
            for (String id : page.ids()) {
                String segmentId = ChunkIdScheme.segmentIdOfChunk(id);
                if (segmentId == null) continue;
                References.Status status;
                try {
                    status = decisions.computeIfAbsent(segmentId, refs::status);
                } catch (RuntimeException e) {
                    continue; // metadata unreadable now: keep the chunk
                }
                if (!status.referenced()) {
                    if (!status.deletable(now, grace.toMillis())) continue; // a put in progress, or readers in flight
                    delete(node, id);
                    stats.gcDeleted.incrementAndGet();
                } else if (status.segment() != null) {
                    dropIfMisplaced(node, id, status.segment());
                }
            }
            if (page.nextAfter() == null) return;
            after = page.nextAfter();
        }
    }

    private void dropIfMisplaced(PeerNode node, String id, Segment segment) {
        long index = ChunkIdScheme.indexOfChunk(id);
        if (index < 0 || index >= segment.chunkCount()) {
            delete(node, id);
            stats.gcDeleted.incrementAndGet();
            return;
        }
        List<PeerNode> targets = io.placement(id, segment.replication());
        if (targets.stream().anyMatch(t -> t.id().equals(node.id()))) return;
        long sealedSize = ChunkCipher.sealedLength(segment.chunkLength(index));
        for (PeerNode t : targets) {
            Optional<ChunkInfo> info = fanout.callOne(() -> t.call(p -> p.headChunk(id)));
            if (info.isEmpty() || info.get().size() != sealedSize) return; // repair has not finished moving it
        }
        delete(node, id);
        stats.gcMisplaced.incrementAndGet();
    }

    private void delete(PeerNode node, String id) {
        fanout.callOne(() -> node.call(p -> p.deleteChunk(id)));
    }
}

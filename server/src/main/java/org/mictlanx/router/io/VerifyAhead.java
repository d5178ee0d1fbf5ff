package org.mictlanx.router.io;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mictlanx.router.quorum.Fanout;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.meta.Segment;

/**
 * Before a GET's status line, has the placement peers verify the copies of the chunks that follow
 * the prefetch window ({@link org.mictlanx.peer.api.PeerApi#verifyChunks}: each peer reads the copy
 * and checks it against its stored CRC32C, no bytes travel), up to the {@code verify-ahead} budget ({@link org.mictlanx.router.RouterConfig#verifyAheadBytes()}) of the range
 * and {@link org.mictlanx.peer.api.PeerApi#MAX_VERIFY} chunks. A chunk whose every placement copy is
 * absent or damaged fails the GET with CHUNK_UNAVAILABLE before the first byte, and every damaged or
 * absent copy found is queued for repair (so a GET also heals what it only looked at). A peer that
 * is down, fails or does not answer within the deadline leaves its chunks unproven (not reported), and
 * the answer comes as soon as every chunk has an intact copy (a frozen peer costs nothing then).
 * Each chunk is verified on one replica at a time ({@link #lostEverywhere}). What this cannot see: a
 * copy whose stored CRC32C is intact but whose bytes do not authenticate (written wrong, never
 * rotted), and chunks beyond the budget (docs/operations.md, "Bit rot").
 */
final class VerifyAhead {

    /** Bytes of the range after the prefetch window whose chunks are verified before the status line. */

    private final ChunkIo io;
    private final Fanout fanout;
    private final java.util.concurrent.Executor executor;
    private final String bucket;
    private final String key;

    VerifyAhead(ChunkIo io, Fanout fanout, java.util.concurrent.Executor executor, String bucket, String key) {
        this.io = io;
        this.fanout = fanout;
        this.executor = executor;
        this.bucket = bucket;
        this.key = key;
    }

    /**
     * The first chunks of {@code wanted} (per segment, in the order given) that fit the budget: what
     * {@link #lostEverywhere} is asked about.
     */
    static Map<Segment, BitSet> window(Map<String, Segment> segments, Map<String, BitSet> wanted, long budgetBytes) {
        Map<Segment, BitSet> out = new LinkedHashMap<>();
        if (budgetBytes <= 0) return out;
        long bytes = 0;
        int count = 0;
        for (Segment seg : segments.values()) {
            BitSet w = wanted.get(seg.id());
            for (int i = w.nextSetBit(0); i >= 0; i = w.nextSetBit(i + 1)) {
                if (bytes >= budgetBytes || count >= org.mictlanx.peer.api.PeerApi.MAX_VERIFY) return out;
                out.computeIfAbsent(seg, k -> new BitSet()).set(i);
                bytes += seg.chunkLength(i);
                count++;
            }
        }
        return out;
    }

    /** One peer's verification of {@code ids}: those it reported bad, or null when it failed. */
    private record Reply(PeerNode node, List<String> ids, Set<String> bad) {
    }

    /** How long one round waits before the chunks still unproven are asked of their next replica. */
    static final long ROUND_NANOS = ChunkIo.HEDGE_MAX_NANOS;

    /**
     * The id of a chunk among {@code chunks} whose every placement copy a peer reported absent or
     * damaged, or null. Each chunk is verified by one replica at a time, best-scored first (the one a
     * read asks first, whose page cache the read then finds warm): only a chunk reported bad, or whose
     * replica failed or has not answered within {@link #ROUND_NANOS}, is asked of its next replica. So
     * a healthy GET costs one extra read per verified chunk, and a frozen peer at most a round. Waits
     * until {@code deadlineNanos} ({@link System#nanoTime}) at most.
     */
    String lostEverywhere(Map<Segment, BitSet> chunks, long deadlineNanos) {
        Map<String, List<PeerNode>> order = new LinkedHashMap<>();
        Map<String, Segment> segmentOf = new HashMap<>();
        Map<String, Integer> indexOf = new HashMap<>();
        chunks.forEach((seg, w) -> {
            for (int i = w.nextSetBit(0); i >= 0; i = w.nextSetBit(i + 1)) {
                String id = seg.chunkId(i);
                List<PeerNode> placed = new ArrayList<>(io.placement(id, seg.replication()));
                placed.sort(java.util.Comparator.comparingDouble(PeerNode::score));
                order.put(id, placed);
                segmentOf.put(id, seg);
                indexOf.put(id, i);
            }
        });
        Map<String, Set<PeerNode>> asked = new HashMap<>();
        Map<String, Set<PeerNode>> badAt = new HashMap<>();
        Set<String> intact = new HashSet<>();
        LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
        int running = 0;
        try {
            while (intact.size() < order.size() && System.nanoTime() < deadlineNanos) {
                Map<PeerNode, List<String>> round = new LinkedHashMap<>();
                for (Map.Entry<String, List<PeerNode>> e : order.entrySet()) {
                    String id = e.getKey();
                    if (intact.contains(id)) continue;
                    Set<PeerNode> tried = asked.computeIfAbsent(id, k -> new HashSet<>()); // unanswered ones are hedged
                    e.getValue().stream().filter(n -> n.up() && !tried.contains(n)).findFirst().ifPresent(n -> {
                        tried.add(n);
                        round.computeIfAbsent(n, k -> new ArrayList<>()).add(id);
                    });
                }
                if (round.isEmpty() && running == 0) break; // every replica asked and answered
                for (Map.Entry<PeerNode, List<String>> r : round.entrySet()) {
                    running++;
                    PeerNode n = r.getKey();
                    List<String> ids = r.getValue();
                    CompletableFuture.runAsync(() -> {
                        Set<String> bad;
                        try {
                            bad = Set.copyOf(fanout.callOne(() -> n.call(p -> p.verifyChunks(ids))));
                        } catch (RuntimeException ex) {
                            bad = null;
                        }
                        replies.add(new Reply(n, ids, bad));
                    }, executor);
                }
                long roundEnd = Math.min(deadlineNanos, System.nanoTime() + ROUND_NANOS);
                boolean more = false;
                Set<PeerNode> silent = new HashSet<>(round.keySet());
                for (Reply r; (r = replies.poll(Math.max(0, roundEnd - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
                    running--;
                    silent.remove(r.node());
                    if (r.bad() == null) {
                        more = true;
                    } else {
                        for (String id : r.ids()) {
                            if (!r.bad().contains(id)) intact.add(id);
                            else {
                                badAt.computeIfAbsent(id, k -> new HashSet<>()).add(r.node());
                                more = true;
                            }
                        }
                    }
                    if (intact.size() == order.size() || (more && replies.isEmpty())) break;
                }
                // a replica that let the round pass ranks after faster ones for later reads and verifications
                if (intact.size() < order.size() && System.nanoTime() >= roundEnd) silent.forEach(n -> n.penalize(4 * ROUND_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String lost = null;
        for (Map.Entry<String, List<PeerNode>> e : order.entrySet()) {
            String id = e.getKey();
            Set<PeerNode> bad = badAt.getOrDefault(id, Set.of());
            for (PeerNode n : bad) io.reportDamaged(bucket, key, segmentOf.get(id), indexOf.get(id), n.id());
            if (lost == null && !intact.contains(id) && !e.getValue().isEmpty() && bad.containsAll(e.getValue())) lost = id;
        }
        return lost;
    }
}

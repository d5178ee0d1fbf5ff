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
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.meta.Segment;

/**
 * Before a GET's status line, has the placement peers verify the copies of the chunks that follow
 * the prefetch window ({@link org.mictlanx.peer.api.PeerApi#verifyChunks}: each peer reads the copy
 * and checks it against its stored CRC32C, no bytes travel), up to {@link #BUDGET_BYTES} of the range
 * and {@link org.mictlanx.peer.api.PeerApi#MAX_VERIFY} chunks. A chunk whose every placement copy is
 * absent or damaged fails the GET with CHUNK_UNAVAILABLE before the first byte, and every damaged or
 * absent copy found is queued for repair (so a GET also heals what it only looked at). A peer that
 * is down, fails or does not answer within the deadline leaves its chunks unproven (not reported), and
 * the answer comes as soon as every chunk has an intact copy (a frozen peer costs nothing then).
 * What this cannot see: a copy whose stored CRC32C is intact but whose bytes do not authenticate
 * (written wrong, never rotted), and chunks beyond the budget (docs/operations.md, "Bit rot").
 */
final class VerifyAhead {

    /** Bytes of the range after the prefetch window whose chunks are verified before the status line. */
    static final long BUDGET_BYTES = 64L << 20;

    private final ChunkIo io;
    private final String bucket;
    private final String key;

    VerifyAhead(ChunkIo io, String bucket, String key) {
        this.io = io;
        this.bucket = bucket;
        this.key = key;
    }

    /**
     * The first chunks of {@code wanted} (per segment, in the order given) that fit the budget: what
     * {@link #lostEverywhere} is asked about.
     */
    static Map<Segment, BitSet> window(Map<String, Segment> segments, Map<String, BitSet> wanted) {
        Map<Segment, BitSet> out = new LinkedHashMap<>();
        long bytes = 0;
        int count = 0;
        for (Segment seg : segments.values()) {
            BitSet w = wanted.get(seg.id());
            for (int i = w.nextSetBit(0); i >= 0; i = w.nextSetBit(i + 1)) {
                if (bytes >= BUDGET_BYTES || count >= org.mictlanx.peer.api.PeerApi.MAX_VERIFY) return out;
                out.computeIfAbsent(seg, k -> new BitSet()).set(i);
                bytes += seg.chunkLength(i);
                count++;
            }
        }
        return out;
    }

    /** One peer's verification: the ids it reported bad, or null when it failed. */
    private record Reply(PeerNode node, Set<String> bad) {
    }

    /**
     * The id of a chunk among {@code chunks} whose every placement copy a peer reported absent or
     * damaged, or null. Answers as soon as every chunk has a copy some peer reported intact (a slow or
     * frozen peer is not waited for then); otherwise waits for the verifications until
     * {@code deadlineNanos} ({@link System#nanoTime}).
     */
    String lostEverywhere(Map<Segment, BitSet> chunks, long deadlineNanos) {
        Map<PeerNode, List<String>> perPeer = new LinkedHashMap<>();
        Map<String, List<PeerNode>> placements = new LinkedHashMap<>();
        Map<String, Segment> segmentOf = new HashMap<>();
        Map<String, Integer> indexOf = new HashMap<>();
        chunks.forEach((seg, w) -> {
            for (int i = w.nextSetBit(0); i >= 0; i = w.nextSetBit(i + 1)) {
                String id = seg.chunkId(i);
                List<PeerNode> placed = io.placement(id, seg.replication());
                placements.put(id, placed);
                segmentOf.put(id, seg);
                indexOf.put(id, i);
                for (PeerNode n : placed) perPeer.computeIfAbsent(n, k -> new ArrayList<>()).add(id);
            }
        });
        LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        perPeer.forEach((n, ids) -> {
            if (!n.up()) return;
            calls.add(CompletableFuture.runAsync(() -> {
                Set<String> bad;
                try {
                    bad = Set.copyOf(io.fanout().callOne(() -> n.call(p -> p.verifyChunks(ids))));
                } catch (RuntimeException e) {
                    bad = null;
                }
                replies.add(new Reply(n, bad));
            }, io.executor()));
        });
        Map<PeerNode, Set<String>> answered = new HashMap<>();
        Set<String> intact = new HashSet<>();
        try {
            for (int got = 0; got < calls.size() && intact.size() < placements.size(); got++) {
                Reply r = replies.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null) break;
                if (r.bad() == null) continue;
                answered.put(r.node(), r.bad());
                for (String id : perPeer.get(r.node())) if (!r.bad().contains(id)) intact.add(id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.forEach(c -> c.cancel(true));
        String lost = null;
        for (Map.Entry<String, List<PeerNode>> e : placements.entrySet()) {
            String id = e.getKey();
            for (PeerNode n : e.getValue()) {
                if (answered.getOrDefault(n, Set.of()).contains(id)) {
                    io.repairs().chunkNeedsRepair(bucket, key, segmentOf.get(id), indexOf.get(id), n.id());
                }
            }
            if (lost == null && !intact.contains(id) && !e.getValue().isEmpty() && e.getValue().stream().allMatch(answered::containsKey)) {
                lost = id;
            }
        }
        return lost;
    }
}

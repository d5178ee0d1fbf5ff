package org.mictlanx.router.io;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mictlanx.peer.api.ChunkPage;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.quorum.Fanout;

/**
 * Which chunks of a segment its placement peers hold, found with one listing per peer instead of
 * one call per chunk: a segment's chunk ids ({@code <segment id>.<index>}, segment ids without dots)
 * are contiguous in a peer's sorted chunk listing, so listing after {@code "<segment id>."} returns
 * exactly that segment's chunks, in pages of at most {@link #PAGE}. Memory is bounded by the
 * segment's chunk count (one bit per chunk per peer). Sizes are compared: when the listing gives each
 * copy's stored size (peers read it from their chunk metadata, no bytes), a copy whose size is not
 * the sealed length the segment record implies is damage and counts as not held (the listener is
 * told, repair replaces it). The peers' stored CRC32C has nothing in the record to be compared with
 * (chunks are authenticated by their AEAD tag when read); the scrub checks it.
 */
public final class ChunkCensus {

    /** Ids per listing call (the peers' own cap). */
    public static final int PAGE = 1000;

    private final ChunkIo chunks;
    private final Fanout fanout;
    private final Executor executor;
    private final java.util.function.BiConsumer<PeerNode, String> wrongSize;

    /** {@code chunks}: the placement; {@code fanout} runs the listing calls; {@code executor} lists the peers in parallel. */
    public ChunkCensus(ChunkIo chunks, Fanout fanout, Executor executor) {
        this(chunks, fanout, executor, (n, id) -> { });
    }

    /** As above; {@code wrongSize}: told of each listed copy whose size does not match the record (peer, chunk id). */
    public ChunkCensus(ChunkIo chunks, Fanout fanout, Executor executor,
                       java.util.function.BiConsumer<PeerNode, String> wrongSize) {
        this.chunks = chunks;
        this.fanout = fanout;
        this.executor = executor;
        this.wrongSize = wrongSize;
    }

    /** Indexes of {@code segment}'s chunks that {@code node} holds; throws when the peer cannot be listed. */
    public BitSet held(PeerNode node, Segment segment) {
        String prefix = segment.id() + ".";
        long count = segment.chunkCount();
        BitSet out = new BitSet((int) Math.min(count, Integer.MAX_VALUE));
        String after = prefix;
        long seen = 0;
        while (seen <= count) {
            String a = after;
            int limit = (int) Math.min(PAGE, count - seen + 1);
            ChunkPage page = fanout.callOne(() -> node.call(p -> p.listChunks(a, limit)));
            for (int at = 0; at < page.ids().size(); at++) {
                String id = page.ids().get(at);
                if (!id.startsWith(prefix)) return out;
                try {
                    long index = Long.parseLong(id.substring(prefix.length()));
                    if (index >= 0 && index < count) {
                        if (!page.sizes().isEmpty()
                                && page.sizes().get(at) != org.mictlanx.router.crypto.ChunkCipher.sealedLength(segment.chunkLength(index))) {
                            wrongSize.accept(node, id);
                        } else {
                            out.set((int) index);
                        }
                    }
                } catch (NumberFormatException e) {
                    // not one of this segment's chunks
                }
                seen++;
            }
            if (page.nextAfter() == null || page.ids().isEmpty()) return out;
            after = page.ids().get(page.ids().size() - 1);
        }
        return out;
    }

    /**
     * The chunk indexes among {@code wanted} that no peer holds, as far as can be proven within
     * {@code deadlineMillis}: the placement peers of the wanted chunks are listed in parallel, and
     * the answer comes as soon as every wanted chunk was listed by some peer (a slow or frozen peer
     * is not waited for then). A chunk counts as lost only when every one of its placement peers
     * answered without it; peers marked down, failing or too slow leave their chunks unproven
     * (not reported). Copies outside the placement (a layout change in progress) are not looked for.
     */
    public BitSet lost(Segment segment, BitSet wanted, long deadlineMillis) {
        Map<PeerNode, BitSet> expected = new LinkedHashMap<>();
        Map<Integer, List<PeerNode>> placements = new HashMap<>();
        for (int i = wanted.nextSetBit(0); i >= 0; i = wanted.nextSetBit(i + 1)) {
            List<PeerNode> placed = chunks.placement(segment.chunkId(i), segment.replication());
            placements.put(i, placed);
            for (PeerNode n : placed) expected.computeIfAbsent(n, k -> new BitSet()).set(i);
        }
        record Reply(PeerNode node, BitSet held) {
        }
        LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        int asked = 0;
        for (PeerNode n : expected.keySet()) {
            if (!n.up()) continue;
            asked++;
            calls.add(CompletableFuture.runAsync(() -> {
                BitSet h;
                try {
                    h = held(n, segment);
                } catch (RuntimeException e) {
                    h = null;
                }
                replies.add(new Reply(n, h));
            }, executor));
        }
        BitSet found = new BitSet();
        Map<PeerNode, BitSet> answered = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        try {
            for (int got = 0; got < asked; got++) {
                BitSet missingYet = (BitSet) wanted.clone();
                missingYet.andNot(found);
                if (missingYet.isEmpty()) break;
                Reply r = replies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null) break;
                if (r.held() == null) continue;
                answered.put(r.node(), r.held());
                found.or(r.held());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.forEach(c -> c.cancel(true));
        BitSet lost = new BitSet();
        for (int i = wanted.nextSetBit(0); i >= 0; i = wanted.nextSetBit(i + 1)) {
            if (found.get(i)) continue;
            if (placements.get(i).stream().allMatch(answered::containsKey)) lost.set(i);
        }
        return lost;
    }
}

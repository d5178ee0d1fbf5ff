package org.mictlanx.router.io;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.peer.api.ChunkBuffer;
import org.mictlanx.router.crypto.ChunkCipher;
import org.mictlanx.router.crypto.SegmentKeys;
import org.mictlanx.router.meta.ChunkIdScheme;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.quorum.Fanout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunk-level operations shared by the write, read, repair and GC paths: quorum writes of sealed
 * chunks to their placement, authenticated reads with failover, and releases. It hands out none of
 * the parts it is built with (checked by {@code DependencyRulesTest}): whoever needs the cipher, the
 * executor or the settings is given them by constructor ({@code RouterWiring}).
 */
public final class ChunkIo {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkIo.class);

    private final PeerPool pool;
    private final Fanout fanout;
    private final ExecutorService executor;
    private final ChunkCipher cipher;
    private final SegmentKeys segmentKeys;
    private final RepairReports repairs;
    private final Predicate<String> unrepairable;

    /**
     * @param pool         the peers chunks are placed on
     * @param fanout       runs the peer calls (quorum writes, single reads)
     * @param executor     runs the quorum writes and the hedged read attempts
     * @param cipher       seals and opens chunks
     * @param segmentKeys  unwraps segments' data keys ({@link #dataKey})
     * @param repairs      told of replicas a read found missing or damaged
     * @param unrepairable chunk ids repair found no authentic replica of ({@link #unrepairable})
     */
    public ChunkIo(PeerPool pool, Fanout fanout, ExecutorService executor, ChunkCipher cipher, SegmentKeys segmentKeys,
                   RepairReports repairs, Predicate<String> unrepairable) {
        this.pool = pool;
        this.fanout = fanout;
        this.executor = executor;
        this.cipher = cipher;
        this.segmentKeys = segmentKeys;
        this.repairs = repairs;
        this.unrepairable = unrepairable;
    }

    /**
     * Whether repair found no authentic replica of chunk {@code id} left (and has not repaired it
     * since): a read of it fails before the first byte ({@code BallReader#prime}).
     */
    public boolean unrepairable(String id) {
        return unrepairable.test(id);
    }

    /** The current placement of a chunk. */
    public List<PeerNode> placement(String chunkId, int n) {
        return pool.view().place(chunkId, n);
    }

    /**
     * Starts writing a sealed chunk to its N placement peers; the future completes once the
     * write quorum decided (successfully or not). Stragglers continue; see {@link Fanout.Result#all()}.
     */
    public CompletableFuture<Fanout.Result<PeerNode, Boolean>> write(String chunkId, byte[] sealed, int n, int w) {
        List<PeerNode> targets = placement(chunkId, n);
        int crc = crc32c(sealed);
        return CompletableFuture.supplyAsync(() -> {
            if (targets.size() < w) {
                return fanout.call(targets, Math.max(1, Math.min(w, targets.size())), node -> {
                    throw new PeerException(PeerException.Kind.UNAVAILABLE, "not enough peers");
                });
            }
            return fanout.call(targets, w, node -> PeerNode.guarded(node, targets, w,
                    () -> node.call(p -> {
                        p.putChunk(chunkId, sealed, crc);
                        return true;
                    })));
        }, executor);
    }

    /**
     * The segment's data key; CHUNK_UNAVAILABLE when its master key is unknown, the wrap is damaged,
     * or a customer's key wraps it (such segments are read through {@code BallStore#rewrap}).
     */
    public SecretKey dataKey(Segment segment) {
        try {
            return segmentKeys.unwrap(segment.id(), segment.keyId(), segment.wrappedKey(), null);
        } catch (AEADBadTagException | IllegalStateException e) {
            throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE,
                    "cannot unwrap the data key of segment " + segment.id() + ": " + e.getMessage(), null, e);
        }
    }

    /** Candidates for reading a chunk: its placement best-first, then every other peer best-first. */
    public List<PeerNode> readCandidates(Segment segment, long index) {
        PeerPool.View view = pool.view();
        List<PeerNode> placed = new ArrayList<>(view.place(segment.chunkId(index), segment.replication()));
        placed.sort(java.util.Comparator.comparingDouble(PeerNode::score));
        LinkedHashSet<PeerNode> all = new LinkedHashSet<>(placed);
        all.addAll(view.allByScore());
        return new ArrayList<>(all);
    }

    /** The plaintext of an inline segment; CHUNK_UNAVAILABLE when it fails authentication. */
    public byte[] openInline(Segment segment, SecretKey dataKey) {
        try {
            byte[] plain = cipher.decrypt(dataKey, segment.id(), 0, segment.inline());
            if (plain.length != segment.size()) throw new AEADBadTagException("wrong inline length");
            return plain;
        } catch (AEADBadTagException e) {
            throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE,
                    "inline data of segment " + segment.id() + " failed authentication", null, e);
        }
    }

    /**
     * A chunk read from one replica and authenticated by decryption: {@code plain} (position to limit) is
     * the caller's to give back ({@link ChunkBuffer#close}) once nothing reads it any more.
     */
    public record Fetched(PeerNode from, ChunkBuffer plain) {
    }

    /** Bounds of the hedge delay: a replica's recent read p95, clamped (see {@link #fetch}). */
    public static final long HEDGE_MIN_NANOS = 10_000_000L, HEDGE_MAX_NANOS = 250_000_000L;

    /** One read attempt's outcome: {@code plain} on success, else {@code error}. */
    private record Attempt(PeerNode node, ChunkBuffer plain, Throwable error) {
    }

    /** Gives back the chunks of the attempts left in {@code replies} (those nobody will take). */
    private static void giveBackLeftovers(java.util.concurrent.BlockingQueue<Attempt> replies) {
        for (Attempt a; (a = replies.poll()) != null; ) {
            if (a.plain() != null) a.plain().close();
        }
    }

    /**
     * Reads chunk {@code index}, best replica first, with hedging: when the replica asked last has
     * not answered within its hedge delay (the p95 of its recent chunk reads, clamped to
     * [{@link #HEDGE_MIN_NANOS}, {@link #HEDGE_MAX_NANOS}]), the next candidate is asked too, and
     * a failure asks the next one at once; the first reply that authenticates wins (the others finish
     * in the background, each bounded by the call timeout, and are ignored). So a frozen peer costs
     * a read at most the hedge delay. Replicas of the placement that fail (missing, corrupt, tag
     * mismatch) are queued for repair. Throws CHUNK_UNAVAILABLE when none succeeds. Chunks read by the
     * attempts that did not win are given back (see {@link #giveBackLeftovers}).
     */
    public Fetched fetch(String bucket, String key, Segment segment, SecretKey dataKey, long index) {
        return fetch(bucket, key, segment, dataKey, index, 0, Integer.MAX_VALUE);
    }

    /**
     * As {@link #fetch(String, String, Segment, SecretKey, long)} for a read of plaintext bytes {@code [from, to)}
     * of the chunk only: just the GCM frames holding them are authenticated and decrypted
     * ({@link ChunkCipher#decryptInPlace(SecretKey, String, long, java.nio.ByteBuffer, int, int)}); the rest of
     * the returned buffer must not be served. The peer still verifies the whole stored chunk (CRC32C).
     */
    public Fetched fetch(String bucket, String key, Segment segment, SecretKey dataKey, long index, int from, int to) {
        String id = segment.chunkId(index);
        List<PeerNode> candidates = readCandidates(segment, index);
        java.util.concurrent.LinkedBlockingQueue<Attempt> replies = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            return fetchFrom(bucket, key, segment, dataKey, index, new int[]{from, to}, id, candidates, replies, over);
        } finally {
            over.set(true);
            giveBackLeftovers(replies);
        }
    }

    private Fetched fetchFrom(String bucket, String key, Segment segment, SecretKey dataKey, long index, int[] range, String id,
                              List<PeerNode> candidates, java.util.concurrent.BlockingQueue<Attempt> replies,
                              java.util.concurrent.atomic.AtomicBoolean over) {
        List<String> placed = placement(id, segment.replication()).stream().map(PeerNode::id).toList();
        StringBuilder errors = new StringBuilder();
        if (!candidates.isEmpty()) {
            PeerNode last = candidates.get(0);
            start(last, id, segment, dataKey, index, range, replies, over);
            int next = 1, running = 1;
            try {
                while (running > 0) {
                    long delay = last.readP95Nanos(HEDGE_MIN_NANOS, HEDGE_MAX_NANOS);
                    Attempt a = next < candidates.size()
                            ? replies.poll(delay, java.util.concurrent.TimeUnit.NANOSECONDS)
                            : replies.take();
                    if (a == null) { // the replica asked last is slow: hedge to the next one
                        last.penalize(4 * delay);
                        last = candidates.get(next++);
                        start(last, id, segment, dataKey, index, range, replies, over);
                        running++;
                        continue;
                    }
                    running--;
                    if (a.plain() != null) return new Fetched(a.node(), a.plain());
                    failed(bucket, key, segment, index, id, placed, a, errors);
                    if (next < candidates.size()) { // a failure asks the next candidate at once
                        last = candidates.get(next++);
                        start(last, id, segment, dataKey, index, range, replies, over);
                        running++;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE,
                "no replica of chunk " + id + " could be read: " + errors);
    }

    /**
     * Asks one replica for the chunk in the background; the outcome goes to {@code replies}, or, once the
     * fetch is {@code over}, its chunk is given back.
     */
    private void start(PeerNode node, String id, Segment segment, SecretKey dataKey, long index, int[] range,
                       java.util.concurrent.BlockingQueue<Attempt> replies, java.util.concurrent.atomic.AtomicBoolean over) {
        try {
            executor.execute(() -> {
                long t0 = System.nanoTime();
                Attempt outcome;
                try {
                    ChunkBuffer sealed = fanout.callOne(() -> node.call(p -> p.getChunkBuffer(id)), ChunkBuffer::close);
                    node.recordRead(System.nanoTime() - t0);
                    try {
                        // the buffer is ours (ChunkBuffer's contract): decrypted where it lies, no second chunk-sized buffer
                        int plain = cipher.decryptInPlace(dataKey, segment.id(), index, sealed.buffer(), range[0], range[1]);
                        if (plain != segment.chunkLength(index)) throw new AEADBadTagException("wrong chunk length");
                    } catch (Throwable e) {
                        sealed.close(); // garbage now: never served
                        throw e;
                    }
                    outcome = new Attempt(node, sealed, null);
                } catch (Throwable e) {
                    outcome = new Attempt(node, null, e);
                }
                replies.add(outcome);
                if (over.get()) giveBackLeftovers(replies);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            replies.add(new Attempt(node, null, e));
        }
    }

    private void failed(String bucket, String key, Segment segment, long index, String id, List<String> placed, Attempt a,
                        StringBuilder errors) {
        PeerNode node = a.node();
        Throwable t = a.error();
        if (t instanceof AEADBadTagException) {
            LOG.warn("chunk {} on {} failed authentication; queued for repair", id, node);
            repairs.chunkNeedsRepair(bucket, key, segment, index, node.id());
            errors.append(node).append(": tag mismatch; ");
        } else if (t instanceof PeerException e) {
            boolean expected = placed.contains(node.id());
            if (expected && (e.kind() == PeerException.Kind.CORRUPT || e.kind() == PeerException.Kind.NOT_FOUND)) {
                repairs.chunkNeedsRepair(bucket, key, segment, index, node.id());
            }
            if (!expected && e.kind() == PeerException.Kind.NOT_FOUND) return;
            errors.append(node).append(": ").append(e.kind()).append("; ");
        } else if (t instanceof Fanout.CallTimeoutException) {
            node.markDown();
            errors.append(node).append(": timeout; ");
        } else {
            errors.append(node).append(": ").append(t).append("; ");
        }
    }

    /** Tells repair that {@code peerId}'s copy of chunk {@code index} of {@code segment} is missing or damaged. */
    public void reportDamaged(String bucket, String key, Segment segment, long index, String peerId) {
        repairs.chunkNeedsRepair(bucket, key, segment, index, peerId);
    }

    /** Tells repair (and its counters) that a GET of {@code bucket/key} was cut after its status line at {@code chunkId}. */
    public void reportCut(String bucket, String key, String chunkId) {
        repairs.getCut(bucket, key, chunkId);
    }

    /**
     * Deletes chunks {@code [0, count)} of a segment from their placement peers. Copies elsewhere
     * (a failed delete, a layout change) are left to GC, which deletes unreferenced chunks.
     */
    public void release(String segmentId, long count, int replication) {
        for (long i = 0; i < count; i++) {
            String id = ChunkIdScheme.chunkId(segmentId, i);
            for (PeerNode node : placement(id, replication)) {
                if (!node.up()) continue;
                try {
                    fanout.callOne(() -> node.call(p -> p.deleteChunk(id)));
                } catch (RuntimeException e) {
                    LOG.debug("release of {} on {} failed (GC will retry): {}", id, node, e.toString());
                }
            }
        }
    }

    public static int crc32c(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b, 0, b.length);
        return (int) c.getValue();
    }
}

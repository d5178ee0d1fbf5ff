package org.mictlanx.router.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.SecretKey;
import org.mictlanx.router.Digest;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.crypto.ChunkCipher;
import org.mictlanx.router.digest.DigestComputer;
import org.mictlanx.router.meta.ChunkIdScheme;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.quorum.Fanout;

/**
 * Streams one ball body into encrypted chunks. Reads one chunk of plaintext at a time into a
 * reused buffer, feeds the digests, seals it, and starts its quorum write; at most
 * {@code inFlightChunks} chunks await their quorum at once, so memory stays
 * {@code chunkSize * (inFlightChunks + 1)} whatever the ball size. Every byte of that is reserved from
 * the router's {@link BufferBudget} before it is allocated (the buffer grows only as body bytes arrive;
 * a sealed chunk is held until all its replica writes finish), so a spent budget makes a put fail with
 * {@link BufferBudget.Exhausted} instead of growing the heap. Replicas that missed a chunk are
 * remembered and, once the ball is committed ({@link #committed}), handed to repair.
 */
public final class BallWriter {

    /** What was written: total size, digests over the plaintext, and chunk count. */
    public record Written(long size, Map<Digest, byte[]> digests, long chunks) {
    }

    private final ChunkIo chunks;
    private final ChunkCipher cipher;
    private final BufferBudget budget;
    private final RepairReports repairs;
    private final Executor executor;
    private final int chunkSize;
    private final int inFlightChunks;
    private final String segmentId;
    private final SecretKey dataKey;
    private final int n;
    private final int w;
    private final Set<Long> underReplicated = new ConcurrentSkipListSet<>();
    private final AtomicReference<Committed> committed = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    private long chunksStarted;
    /** Per started chunk: completes once every replica write of it has finished (any outcome). */
    private final java.util.Queue<CompletableFuture<Void>> settled = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private record Committed(String bucket, String key, Segment segment, PartRef part) {
    }

    /**
     * A writer of segment {@code segmentId}'s chunks, sealed under {@code dataKey}, to {@code n} peers each with
     * write quorum {@code w} ({@link SegmentOpener#writer} makes them).
     *
     * @param chunks         writes and releases the sealed chunks
     * @param budget         the chunk buffers and sealed chunks in flight are reserved from it
     * @param repairs        told of replicas that missed a chunk, once the ball is committed
     * @param executor       sends the release of an abandoned write's chunks
     * @param chunkSize      plaintext bytes per chunk
     * @param inFlightChunks chunks awaiting their write quorum at once, at most
     */
    BallWriter(ChunkIo chunks, ChunkCipher cipher, BufferBudget budget, RepairReports repairs, Executor executor,
               int chunkSize, int inFlightChunks, String segmentId, SecretKey dataKey, int n, int w) {
        this.chunks = chunks;
        this.cipher = cipher;
        this.budget = budget;
        this.repairs = repairs;
        this.executor = executor;
        this.chunkSize = chunkSize;
        this.inFlightChunks = inFlightChunks;
        this.segmentId = segmentId;
        this.dataKey = dataKey;
        this.n = n;
        this.w = w;
    }

    /**
     * Writes the whole body. {@code length >= 0} must match the body exactly (else
     * INCOMPLETE_BODY). On any failure the chunks started so far are released and the exception
     * propagates; QUORUM_FAILED when a chunk could not reach W peers.
     */
    public Written write(InputStream body, long length, Set<Digest> wanted) {
        return write(body, length, wanted, () -> { });
    }

    /**
     * As {@link #write(InputStream, long, Set)}, running {@code beforeChunk} before each chunk is
     * read; it may throw to stop the write early (e.g. the bucket is known to be gone), with the
     * same cleanup as any other failure.
     */
    public Written write(InputStream body, long length, Set<Digest> wanted, Runnable beforeChunk) {
        BufferBudget.Lease lease = budget.open();
        // The chunk buffer grows as body bytes arrive (never sized by what a client merely declares), so a
        // stalled or slow upload holds only what it sent; a known short body never needs a full chunk
        // (profiled: 8 MiB per 4 KiB PUT dominated allocation and forced humongous GCs).
        ChunkBuffer buf = new ChunkBuffer(lease, length >= 0 ? (int) Math.min(chunkSize, length) : chunkSize);
        DigestComputer digests = new DigestComputer(wanted);
        ArrayDeque<CompletableFuture<Fanout.Result<PeerNode, Boolean>>> window = new ArrayDeque<>();
        long total = 0;
        try {
            while (true) {
                beforeChunk.run();
                int want = length >= 0 ? (int) Math.min(chunkSize, length - total) : chunkSize;
                int got = want == 0 ? 0 : buf.fill(body, want);
                if (length >= 0 && got < want) {
                    throw new RouterException(RouterException.Kind.INCOMPLETE_BODY,
                            "body ended after " + (total + got) + " of " + length + " bytes");
                }
                if (got == 0) break;
                digests.update(buf.bytes(), 0, got);
                total += got;
                long index = chunksStarted++;
                long sealedSize = ChunkCipher.sealedLength(got);
                lease.reserve(sealedSize);
                byte[] sealed;
                try {
                    sealed = cipher.encrypt(dataKey, segmentId, index, buf.bytes(), 0, got);
                } catch (RuntimeException | Error e) {
                    lease.release(sealedSize);
                    throw e;
                }
                CompletableFuture<Fanout.Result<PeerNode, Boolean>> f = chunks.write(ChunkIdScheme.chunkId(segmentId, index), sealed, n, w);
                f.thenAccept(res -> res.all().thenRun(() -> {
                    if (res.successes().size() < res.targets().size()) missed(index);
                }));
                CompletableFuture<Void> done = f.handle((res, e) -> res).thenCompose(res -> res == null
                        ? CompletableFuture.<Void>completedFuture(null) : res.all().exceptionally(e -> null));
                // The sealed bytes stay referenced until every replica write of them has finished.
                done.whenComplete((v, e) -> lease.release(sealedSize));
                settled.add(done);
                window.add(f);
                while (window.size() >= inFlightChunks) awaitQuorum(window.poll());
                if (got < want || (length >= 0 && total == length)) break;
            }
            if (length >= 0 && body.read() != -1) {
                throw new RouterException(RouterException.Kind.INCOMPLETE_BODY, "body is longer than " + length + " bytes");
            }
            while (!window.isEmpty()) awaitQuorum(window.poll());
            return new Written(total, digests.finish(), chunksStarted);
        } catch (IOException e) {
            abort(window);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            abort(window);
            throw e;
        } finally {
            buf.free();
            // Sealed chunks still in flight are returned as their writes settle; whatever is left then.
            CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> lease.close());
        }
    }

    /**
     * The plaintext chunk buffer: starts small and doubles (reserving each growth from the budget before
     * allocating it) only while body bytes keep arriving, up to {@code max}; the last step goes straight
     * to the size wanted once that is at most twice the next doubling.
     */
    private static final class ChunkBuffer {
        private static final int INITIAL = 64 * 1024;
        private final BufferBudget.Lease lease;
        private final int max;
        private byte[] bytes = new byte[0];

        ChunkBuffer(BufferBudget.Lease lease, int max) {
            this.lease = lease;
            this.max = max;
        }

        byte[] bytes() {
            return bytes;
        }

        /** Reads up to {@code want} bytes (fewer only at end of body) into the start of the buffer. */
        int fill(InputStream body, int want) throws IOException {
            int got = 0;
            while (got < want) {
                if (got == bytes.length) grow(want);
                int r = body.read(bytes, got, Math.min(bytes.length, want) - got);
                if (r < 0) break;
                got += r;
            }
            return got;
        }

        private void grow(int want) {
            long doubled = Math.max(INITIAL, 2L * bytes.length);
            // once doubling would reach half of what is wanted, take all of it: still at most 4x what the body
            // has sent, and a 1 MiB chunk skips the 512 KiB step (a humongous G1 allocation and its copy)
            int size = (int) Math.min(Math.min(want, max), 2 * doubled >= want ? want : doubled);
            lease.reserve(size);
            byte[] bigger = java.util.Arrays.copyOf(bytes, size);
            lease.release(bytes.length);
            bytes = bigger;
        }

        void free() {
            lease.release(bytes.length);
            bytes = new byte[0];
        }
    }

    /**
     * Marks the ball committed: chunks that missed replicas (now or later, when stragglers fail)
     * are queued for repair.
     */
    public void committed(String bucket, String key, Segment segment) {
        committed(bucket, key, segment, null);
    }

    /**
     * As {@link #committed(String, String, Segment)} for a multipart upload's part: the repair tasks
     * (and their stored hints) name the part record, which refers to the segment until the upload
     * completes (then the ball does).
     */
    public void committed(String bucket, String key, Segment segment, PartRef part) {
        committed.set(new Committed(bucket, key, segment, part));
        for (Long index : underReplicated) queueRepair(index);
    }

    /**
     * Releases every chunk this writer started (after a failed put or an aborted verifier); once only.
     * The deletes are sent only after every replica write of those chunks has finished, so a
     * straggling write cannot land after its delete and leave the chunk behind until GC.
     */
    public void release() {
        if (!released.compareAndSet(false, true)) return;
        long count = chunksStarted;
        CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new))
                .handle((v, e) -> null)
                .thenRunAsync(() -> chunks.release(segmentId, count, n), executor);
    }

    private void missed(long index) {
        underReplicated.add(index);
        if (committed.get() != null) queueRepair(index);
    }

    private void queueRepair(long index) {
        Committed c = committed.get();
        if (c != null && underReplicated.remove(index)) {
            repairs.chunkNeedsRepair(c.bucket(), c.key(), c.segment(), index, null, c.part());
        }
    }

    private void awaitQuorum(CompletableFuture<Fanout.Result<PeerNode, Boolean>> f) {
        Fanout.Result<PeerNode, Boolean> res;
        try {
            res = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException(RouterException.Kind.QUORUM_FAILED, "interrupted while writing", null, e);
        } catch (ExecutionException e) {
            throw new RouterException(RouterException.Kind.QUORUM_FAILED, "chunk write failed: " + e.getCause(), null, e.getCause());
        }
        if (!res.succeeded()) {
            throw new RouterException(RouterException.Kind.QUORUM_FAILED, "chunk write quorum failed: " + res.failureSummary());
        }
    }

    /** After a failed write: the chunks in flight are left to finish (cancelling would not stop them), then released. */
    private void abort(ArrayDeque<CompletableFuture<Fanout.Result<PeerNode, Boolean>>> window) {
        window.clear();
        release();
    }
}

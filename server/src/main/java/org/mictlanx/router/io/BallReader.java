package org.mictlanx.router.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import javax.crypto.SecretKey;
import org.mictlanx.peer.api.ChunkBuffer;
import org.mictlanx.peer.api.ChunkBytes;
import org.mictlanx.router.BufferedBody;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.meta.Slice;
import org.mictlanx.router.quorum.Fanout;

/**
 * A lazy stream over bytes {@code [offset, offset + length)} of a ball, across its slices. Only
 * the chunks covering the range are fetched (a chunk shared by two adjacent slices is fetched for
 * each), each from one replica at a time with failover, at most {@code prefetchChunks} ahead of
 * the one being read. A chunk is fully authenticated (GCM tag) before any of its bytes are
 * returned. Failures surface as {@link RouterException} (CHUNK_UNAVAILABLE) from {@code read}.
 * Each chunk is held in the buffer it was read into (a pooled heap buffer for an in-process peer),
 * given back as soon as the reader moves past it or is closed; {@link #transferTo(BufferedBody.Sink)}
 * writes straight from it.
 */
public final class BallReader extends InputStream implements BufferedBody {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BallReader.class);

    /** Bytes {@code [from, to)} of chunk {@code index} of {@code segment}. */
    private record Unit(Segment segment, long index, int from, int to) {
    }

    private record Pending(Unit unit, CompletableFuture<ChunkBuffer> plain) {
    }

    private final ChunkIo chunks;
    private final ChunkCensus census;
    private final Fanout fanout;
    private final Executor executor;
    private final int prefetchChunks;
    private final long verifyAheadBytes;
    private final String bucket;
    private final String key;
    private final List<Slice> slices;
    private final long end;
    private final ArrayDeque<Pending> ahead = new ArrayDeque<>();
    private final Map<String, SecretKey> keys = new HashMap<>();
    private long planPos;
    private int planSlice;
    private long planSliceStart;
    private long position;
    private ChunkBuffer current;
    private int currentPos;
    private int currentEnd;
    private boolean closed;
    /** Set once {@link #prime} returned: the caller sends the status line, so a later failure cuts the response. */
    private boolean primed;

    /** See {@link BallReaders}, which makes them. */
    BallReader(ChunkIo chunks, ChunkCensus census, Fanout fanout, Executor executor, int prefetchChunks, long verifyAheadBytes,
               String bucket, String key,
               BallRecord ball, long offset, long length) {
        if (offset < 0 || offset > ball.size()) {
            throw new RouterException(RouterException.Kind.BAD_REQUEST, "offset " + offset + " outside 0.." + ball.size());
        }
        this.chunks = chunks;
        this.census = census;
        this.fanout = fanout;
        this.executor = executor;
        this.prefetchChunks = prefetchChunks;
        this.verifyAheadBytes = verifyAheadBytes;
        this.bucket = bucket;
        this.key = key;
        this.slices = ball.slices();
        this.position = offset;
        this.planPos = offset;
        this.end = length < 0 ? ball.size() : Math.min(ball.size(), offset + length);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("stream closed");
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        if (position >= end) return -1;
        if (current == null || currentPos >= currentEnd) advance();
        int n = Math.min(len, currentEnd - currentPos);
        current.buffer().get(currentPos, b, off, n);
        currentPos += n;
        position += n;
        return n;
    }

    /**
     * Writes the rest of the range to {@code out} straight from each authenticated chunk (no
     * intermediate buffer); returns the bytes written.
     */
    @Override
    public long transferTo(java.io.OutputStream out) throws IOException {
        if (closed) throw new IOException("stream closed");
        long written = 0;
        byte[] scratch = null;
        while (position < end) {
            if (current == null || currentPos >= currentEnd) advance();
            int n = currentEnd - currentPos;
            java.nio.ByteBuffer b = current.buffer();
            if (b.hasArray()) {
                out.write(b.array(), b.arrayOffset() + currentPos, n);
            } else { // off-heap: through a small array (the front door writes buffers, see transferTo(Sink))
                if (scratch == null) scratch = new byte[64 << 10];
                for (int at = currentPos; at < currentEnd; ) {
                    int k = Math.min(scratch.length, currentEnd - at);
                    b.get(at, scratch, 0, k);
                    out.write(scratch, 0, k);
                    at += k;
                }
            }
            currentPos += n;
            position += n;
            written += n;
        }
        return written;
    }

    /**
     * Writes the rest of the range to {@code sink} as one buffer per chunk, a view of the buffer the
     * chunk was read and authenticated in (no copy). A chunk whose write failed is never reused.
     */
    @Override
    public long transferTo(BufferedBody.Sink sink) throws IOException {
        if (closed) throw new IOException("stream closed");
        long written = 0;
        while (position < end) {
            if (current == null || currentPos >= currentEnd) advance();
            int n = currentEnd - currentPos;
            try {
                sink.write(current.buffer().slice(currentPos, n));
            } catch (IOException | RuntimeException e) {
                current.discard(); // the transport may still hold it
                current = null;
                throw e;
            }
            currentPos += n;
            position += n;
            written += n;
        }
        return written;
    }

    /**
     * Starts the first fetches (up to {@code prefetchChunks + 1} chunks) and waits until they are
     * authenticated, proves that every later chunk of the range still exists on some replica
     * (one chunk listing per placement peer and segment, in parallel, see {@link ChunkCensus#lost}),
     * and has the placement peers verify the stored copies of the next chunks after the window
     * ({@link VerifyAhead}, up to the {@code verify-ahead} setting), so a ball with a chunk lost or
     * damaged on every replica there fails here with CHUNK_UNAVAILABLE, before the caller sends a
     * status line or a byte; so does a chunk repair already found with no authentic replica
     * ({@link ChunkIo#unrepairable}: every copy corrupt). What can still fail mid-stream: a chunk
     * beyond the verified budget whose every copy is present with the right size but damaged before
     * any read, repair or scrub met it; a copy whose stored checksum is intact but whose bytes do not
     * authenticate; or a chunk whose loss could not be proven within {@link #PROBE_DEADLINE_MILLIS}
     * (a replica down or frozen). Such a cut is logged at ERROR and counted
     * ({@link RepairReports#getCut}), and its bad copies are queued for repair. Returns this reader.
     */
    public BallReader prime() {
        fill();
        try {
            for (Pending p : ahead) join(p.plain());
            probeRest();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        primed = true;
        return this;
    }

    /** How long {@link #prime} waits for the chunk listings of the rest of the range. */
    public static final long PROBE_DEADLINE_MILLIS = 1000;

    /** Segments probed at once by {@link #probeRest}. */
    private static final int PROBE_PARALLELISM = 16;

    /** Throws CHUNK_UNAVAILABLE when a chunk of the range beyond the prefetch window is held by no replica. */
    private void probeRest() {
        Map<String, Segment> segments = new java.util.LinkedHashMap<>();
        Map<String, java.util.BitSet> wanted = new HashMap<>();
        long pos = planPos, sliceStart = planSliceStart;
        for (int si = planSlice; pos < end && si < slices.size(); si++) {
            Slice sl = slices.get(si);
            long sliceEnd = sliceStart + sl.length();
            if (sliceEnd > pos) {
                Segment seg = sl.segment();
                long stop = Math.min(end, sliceEnd);
                if (!seg.isInline()) {
                    long from = sl.offset() + (pos - sliceStart), to = sl.offset() + (stop - sliceStart);
                    segments.putIfAbsent(seg.id(), seg);
                    wanted.computeIfAbsent(seg.id(), k -> new java.util.BitSet())
                            .set((int) (from / seg.chunkSize()), (int) ((to - 1) / seg.chunkSize()) + 1);
                }
                pos = stop;
            }
            sliceStart = sliceEnd;
        }
        if (segments.isEmpty()) return;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(PROBE_DEADLINE_MILLIS);
        Map<Segment, java.util.BitSet> verify = VerifyAhead.window(segments, wanted, verifyAheadBytes);
        CompletableFuture<String> verified = verify.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(
                        () -> new VerifyAhead(chunks, fanout, executor, bucket, key).lostEverywhere(verify, deadline), executor);
        for (Segment seg : segments.values()) {
            java.util.BitSet w = wanted.get(seg.id());
            for (int i = w.nextSetBit(0); i >= 0; i = w.nextSetBit(i + 1)) {
                if (chunks.unrepairable(seg.chunkId(i))) {
                    throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE,
                            "chunk " + seg.chunkId(i) + " has no authentic replica left (unrepairable)");
                }
            }
        }
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PROBE_PARALLELISM);
        List<CompletableFuture<String>> probes = new java.util.ArrayList<>();
        for (Segment seg : segments.values()) {
            slots.acquireUninterruptibly();
            probes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    java.util.BitSet lost = census.lost(seg, wanted.get(seg.id()), PROBE_DEADLINE_MILLIS);
                    return lost.isEmpty() ? null : seg.chunkId(lost.nextSetBit(0));
                } finally {
                    slots.release();
                }
            }, executor));
        }
        for (CompletableFuture<String> p : probes) {
            String lostId;
            try {
                lostId = p.join();
            } catch (CompletionException e) {
                continue; // an unproven probe: the stream finds out
            }
            if (lostId != null) {
                throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE, "chunk " + lostId + " is held by no replica");
            }
        }
        String damaged;
        try {
            damaged = verified.join();
        } catch (CompletionException e) {
            return; // unproven: the stream finds out
        }
        if (damaged != null) {
            throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE, "chunk " + damaged + " has no intact copy (every "
                    + "placement peer reports it absent or failing its checksum; repair queued)");
        }
    }

    /**
     * The response was cut after its status line: logged at ERROR and counted once per GET. The copies
     * that failed were queued for repair by the fetch ({@link ChunkIo#fetch}); a chunk repair finds
     * with no authentic copy is marked unrepairable, and later GETs of it fail before the first byte.
     */
    private void cut(Unit unit, RuntimeException e) {
        primed = false;
        String id = unit.segment().chunkId(unit.index());
        LOG.error("GET {}/{} cut after the status line at byte {}: chunk {} could not be read from any replica ({}); the client "
                + "sees a short body (Content-Length); bad copies are queued for repair", bucket, key, position, id, e.getMessage());
        chunks.reportCut(bucket, key, id);
    }

    @Override
    public int available() {
        return current == null ? 0 : currentEnd - currentPos;
    }

    private void advance() {
        if (current != null) {
            current.close();
            current = null;
        }
        fill();
        Pending next = ahead.poll();
        if (next == null) throw new IllegalStateException("no chunk to read at " + position);
        ChunkBuffer chunk;
        try {
            chunk = join(next.plain());
        } catch (RuntimeException e) {
            if (primed) cut(next.unit(), e);
            throw e;
        }
        current = chunk;
        currentPos = chunk.buffer().position() + next.unit().from();
        currentEnd = chunk.buffer().position() + next.unit().to();
        fill();
    }

    private Unit nextUnit() {
        if (planPos >= end) return null;
        while (planSliceStart + slices.get(planSlice).length() <= planPos) {
            planSliceStart += slices.get(planSlice).length();
            planSlice++;
        }
        Slice sl = slices.get(planSlice);
        Segment seg = sl.segment();
        long inSeg = sl.offset() + (planPos - planSliceStart);
        long index = inSeg / seg.chunkSize();
        long chunkStart = index * seg.chunkSize();
        long stop = Math.min(chunkStart + seg.chunkLength(index),
                Math.min(sl.offset() + sl.length(), sl.offset() + (end - planSliceStart)));
        Unit u = new Unit(seg, index, (int) (inSeg - chunkStart), (int) (stop - chunkStart));
        planPos += u.to() - u.from();
        return u;
    }

    private void fill() {
        while (ahead.size() <= prefetchChunks) {
            Unit u = nextUnit();
            if (u == null) return;
            SecretKey k = keys.computeIfAbsent(u.segment().id(), id -> chunks.dataKey(u.segment()));
            ahead.add(new Pending(u, u.segment().isInline()
                    ? CompletableFuture.completedFuture(whole(chunks.openInline(u.segment(), k)))
                    : CompletableFuture.supplyAsync(() -> chunks.fetch(bucket, key, u.segment(), k, u.index(), u.from(), u.to()).plain(), executor)));
        }
    }

    private static ChunkBuffer whole(byte[] plain) {
        return ChunkBuffer.of(new ChunkBytes(plain, 0, plain.length));
    }

    private static ChunkBuffer join(CompletableFuture<ChunkBuffer> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE, "interrupted", null, e);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE, String.valueOf(e.getCause()), null, e.getCause());
        }
    }

    /** Gives back the chunk being read now, and each fetched ahead once its fetch ends (fetches are bounded by their timeouts). */
    @Override
    public void close() {
        closed = true;
        for (Pending p : ahead) p.plain().thenAccept(ChunkBuffer::close);
        ahead.clear();
        if (current != null) current.close();
        current = null;
    }
}

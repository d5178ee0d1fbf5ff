package org.mictlanx.sdk;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Plaintext bytes {@code [from, to)} of one ball version, fetched as ranged GETs (with {@code If-Match}
 * on the ETag) with up to {@code parallelism} pieces in flight ahead of the reader, and served strictly
 * in order: memory is bounded by pieces in flight, not by ball size. A piece is the part of one read
 * chunk ({@code chunkSize} plaintext bytes) that the range covers: a whole chunk, or for the ends of a
 * range only the bytes needed (for an encrypted ball, only the 64 KiB frames covering them, see
 * {@link FrameLayout}). Full-chunk buffers are recycled between pieces when the chunk cache is off, so a
 * long read allocates {@code parallelism + 1} chunk buffers, not one per chunk. Each body is read from
 * the socket straight into its piece buffer, and {@link #transferTo} and {@link #readAllBytes} write
 * from there without an intermediate copy. When a {@link BallVerifier} is given (whole-ball reads),
 * every stored byte is fed to it before it is served, and its final check runs before end-of-stream
 * is reported: a plaintext ball's bytes slice by slice, just before they are copied out (while they
 * are in cache); an encrypted ball's stored bytes, for a CRC checksum (every ball this SDK writes:
 * CRC32C), as CRCs computed by the thread that fetched the piece right after its body arrived
 * (in parallel with the other fetches, off the reader's thread) and combined in order when the piece
 * becomes current, else fed whole when it becomes current. Used for encrypted balls and with the
 * chunk cache; {@link StreamingBallInputStream} reads plaintext without staging. Not thread-safe.
 */
final class BallInputStream extends InputStream {

    private final Transport transport;
    private final ExecutorService io;
    private final ChunkCache cache;
    private final BallInfo info;
    private final String where;
    private final int chunkSize;
    private final int parallelism;
    private final long to;
    private final long from;
    private final long plainSize;
    private final ProgressListener progress;
    private final @Nullable BallCipher cipher;
    private final @Nullable BallVerifier verifier;
    private final int storedChunk;
    private final ArrayDeque<Piece> inFlight = new ArrayDeque<>();
    private final ArrayDeque<byte[]> freeStored = new ArrayDeque<>();
    private final ArrayDeque<byte[]> freePlain = new ArrayDeque<>();
    private long nextFetch;
    private long position;
    private @Nullable Piece current;
    private int currentPos;
    private int currentEnd;
    private boolean closed;
    private boolean emptyFetched;
    private boolean verified;
    private @Nullable Exception broken;

    /**
     * One ranged GET: stored bytes {@code [storedStart, storedStart + storedLength)}, whose plaintext
     * (the stored bytes themselves, or the opened frames of {@code span}) is served from {@code skip}
     * for {@code keep} bytes. {@code stored} and {@code plain} are written by the fetching thread only.
     * An encrypted ball's piece has a {@code span} and a {@code plain} buffer; a plaintext ball's neither.
     */
    private static final class Piece {
        final long storedStart;
        final int storedLength;
        final FrameLayout.@Nullable Span span;
        final int skip;
        final int keep;
        byte @Nullable [] stored;
        byte @Nullable [] plain;
        boolean pooledStored;
        boolean pooledPlain;
        /** The CRCs of the stored bytes, computed on the fetching thread (combinable checksums of encrypted reads). */
        BallVerifier.@Nullable Sums sums;
        /** The fetch, set when the piece is queued. */
        @Nullable Future<?> done;

        Piece(long storedStart, int storedLength, FrameLayout.@Nullable Span span, int skip, int keep) {
            this.storedStart = storedStart;
            this.storedLength = storedLength;
            this.span = span;
            this.skip = skip;
            this.keep = keep;
        }

        /** The stored bytes; the piece must have been fetched. */
        byte[] storedBytes() {
            return java.util.Objects.requireNonNull(stored, "piece not fetched");
        }

        /** The opened plaintext of an encrypted ball's piece. */
        byte[] plainBytes() {
            return java.util.Objects.requireNonNull(plain, "not a piece of an encrypted ball");
        }

        Future<?> done() {
            return java.util.Objects.requireNonNull(done, "piece not queued");
        }
    }

    /**
     * {@code from}, {@code to} and {@code plainSize} are plaintext offsets and size; with a {@code cipher},
     * {@code chunkSize} is its layout's chunk size. {@code verifier} may be null (ranges, no checksum).
     */
    BallInputStream(Transport transport, ExecutorService io, ChunkCache cache, BallInfo info, int chunkSize,
                    int parallelism, long from, long to, long plainSize, ProgressListener progress,
                    @Nullable BallCipher cipher, @Nullable BallVerifier verifier) {
        this.transport = transport;
        this.io = io;
        this.cache = cache;
        this.info = info;
        this.where = info.bucket() + "/" + info.key();
        this.chunkSize = chunkSize;
        this.parallelism = parallelism;
        this.from = from;
        this.to = to;
        this.plainSize = plainSize;
        this.progress = progress;
        this.cipher = cipher;
        this.verifier = verifier;
        this.storedChunk = cipher == null ? chunkSize : FrameLayout.storedLength(chunkSize);
        this.nextFetch = from;
        this.position = from;
        fill();
    }

    private void fill() {
        // An empty encrypted ball still has one authenticated frame: read it so a wrong key fails.
        while (inFlight.size() < parallelism && (nextFetch < to || (cipher != null && plainSize == 0 && !emptyFetched))) {
            emptyFetched = true;
            long chunk = nextFetch / chunkSize;
            long end = Math.min(Math.min((chunk + 1) * chunkSize, plainSize), to);
            Piece p;
            if (cipher == null) {
                p = new Piece(nextFetch, (int) (end - nextFetch), null, 0, (int) (end - nextFetch));
            } else {
                FrameLayout.Span s = cipher.layout().span(chunk, nextFetch, end, plainSize);
                p = new Piece(s.storedStart(), s.storedLength(), s, (int) (nextFetch - s.plainStart()), (int) (end - nextFetch));
                p.pooledPlain = pooled(s.plainLength(), chunkSize);
                p.plain = p.pooledPlain ? take(freePlain, chunkSize) : new byte[s.plainLength()];
            }
            if (cache.disabled()) {
                p.pooledStored = pooled(p.storedLength, storedChunk);
                p.stored = p.pooledStored ? take(freeStored, storedChunk) : new byte[p.storedLength];
            }
            p.done = io.submit(() -> fetch(p));
            inFlight.add(p);
            nextFetch = end;
        }
    }

    /** Whether a piece of {@code length} bytes uses a recycled full-chunk buffer of {@code full} bytes. */
    private static boolean pooled(int length, int full) {
        return length > full / 2;
    }

    private static byte[] take(ArrayDeque<byte[]> free, int size) {
        byte[] b = free.poll();
        return b != null ? b : new byte[size];
    }

    /** Runs on an I/O thread: fills the piece's stored bytes (cache or GET), then opens its frames. */
    private void fetch(Piece p) {
        byte[] stored = p.stored;
        if (stored == null) {
            ChunkCache.Key k = new ChunkCache.Key(info.bucket(), info.key(), info.etag(), p.storedStart, p.storedLength);
            byte[] hit = cache.get(k);
            if (hit != null) {
                stored = hit;
                p.stored = stored;
            } else {
                stored = new byte[p.storedLength];
                p.stored = stored;
                get(p, stored);
                cache.put(k, stored);
            }
        } else {
            get(p, stored);
        }
        if (verifier != null && cipher != null && verifier.combinable()) {
            p.sums = verifier.sums(stored, 0, p.storedLength, p.storedStart);
        }
        if (cipher != null) {
            cipher.open(java.util.Objects.requireNonNull(p.span, "an encrypted piece has a span"), stored, 0, p.plainBytes(), 0,
                    where);
        }
    }

    private void get(Piece p, byte[] into) {
        long last = p.storedStart + p.storedLength - 1;
        Transport.Response r = transport.read(new Transport.Request("GET", info.bucket(), info.key(), info.versionQuery(),
                Map.of("range", "bytes=" + p.storedStart + "-" + last, "if-match", "\"" + info.etag() + "\""), null),
                into, 0, p.storedLength);
        if (r.status() == 412) {
            throw new IntegrityException("ball " + where + " changed while being read (ETag " + info.etag()
                    + " no longer current)");
        }
        r.expectOk("GET " + where + " bytes " + p.storedStart + "+" + p.storedLength);
    }

    /**
     * Makes the next piece current; false at the end (after the verifier's final check). A failure
     * breaks the stream: pieces in flight are cancelled and every later read fails.
     */
    private boolean advance() throws IOException {
        try {
            while (current == null || currentPos >= currentEnd) {
                release(current);
                current = null;
                Piece next = inFlight.poll();
                if (next == null) {
                    if (verifier != null && !verified) {
                        verified = true;
                        verifier.finish();
                    }
                    return false;
                }
                join(next);
                BallVerifier.@Nullable Sums sums = next.sums;
                if (verifier != null && sums != null) {
                    verifier.accept(sums);
                } else if (verifier != null && cipher != null) {
                    verifier.update(next.storedBytes(), 0, next.storedLength);
                }
                current = next;
                currentPos = next.skip;
                currentEnd = next.skip + next.keep;
                fill();
            }
            return true;
        } catch (RuntimeException | IOException e) {
            broken = e;
            cancelAll();
            throw e;
        }
    }

    private static void join(Piece p) throws IOException {
        try {
            p.done().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
    }

    private void release(@Nullable Piece p) {
        if (p != null) {
            if (p.pooledStored) {
                freeStored.add(p.storedBytes());
            }
            if (p.pooledPlain) {
                freePlain.add(p.plainBytes());
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            checkOpen();
            return 0;
        }
        int n = next(len);
        if (n < 0) {
            return -1;
        }
        System.arraycopy(served(), currentPos - n, b, off, n);
        return n;
    }

    /** Writes the rest of the range to {@code out} straight from the piece buffers (no intermediate copy). */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        long total = 0;
        for (int n; (n = next(Integer.MAX_VALUE)) >= 0; ) {
            out.write(served(), currentPos - n, n);
            total += n;
        }
        return total;
    }

    /** The rest of the range in one exactly sized array, filled without an intermediate copy. */
    @Override
    public byte[] readAllBytes() throws IOException {
        return readRest(this, to - position, where);
    }

    /** The {@code rest} bytes left in {@code in} (a ranged read of {@code where}) in one exactly sized array. */
    static byte[] readRest(InputStream in, long rest, String where) throws IOException {
        if (rest > Integer.MAX_VALUE - 8) {
            throw new OutOfMemoryError("the rest of " + where + " (" + rest + " bytes) does not fit in an array");
        }
        byte[] all = new byte[(int) rest];
        int n = in.readNBytes(all, 0, all.length);
        if (n != all.length || in.read() != -1) {
            throw new IOException("the read of " + where + " ended after " + n + " of " + rest + " bytes");
        }
        return all;
    }

    /**
     * Moves past the next at most {@code max} bytes of the current piece (fetching the next one if
     * needed), feeding them to the verifier of a plaintext ball first; returns how many (they end at
     * {@code currentPos} in {@link #served()}), or -1 at the end.
     */
    private int next(int max) throws IOException {
        checkOpen();
        if (!advance()) {
            return -1;
        }
        int n = Math.min(max, currentEnd - currentPos);
        if (verifier != null && cipher == null && currentPiece().sums == null) {
            // A whole plaintext read serves every stored byte, in order: check them just before they are served.
            try {
                verifier.update(currentPiece().storedBytes(), currentPos, n);
            } catch (IntegrityException e) {
                broken = e;
                cancelAll();
                throw e;
            }
        }
        currentPos += n;
        position += n;
        progress.progress(position - from, to - from);
        return n;
    }

    private byte[] served() {
        return cipher == null ? currentPiece().storedBytes() : currentPiece().plainBytes();
    }

    /** The piece being served; only called after {@link #advance} found one. */
    private Piece currentPiece() {
        return java.util.Objects.requireNonNull(current, "no current piece");
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (broken != null) {
            throw new IOException("an earlier read of " + where + " failed", broken);
        }
    }

    private void cancelAll() {
        // Interrupting a fetch closes its connection, so a closed or failed stream stops downloading at once.
        inFlight.forEach(f -> f.done().cancel(true));
        inFlight.clear();
        freeStored.clear();
        freePlain.clear();
    }

    @Override
    public void close() {
        closed = true;
        current = null;
        cancelAll();
    }
}

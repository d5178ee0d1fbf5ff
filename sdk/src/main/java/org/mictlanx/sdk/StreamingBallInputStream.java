package org.mictlanx.sdk;

import org.jspecify.annotations.Nullable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Bytes {@code [from, to)} of one plaintext ball version as ranged GETs (with {@code If-Match} on the
 * ETag), one per chunk ({@code chunkSize} bytes, aligned), with up to {@code parallelism} of them open
 * at once, served strictly in order, <em>without staging</em>: the GETs ahead of the reader are sent
 * (by I/O threads) so the server works on them in parallel, but their bodies stay in the socket, held
 * back by TCP flow control, until the reader gets to them; then the reader's own {@code read} copies
 * them from the socket straight into the caller's buffer. No chunk-sized buffer is filled and read back
 * (on a machine short of memory bandwidth that round trip cost more than the parallelism gained), and
 * memory does not grow with the parallelism.
 *
 * <p>When a {@link BallVerifier} is given (whole-ball reads), every byte is fed to it just after it
 * was copied into the caller's buffer, while it is in cache, and before the call returns; its final
 * check runs before end-of-stream is reported. A body that breaks off (connection lost, or the server
 * gave up on a reader that kept it waiting) is resumed from the byte it stopped at with a new ranged GET
 * of the rest of that chunk, up to {@code maxResumes} times per chunk. Not thread-safe.
 */
final class StreamingBallInputStream extends InputStream {

    private final Transport transport;
    private final ExecutorService io;
    private final BallInfo info;
    private final String where;
    private final long chunkSize;
    private final int parallelism;
    private final long to;
    private final long from;
    private final int maxResumes;
    private final ProgressListener progress;
    private final @Nullable BallVerifier verifier;
    private final ArrayDeque<Range> ahead = new ArrayDeque<>();
    private long nextOpen;
    private long position;
    private @Nullable Range current;
    private int resumes;
    private volatile boolean closed;
    private boolean verified;
    private @Nullable Exception broken;

    /** One ranged GET of {@code [start, end)}; {@code body} is set once it is open (by an I/O thread). */
    private static final class Range {
        final long start;
        final long end;
        volatile Transport.@Nullable Body body;
        @Nullable Future<?> opened;

        Range(long start, long end) {
            this.start = start;
            this.end = end;
        }
    }

    /** {@code verifier} may be null (ranges: no checksum). */
    StreamingBallInputStream(Transport transport, ExecutorService io, BallInfo info, long chunkSize, int parallelism,
                             int maxResumes, long from, long to, ProgressListener progress, @Nullable BallVerifier verifier) {
        this.transport = transport;
        this.io = io;
        this.info = info;
        this.where = info.bucket() + "/" + info.key();
        this.chunkSize = chunkSize;
        this.parallelism = parallelism;
        this.maxResumes = maxResumes;
        this.from = from;
        this.to = to;
        this.progress = progress;
        this.verifier = verifier;
        this.nextOpen = from;
        this.position = from;
        fill();
    }

    /** Sends the GETs of the next chunks until {@code parallelism} are open (the current one included). */
    private void fill() {
        while (ahead.size() + (current == null ? 0 : 1) < parallelism && nextOpen < to) {
            long end = Math.min((nextOpen / chunkSize + 1) * chunkSize, to);
            Range r = new Range(nextOpen, end);
            r.opened = io.submit(() -> {
                Transport.Body b = open(r.start, r.end);
                r.body = b;
                if (closed) {
                    closeQuietly(b); // the stream closed while this GET was on its way
                }
                return null;
            });
            ahead.add(r);
            nextOpen = end;
        }
    }

    /** A ranged GET of {@code [start, end)} whose answer is a 2xx of exactly that length, body unread. */
    private Transport.Body open(long start, long end) {
        Transport.Body b = transport.open(new Transport.Request("GET", info.bucket(), info.key(), info.versionQuery(),
                Map.of("range", "bytes=" + start + "-" + (end - 1), "if-match", "\"" + info.etag() + "\""), null));
        Transport.Response r = b.response();
        if (r.status() == 412) {
            throw new IntegrityException("ball " + where + " changed while being read (ETag " + info.etag()
                    + " no longer current)");
        }
        r.expectOk("GET " + where + " bytes " + start + "+" + (end - start));
        String length = r.header("content-length");
        if (length == null || Long.parseLong(length.trim()) != end - start) {
            closeQuietly(b);
            throw new IntegrityException("GET " + where + " bytes " + start + "+" + (end - start) + " answered "
                    + length + " bytes");
        }
        return b;
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
        checkOpen();
        if (len == 0) {
            return 0;
        }
        try {
            if (!advance()) {
                return -1;
            }
            int n = readCurrent(b, off, (int) Math.min(len, currentRange().end - position));
            if (verifier != null) {
                verifier.update(b, off, n);
            }
            position += n;
            progress.progress(position - from, to - from);
            return n;
        } catch (RuntimeException | IOException e) {
            broken = e;
            cancelAll();
            throw e;
        }
    }

    /** Copies the rest through a 256 KiB buffer (the bytes never stay anywhere longer). */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        byte[] buf = new byte[256 * 1024];
        long total = 0;
        for (int n; (n = read(buf, 0, buf.length)) >= 0; ) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    /** The rest of the range in one exactly sized array, read straight into it. */
    @Override
    public byte[] readAllBytes() throws IOException {
        return BallInputStream.readRest(this, to - position, where);
    }

    /**
     * Makes the range holding {@code position} current (waiting for its GET's answer); false at the
     * end, after the verifier's final check.
     */
    private boolean advance() throws IOException {
        while (current == null || position >= current.end) {
            if (current != null) {
                closeQuietly(current.body);
                current = null;
                resumes = 0;
            }
            fill();
            Range next = ahead.poll();
            if (next == null) {
                if (position < to) {
                    throw new IllegalStateException("no GET covers " + where + " byte " + position + " of " + to);
                }
                if (verifier != null && !verified) {
                    verified = true;
                    verifier.finish();
                }
                return false;
            }
            join(java.util.Objects.requireNonNull(next.opened, "a queued range has its GET"));
            current = next;
            fill();
        }
        return true;
    }

    /**
     * Reads up to {@code len} bytes of the current range from its socket; a body that breaks off or
     * ends early is resumed from {@code position} with a new GET of the rest of the range.
     */
    private int readCurrent(byte[] b, int off, int len) throws IOException {
        Range range = currentRange();
        while (true) {
            IOException failure;
            try {
                int n = openBody(range).read(b, off, len);
                if (n > 0) {
                    return n;
                }
                failure = new EOFException("body of " + where + " bytes " + range.start + "+" + (range.end - range.start)
                        + " ended at " + position);
            } catch (IOException e) {
                if (closed || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                failure = e;
            }
            if (++resumes > maxResumes) {
                throw new IOException("the read of " + where + " broke off at byte " + position + " " + resumes
                        + " times", failure);
            }
            closeQuietly(range.body);
            range.body = open(position, range.end);
        }
    }

    private static void join(Future<?> f) throws IOException {
        try {
            f.get();
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

    private void checkOpen() throws IOException {
        if (broken != null) {
            throw new IOException("an earlier read of " + where + " failed", broken);
        }
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    /** The range being read (set by {@link #advance}). */
    private Range currentRange() {
        return java.util.Objects.requireNonNull(current, "no current range");
    }

    /** The open answer body of {@code r}: set once its GET answered 2xx (else {@link #advance} failed). */
    private static InputStream openBody(Range r) {
        Transport.Body body = java.util.Objects.requireNonNull(r.body, "the range's GET has not answered");
        return java.util.Objects.requireNonNull(body.in(), "a 2xx answer has a body");
    }

    private static void closeQuietly(Transport.@Nullable Body b) {
        if (b != null) {
            try {
                b.close();
            } catch (IOException e) {
                // ignored: the connection is dropped either way
            }
        }
    }

    /** Closes every open body and stops the GETs on their way (their answers are closed on arrival). */
    private void cancelAll() {
        closed = true;
        if (current != null) {
            closeQuietly(current.body);
        }
        for (Range r : ahead) {
            Future<?> opened = r.opened;
            if (opened == null || !opened.cancel(true) || opened.isDone()) {
                closeQuietly(r.body);
            }
        }
        ahead.clear();
    }

    @Override
    public void close() {
        cancelAll();
        current = null;
    }
}

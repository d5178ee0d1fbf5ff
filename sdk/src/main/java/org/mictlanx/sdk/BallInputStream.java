package org.mictlanx.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.zip.CRC32C;

/**
 * Bytes {@code [from, to)} of one ball version, fetched as chunk-aligned ranged GETs (with
 * {@code If-Match} on the ETag) with up to {@code parallelism} chunks in flight ahead of the reader,
 * and served strictly in order: memory is bounded by chunks in flight, not by ball size. When the
 * whole ball is read and the server stores a full-object CRC32C, the bytes are checked against it
 * at the end and {@link IntegrityException} is thrown on mismatch (before end-of-stream is reported).
 */
final class BallInputStream extends InputStream {

    private final Transport transport;
    private final ExecutorService io;
    private final ChunkCache cache;
    private final BallInfo info;
    private final int chunkSize;
    private final int parallelism;
    private final long from;
    private final long to;
    private final ProgressListener progress;
    private final CRC32C crc;
    private final ArrayDeque<CompletableFuture<byte[]>> inFlight = new ArrayDeque<>();
    private long nextFetch;
    private long position;
    private byte[] current = new byte[0];
    private int currentPos;
    private boolean closed;

    BallInputStream(Transport transport, ExecutorService io, ChunkCache cache, BallInfo info, int chunkSize,
                    int parallelism, long from, long to, ProgressListener progress) {
        this.transport = transport;
        this.io = io;
        this.cache = cache;
        this.info = info;
        this.chunkSize = chunkSize;
        this.parallelism = parallelism;
        this.from = from;
        this.to = to;
        this.progress = progress;
        this.nextFetch = from;
        this.position = from;
        boolean whole = from == 0 && to == info.size() && "CRC32C".equals(info.checksumAlgorithm())
                && (info.checksumType() == null || "FULL_OBJECT".equals(info.checksumType()));
        this.crc = whole ? new CRC32C() : null;
        fill();
    }

    private void fill() {
        while (inFlight.size() < parallelism && nextFetch < to) {
            long chunkStart = nextFetch - nextFetch % chunkSize;
            int length = (int) Math.min(chunkSize, info.size() - chunkStart);
            int skip = (int) (nextFetch - chunkStart);
            int keep = (int) Math.min(length - skip, to - nextFetch);
            inFlight.add(CompletableFuture.supplyAsync(() -> slice(fetch(chunkStart, length), skip, keep), io));
            nextFetch += keep;
        }
    }

    private static byte[] slice(byte[] chunk, int skip, int keep) {
        return skip == 0 && keep == chunk.length ? chunk : java.util.Arrays.copyOfRange(chunk, skip, skip + keep);
    }

    private byte[] fetch(long start, int length) {
        ChunkCache.Key k = new ChunkCache.Key(info.bucket(), info.key(), info.etag(), start, length);
        byte[] hit = cache.get(k);
        if (hit != null) {
            return hit;
        }
        Transport.Response r = transport.send(new Transport.Request("GET", info.bucket(), info.key(), null,
                Map.of("range", "bytes=" + start + "-" + (start + length - 1), "if-match", "\"" + info.etag() + "\""),
                null));
        if (r.status() == 412) {
            throw new IntegrityException("ball " + info.bucket() + "/" + info.key() + " changed while being read (ETag "
                    + info.etag() + " no longer current)");
        }
        r.expectOk("GET " + info.bucket() + "/" + info.key() + " bytes " + start + "+" + length);
        if (r.body().length != length) {
            throw new IntegrityException("ranged GET returned " + r.body().length + " bytes, expected " + length);
        }
        cache.put(k, r.body());
        return r.body();
    }

    private boolean advance() throws IOException {
        while (currentPos >= current.length) {
            CompletableFuture<byte[]> next = inFlight.poll();
            if (next == null) {
                verify();
                return false;
            }
            try {
                current = next.join();
            } catch (CompletionException e) {
                inFlight.forEach(f -> f.cancel(false));
                inFlight.clear();
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IOException(e.getCause());
            }
            currentPos = 0;
            if (crc != null) {
                crc.update(current);
            }
            fill();
        }
        return true;
    }

    private void verify() {
        if (crc != null && position == to) {
            long v = crc.getValue();
            String got = Base64.getEncoder().encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16),
                (byte) (v >>> 8), (byte) v});
            if (!got.equals(info.checksum())) {
                throw new IntegrityException("CRC32C of " + info.bucket() + "/" + info.key() + " is " + got
                        + " but the stored checksum is " + info.checksum());
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
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        if (!advance()) {
            return -1;
        }
        int n = Math.min(len, current.length - currentPos);
        System.arraycopy(current, currentPos, b, off, n);
        currentPos += n;
        position += n;
        progress.progress(position - from, to - from);
        return n;
    }

    @Override
    public void close() {
        closed = true;
        inFlight.forEach(f -> f.cancel(false));
        inFlight.clear();
    }
}

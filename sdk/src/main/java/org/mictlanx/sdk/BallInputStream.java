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
    private final ChunkCipher cipher;
    private final long storedChunk;
    private final ArrayDeque<CompletableFuture<Chunk>> inFlight = new ArrayDeque<>();
    private long nextFetch;
    private long position;
    private byte[] current = new byte[0];
    private int currentPos;
    private boolean closed;
    private boolean fetchedEmpty;

    /** A fetched chunk as stored (for the checksum) and the plaintext bytes of it that were asked for. */
    private record Chunk(byte[] stored, byte[] plain) {
    }

    /**
     * {@code from} and {@code to} are plaintext offsets; with a {@code cipher}, {@code chunkSize} is the
     * plaintext chunk size the ball was encrypted with and each stored chunk is {@link ChunkCipher#OVERHEAD} longer.
     */
    BallInputStream(Transport transport, ExecutorService io, ChunkCache cache, BallInfo info, int chunkSize,
                    int parallelism, long from, long to, ProgressListener progress, ChunkCipher cipher) {
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
        this.cipher = cipher;
        this.storedChunk = cipher == null ? chunkSize : (long) chunkSize + ChunkCipher.OVERHEAD;
        this.position = from;
        boolean whole = from == 0 && to == plainSize(info, chunkSize, cipher) && "CRC32C".equals(info.checksumAlgorithm())
                && (info.checksumType() == null || "FULL_OBJECT".equals(info.checksumType()));
        this.crc = whole ? new CRC32C() : null;
        fill();
    }

    /** The plaintext size of the ball (its stored size unless client-side encrypted). */
    static long plainSize(BallInfo info, int chunkSize, ChunkCipher cipher) {
        return cipher == null ? info.size() : ChunkCipher.plainSize(info.size(), chunkSize);
    }

    private void fill() {
        // An empty encrypted ball still has one authenticated chunk: read it so a wrong key fails.
        boolean emptyEncrypted = cipher != null && from == 0 && to == 0 && nextFetch == 0 && !fetchedEmpty;
        while (inFlight.size() < parallelism && (nextFetch < to || emptyEncrypted)) {
            emptyEncrypted = false;
            fetchedEmpty = true;
            long index = nextFetch / chunkSize;
            long storedStart = index * storedChunk;
            int storedLength = (int) Math.min(storedChunk, info.size() - storedStart);
            boolean last = storedStart + storedLength == info.size();
            int skip = (int) (nextFetch - index * chunkSize);
            int keep = (int) Math.min(chunkSize - skip, to - nextFetch);
            inFlight.add(CompletableFuture.supplyAsync(() -> {
                byte[] stored = fetch(storedStart, storedLength);
                byte[] plain = cipher == null ? stored
                        : cipher.decrypt(stored, index, last, info.bucket() + "/" + info.key());
                return new Chunk(stored, slice(plain, skip, keep));
            }, io));
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
            CompletableFuture<Chunk> next = inFlight.poll();
            if (next == null) {
                verify();
                return false;
            }
            Chunk chunk;
            try {
                chunk = next.join();
            } catch (CompletionException e) {
                inFlight.forEach(f -> f.cancel(false));
                inFlight.clear();
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IOException(e.getCause());
            }
            current = chunk.plain();
            currentPos = 0;
            if (crc != null) {
                crc.update(chunk.stored());
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

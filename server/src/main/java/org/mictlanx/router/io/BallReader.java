package org.mictlanx.router.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.crypto.SecretKey;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.meta.BallRecord;

/**
 * A lazy stream over bytes {@code [offset, offset + length)} of a ball. Only the chunks covering
 * the range are fetched, each from one replica at a time with failover, at most
 * {@code prefetchChunks} ahead of the one being read. A chunk is fully authenticated (GCM tag)
 * before any of its bytes are returned. Failures surface as {@link RouterException}
 * (CHUNK_UNAVAILABLE) from {@code read}.
 */
public final class BallReader extends InputStream {

    private final ChunkIo io;
    private final String bucket;
    private final String key;
    private final BallRecord ball;
    private final long end;
    private final ArrayDeque<CompletableFuture<byte[]>> ahead = new ArrayDeque<>();
    private SecretKey dataKey;
    private long nextToFetch;
    private final long lastIndex;
    private long position;
    private byte[] current;
    private int currentPos;
    private int currentEnd;
    private boolean closed;

    public BallReader(ChunkIo io, String bucket, String key, BallRecord ball, long offset, long length) {
        if (offset < 0 || offset > ball.size()) {
            throw new RouterException(RouterException.Kind.BAD_REQUEST, "offset " + offset + " outside 0.." + ball.size());
        }
        this.io = io;
        this.bucket = bucket;
        this.key = key;
        this.ball = ball;
        this.position = offset;
        this.end = length < 0 ? ball.size() : Math.min(ball.size(), offset + length);
        int chunkSize = ball.chunkSize();
        this.nextToFetch = offset / chunkSize;
        this.lastIndex = end == 0 ? -1 : (end - 1) / chunkSize;
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
        System.arraycopy(current, currentPos, b, off, n);
        currentPos += n;
        position += n;
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : currentEnd - currentPos;
    }

    private void advance() {
        if (dataKey == null) dataKey = io.dataKey(ball);
        fill();
        CompletableFuture<byte[]> next = ahead.poll();
        if (next == null) throw new IllegalStateException("no chunk to read at " + position);
        byte[] plain = join(next);
        long index = position / ball.chunkSize();
        long chunkStart = index * ball.chunkSize();
        current = plain;
        currentPos = (int) (position - chunkStart);
        currentEnd = (int) Math.min(plain.length, end - chunkStart);
        fill();
    }

    private void fill() {
        while (nextToFetch <= lastIndex && ahead.size() <= io.config().prefetchChunks()) {
            long index = nextToFetch++;
            SecretKey k = dataKey;
            ahead.add(CompletableFuture.supplyAsync(() -> io.fetch(bucket, key, ball, k, index).plain(), io.executor()));
        }
    }

    private static byte[] join(CompletableFuture<byte[]> f) {
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

    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<byte[]> f : ahead) f.cancel(true);
        ahead.clear();
        current = null;
    }
}

package org.mictlanx.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The {@code CompletableFuture} form of every {@link MictlanX} call, from {@link MictlanX#async()}.
 * Each call runs the blocking call on the client's I/O virtual threads; the future completes with its
 * result or exceptionally with the same exception ({@link MictlanXException}, {@link IntegrityException},
 * or {@link UncheckedIOException} wrapping an I/O failure of a local file or stream).
 */
public final class AsyncMictlanX {

    private final MictlanX mx;

    AsyncMictlanX(MictlanX mx) {
        this.mx = mx;
    }

    /** A blocking call; the calls of {@code Void} futures return null. */
    private interface IoCall<T> {
        @Nullable T call() throws IOException;
    }

    private <T> CompletableFuture<T> run(IoCall<T> call) {
        return mx.async(() -> {
            try {
                return call.call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** {@link MictlanX#createBucket}. */
    public CompletableFuture<Void> createBucket(String bucket) {
        return run(() -> {
            mx.createBucket(bucket);
            return null;
        });
    }

    /** {@link MictlanX#deleteBucket}. */
    public CompletableFuture<Void> deleteBucket(String bucket) {
        return run(() -> {
            mx.deleteBucket(bucket);
            return null;
        });
    }

    /** {@link MictlanX#bucketExists}. */
    public CompletableFuture<Boolean> bucketExists(String bucket) {
        return run(() -> mx.bucketExists(bucket));
    }

    /** {@link MictlanX#listBuckets}. */
    public CompletableFuture<List<String>> listBuckets() {
        return run(mx::listBuckets);
    }

    /** {@link MictlanX#put(String, String, byte[], PutOptions)}. */
    public CompletableFuture<PutResult> put(String bucket, String key, byte[] data, PutOptions options) {
        return run(() -> mx.put(bucket, key, data, options));
    }

    /** {@link MictlanX#put(String, String, Path, PutOptions)}. */
    public CompletableFuture<PutResult> put(String bucket, String key, Path file, PutOptions options) {
        return run(() -> mx.put(bucket, key, file, options));
    }

    /** {@link MictlanX#put(String, String, InputStream, long, PutOptions)}; the stream is read on an I/O thread. */
    public CompletableFuture<PutResult> put(String bucket, String key, InputStream in, long length, PutOptions options) {
        return run(() -> mx.put(bucket, key, in, length, options));
    }

    /** {@link MictlanX#head}. */
    public CompletableFuture<BallInfo> head(String bucket, String key) {
        return run(() -> mx.head(bucket, key));
    }

    /** {@link MictlanX#exists}. */
    public CompletableFuture<Boolean> exists(String bucket, String key) {
        return run(() -> mx.exists(bucket, key));
    }

    /** {@link MictlanX#size}. */
    public CompletableFuture<Long> size(String bucket, String key) {
        return run(() -> mx.size(bucket, key));
    }

    /** {@link MictlanX#get(String, String)}. */
    public CompletableFuture<byte[]> get(String bucket, String key) {
        return run(() -> mx.get(bucket, key));
    }

    /** {@link MictlanX#getRange}. */
    public CompletableFuture<byte[]> getRange(String bucket, String key, long offset, long length) {
        return run(() -> mx.getRange(bucket, key, offset, length));
    }

    /** {@link MictlanX#get(String, String, OutputStream, ProgressListener)}. */
    public CompletableFuture<Long> get(String bucket, String key, OutputStream out, ProgressListener progress) {
        return run(() -> mx.get(bucket, key, out, progress));
    }

    /** {@link MictlanX#get(String, String, Path)}. */
    public CompletableFuture<Long> get(String bucket, String key, Path file) {
        return run(() -> mx.get(bucket, key, file));
    }

    /** {@link MictlanX#openStream(String, String)}: completes once the ball's HEAD is known. */
    public CompletableFuture<InputStream> openStream(String bucket, String key) {
        return run(() -> mx.openStream(bucket, key));
    }

    /** {@link MictlanX#delete}. */
    public CompletableFuture<Void> delete(String bucket, String key) {
        return run(() -> {
            mx.delete(bucket, key);
            return null;
        });
    }

    /** {@link MictlanX#tags}. */
    public CompletableFuture<java.util.Map<String, String>> tags(String bucket, String key) {
        return run(() -> mx.tags(bucket, key));
    }

    /** The first page of at most {@code pageSize} entries of {@link MictlanX#list}, fetched asynchronously. */
    public CompletableFuture<List<ListEntry>> listPage(String bucket, @Nullable String prefix, @Nullable String delimiter,
                                                       int pageSize) {
        return run(() -> {
            var it = mx.list(bucket, prefix, delimiter, pageSize);
            List<ListEntry> out = new java.util.ArrayList<>();
            while (out.size() < pageSize && it.hasNext()) {
                out.add(it.next());
            }
            return out;
        });
    }
}

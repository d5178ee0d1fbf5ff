package org.mictlanx.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Element;

/**
 * The MictlanX client: buckets and balls over S3 on one or more routers. Thread-safe; share one per
 * application and close it when done. Puts of more than one part are S3 multipart uploads with
 * parallel part uploads; gets are parallel ranged reads reassembled in order and, for whole balls
 * with a stored checksum (FULL_OBJECT or COMPOSITE, any S3 algorithm), checked end to end. Failures
 * surface as {@link MictlanXException}
 * (or {@link IntegrityException}). Every blocking call has a {@code CompletableFuture} form.
 */
public final class MictlanX implements AutoCloseable {

    private final ClientConfig config;
    private final Transport transport;
    private final ExecutorService io;
    private final ChunkCache cache;
    private final BallUploader uploader;
    private final Keyring keyring;
    private final BallReader reader;

    private MictlanX(ClientConfig config, Map<String, EncryptionKey> keys) {
        this.config = config;
        this.keyring = new Keyring(keys.values(), config.partSize());
        this.transport = new Transport(config);
        this.io = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mictlanx-io-", 0).factory());
        this.cache = new ChunkCache(config.cacheBytes());
        this.uploader = new BallUploader(transport, io, config.partSize(), config.parallelism());
        this.reader = new BallReader(transport, io, cache, keyring, config.parallelism(), config.retry().maxAttempts());
    }

    /** A client from a connection string, see {@link ClientConfig#parse}. */
    public static MictlanX connect(String connection) {
        return ClientConfig.parse(connection).build();
    }

    /** A builder with defaults: 8 MiB parts, 4 in flight, default retries, no cache, region us-east-1. */
    public static Builder builder() {
        return new Builder();
    }

    /** This client's configuration. */
    public ClientConfig config() {
        return config;
    }

    /** Chunk cache counters. */
    public ChunkCache.Stats cacheStats() {
        return cache.stats();
    }

    /** The {@code CompletableFuture} form of every call of this client. */
    public AsyncMictlanX async() {
        return new AsyncMictlanX(this);
    }

    /** HTTP requests sent so far, retries included. */
    public long requestsSent() {
        return transport.attempts();
    }

    /**
     * A producer of puts on this client: {@code workers} concurrent puts fed from a FIFO queue of at
     * most {@code capacity} waiting puts. Close it before closing this client.
     */
    public Producer producer(int workers, int capacity) {
        return new Producer(this, workers, capacity);
    }

    // ---- buckets ----

    /** Creates {@code bucket}; fails with the server's error (e.g. BucketAlreadyOwnedByYou). */
    public void createBucket(String bucket) {
        transport.send(new Transport.Request("PUT", bucket, null, null, null, null)).expectOk("CreateBucket " + bucket);
    }

    /** Deletes the (empty) {@code bucket}. */
    public void deleteBucket(String bucket) {
        transport.send(new Transport.Request("DELETE", bucket, null, null, null, null)).expectOk("DeleteBucket " + bucket);
    }

    /** Whether {@code bucket} exists (HEAD 200 vs 404); other answers fail. */
    public boolean bucketExists(String bucket) {
        Transport.Response r = transport.send(new Transport.Request("HEAD", bucket, null, null, null, null));
        if (r.status() == 404) {
            return false;
        }
        r.expectOk("HeadBucket " + bucket);
        return true;
    }

    /** The names of the buckets of these credentials. */
    public List<String> listBuckets() {
        Transport.Response r = transport.send(new Transport.Request("GET", null, null, null, null, null))
                .expectOk("ListBuckets");
        List<String> out = new ArrayList<>();
        Element root = Xml.parse(r.body());
        for (Element buckets : Xml.children(root, "Buckets")) {
            for (Element b : Xml.children(buckets, "Bucket")) {
                out.add(Xml.requiredText(b, "Name"));
            }
        }
        return out;
    }

    // ---- puts ----

    /** Puts {@code data} as {@code bucket/key}. */
    public PutResult put(String bucket, String key, byte[] data, PutOptions options) {
        try {
            return uploader.put(bucket, key, new java.io.ByteArrayInputStream(data), data.length, options, keyring.forPut(options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts {@code data} with default options. */
    public PutResult put(String bucket, String key, byte[] data) {
        return put(bucket, key, data, PutOptions.DEFAULT);
    }

    /** Puts the file at {@code file}, streamed. */
    public PutResult put(String bucket, String key, Path file, PutOptions options) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return uploader.put(bucket, key, in, Files.size(file), options, keyring.forPut(options));
        }
    }

    /**
     * Puts everything {@code in} yields (not closed here). {@code length} may be -1 (unknown): at most
     * {@code parallelism + 2} part buffers are alive at any time whatever the length.
     */
    public PutResult put(String bucket, String key, InputStream in, long length, PutOptions options) throws IOException {
        return uploader.put(bucket, key, in, length, options, keyring.forPut(options));
    }

    /** {@link #put(String, String, byte[], PutOptions)} asynchronously. */
    public CompletableFuture<PutResult> putAsync(String bucket, String key, byte[] data, PutOptions options) {
        return async(() -> put(bucket, key, data, options));
    }

    /** {@link #put(String, String, Path, PutOptions)} asynchronously. */
    public CompletableFuture<PutResult> putAsync(String bucket, String key, Path file, PutOptions options) {
        return async(() -> {
            try {
                return put(bucket, key, file, options);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // ---- gets ----

    /**
     * The plaintext size of the ball: {@link BallInfo#size()} unless it is client-side encrypted, in
     * which case the stored size includes the per-frame GCM tags.
     */
    public long size(String bucket, String key) {
        return reader.plainSize(head(bucket, key));
    }

    /** HEAD of the ball, with its stored checksum; {@link MictlanXException#isNotFound()} when absent. */
    public BallInfo head(String bucket, String key) {
        return reader.head(bucket, key);
    }

    /**
     * HEAD of version {@code versionId} of the ball ({@code "null"} for the null version); reads
     * through the returned info fetch that version. {@link MictlanXException#isNotFound()} when it
     * does not exist; a delete marker answers 405 (MethodNotAllowed).
     */
    public BallInfo head(String bucket, String key, String versionId) {
        return reader.head(bucket, key, versionId);
    }

    /** Version {@code versionId} of the ball as a stream, integrity-checked at the end. Close it. */
    public InputStream openStream(String bucket, String key, String versionId) {
        return reader.open(head(bucket, key, versionId), ProgressListener.NONE);
    }

    /** Version {@code versionId} of the ball in memory. */
    public byte[] get(String bucket, String key, String versionId) {
        return readAll(openStream(bucket, key, versionId));
    }

    /** Whether the ball exists. */
    public boolean exists(String bucket, String key) {
        try {
            head(bucket, key);
            return true;
        } catch (MictlanXException e) {
            if (e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }

    /** The whole ball as a stream read in parallel chunks, integrity-checked at the end. Close it. */
    public InputStream openStream(String bucket, String key) {
        return openStream(bucket, key, ProgressListener.NONE);
    }

    /**
     * As {@link #openStream(String, String)}, reporting progress. The stored checksum is verified
     * whatever its algorithm (CRC32, CRC32C, CRC64NVME, SHA1, SHA256) and type: FULL_OBJECT at the end,
     * COMPOSITE part by part (one extra GetObjectAttributes request for the part list) and at the end.
     */
    public InputStream openStream(String bucket, String key, ProgressListener progress) {
        return reader.open(head(bucket, key), progress);
    }

    /**
     * Bytes {@code [offset, offset + length)} of the ball (clamped to its size) as a stream. Only the
     * bytes of the range are fetched (for an encrypted ball, the 64 KiB frames covering it); a range is
     * not checked against the ball's checksum (S3 stores none for ranges), but encrypted frames are
     * authenticated.
     */
    public InputStream openStream(String bucket, String key, long offset, long length) {
        return reader.open(head(bucket, key), offset, length);
    }

    /** The whole ball in memory (only for balls that fit in a byte array). */
    public byte[] get(String bucket, String key) {
        return readAll(openStream(bucket, key));
    }

    /** Bytes {@code [offset, offset + length)} of the ball. */
    public byte[] getRange(String bucket, String key, long offset, long length) {
        return readAll(openStream(bucket, key, offset, length));
    }

    /** Streams the ball into {@code out} (not closed); returns the bytes written. */
    public long get(String bucket, String key, OutputStream out, ProgressListener progress) throws IOException {
        try (InputStream in = openStream(bucket, key, progress)) {
            return in.transferTo(out);
        }
    }

    /** Writes the ball to {@code file} via a temporary sibling moved into place only when complete and verified. */
    public long get(String bucket, String key, Path file) throws IOException {
        return reader.toFile(head(bucket, key), file);
    }

    /** {@link #get(String, String)} asynchronously. */
    public CompletableFuture<byte[]> getAsync(String bucket, String key) {
        return async(() -> get(bucket, key));
    }

    /** {@link #get(String, String, Path)} asynchronously. */
    public CompletableFuture<Long> getAsync(String bucket, String key, Path file) {
        return async(() -> {
            try {
                return get(bucket, key, file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** {@link #head} asynchronously. */
    public CompletableFuture<BallInfo> headAsync(String bucket, String key) {
        return async(() -> head(bucket, key));
    }

    // ---- delete and list ----

    /** Deletes the ball (S3 semantics: deleting an absent key succeeds). */
    public void delete(String bucket, String key) {
        transport.send(new Transport.Request("DELETE", bucket, key, null, null, null)).expectOk("DELETE " + bucket + "/" + key);
    }

    /**
     * What a delete did: in a versioned bucket, without version id, the delete marker it added
     * ({@code deleteMarker} true, its {@code versionId}); with one, the version removed for good
     * ({@code deleteMarker} true when that was a marker). {@code versionId} is null in a bucket without versioning.
     */
    public record Deleted(@Nullable String versionId, boolean deleteMarker) {
    }

    /** Deletes version {@code versionId} of the ball for good (null: as {@link #delete}, a delete marker when versioned). */
    public Deleted delete(String bucket, String key, @Nullable String versionId) {
        Transport.Response r = transport.send(new Transport.Request("DELETE", bucket, key,
                versionId == null ? null : Map.of("versionId", versionId), null, null)).expectOk("DELETE " + bucket + "/" + key);
        return new Deleted(r.header("x-amz-version-id"), "true".equals(r.header("x-amz-delete-marker")));
    }

    /**
     * Every version and delete marker under {@code prefix} (S3 ListObjectVersions: key ascending,
     * newest first), fetched lazily page by page (1000 per page). {@code prefix} may be null.
     */
    public Iterable<VersionEntry> listVersions(String bucket, @Nullable String prefix) {
        return () -> new VersionLister(transport, bucket, prefix, 1000);
    }

    /** {@link #delete} asynchronously. */
    public CompletableFuture<Void> deleteAsync(String bucket, String key) {
        return async(() -> {
            delete(bucket, key);
            return null;
        });
    }

    // ---- tags ----

    /**
     * The ball's tags (S3 GetObjectTagging), in the order the server stores them; empty when it has
     * none. {@link MictlanXException#isNotFound()} when the ball does not exist.
     */
    public Map<String, String> tags(String bucket, String key) {
        return reader.tags(bucket, key);
    }

    /**
     * Balls (and, with a delimiter, common prefixes) under {@code prefix}, fetched lazily page by page
     * (1000 per page) as the iterator advances. {@code prefix} and {@code delimiter} may be null.
     */
    public Iterable<ListEntry> list(String bucket, @Nullable String prefix, @Nullable String delimiter) {
        return () -> new BallLister(transport, bucket, prefix, delimiter, 1000);
    }

    /** As {@link #list(String, String, String)} with an explicit page size (1..1000). */
    public Iterator<ListEntry> list(String bucket, @Nullable String prefix, @Nullable String delimiter, int pageSize) {
        return new BallLister(transport, bucket, prefix, delimiter, pageSize);
    }

    private static byte[] readAll(InputStream stream) {
        try (InputStream in = stream) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T> CompletableFuture<T> async(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, io);
    }

    /** Stops the I/O threads (in-flight async calls are interrupted) and the HTTP client. */
    @Override
    public void close() {
        io.shutdownNow();
        transport.close();
    }

    /** Builds a {@link MictlanX}; not thread-safe. */
    public static final class Builder {
        private final List<URI> routers = new ArrayList<>();
        private @Nullable String accessKey;
        private @Nullable String secretKey;
        private String region = "us-east-1";
        private int partSize = ClientConfig.DEFAULT_PART_SIZE;
        private int parallelism = 4;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private long cacheBytes;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofMinutes(2);
        private final Map<String, EncryptionKey> keys = new java.util.LinkedHashMap<>();

        private Builder() {
        }

        /** Adds a router base URI, e.g. {@code http://host:9000}. */
        public Builder router(URI uri) {
            routers.add(uri);
            return this;
        }

        /** Adds routers. */
        public Builder routers(List<URI> uris) {
            routers.addAll(uris);
            return this;
        }

        /** SigV4 credentials. */
        public Builder credentials(String access, String secret) {
            this.accessKey = access;
            this.secretKey = secret;
            return this;
        }

        /** SigV4 region (default us-east-1). */
        public Builder region(String r) {
            this.region = r;
            return this;
        }

        /** Part (and read chunk) size in bytes, 5 MiB..512 MiB (default 8 MiB). */
        public Builder partSize(int bytes) {
            this.partSize = bytes;
            return this;
        }

        /** Parts in flight per put or get (default 4). */
        public Builder parallelism(int n) {
            this.parallelism = n;
            return this;
        }

        /** Retry policy for connection errors, 500, 503 and SlowDown. */
        public Builder retry(RetryPolicy policy) {
            this.retry = policy;
            return this;
        }

        /** Chunk cache capacity in bytes; 0 (default) disables it. */
        public Builder cacheBytes(long bytes) {
            this.cacheBytes = bytes;
            return this;
        }

        /**
         * Adds a client-side encryption key: balls put with {@link PutOptions#withEncryptionKeyId} of its
         * id are encrypted with it, and balls recorded with its id are decrypted with it.
         */
        public Builder encryptionKey(EncryptionKey key) {
            keys.put(key.id(), key);
            return this;
        }

        /** Connect and per-request timeouts. */
        public Builder timeouts(Duration connect, Duration request) {
            this.connectTimeout = connect;
            this.requestTimeout = request;
            return this;
        }

        /** The configuration these settings describe (validated). */
        public ClientConfig config() {
            return ClientConfig.of(routers, accessKey, secretKey, region, partSize, parallelism, retry, cacheBytes,
                    connectTimeout, requestTimeout);
        }

        /** A connected client. */
        public MictlanX build() {
            return new MictlanX(config(), keys);
        }
    }
}

package org.mictlanx.s3.bucketconfig;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.MetaTable;

/**
 * A bucket's optional sub-resource configurations (CORS, website, lifecycle), each kept as its own record of the
 * replicated metadata next to the bucket record: partition {@value #PARTITION}, sort key
 * {@code bucket + '\n' + kind}, value = the bucket's creation time (8 bytes, epoch millis) followed
 * by the configuration document as S3 XML (already validated when stored). Separate records rather
 * than fields of the bucket record so each configuration is replaced without rewriting the bucket,
 * and configurations of a deleted bucket never leak into a new bucket of the same name: a record
 * whose creation time is not the bucket's is ignored.
 *
 * <p>Reads for request decoration (CORS headers on every request with {@code Origin}) go through
 * {@link #recent}, which answers from a read at most {@link #TTL_NANOS} old, like the bucket lookup;
 * writes through this front door are seen at once.
 */
public final class BucketConfigurations {

    /** The metadata partition (a {@link MetaTable} service partition). */
    public static final String PARTITION = "s3.bucket-config";
    /** How long {@link #recent} may answer from an earlier read: 2 s, the bucket lookup's bound. */
    public static final long TTL_NANOS = 2_000_000_000L;
    private static final int MAX_CACHED = 10_000;

    /** The configuration kinds. */
    public enum Kind {
        CORS("cors"), WEBSITE("website"), LIFECYCLE("lifecycle"), NOTIFICATION("notification"), LOGGING("logging");

        private final String id;

        Kind(String id) {
            this.id = id;
        }
    }

    private record Cached(Optional<byte[]> document, long created, long readAt) {
    }

    private final MetaTable table;
    private final LongSupplier nanoTime;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public BucketConfigurations(MetaTable table, LongSupplier nanoTime) {
        this.table = table;
        this.nanoTime = nanoTime;
    }

    /** The stored document of {@code kind} for this bucket (a quorum read), if any. */
    public Optional<byte[]> get(BucketInfo bucket, Kind kind) {
        String key = key(bucket.name(), kind);
        Optional<byte[]> doc = table.get(PARTITION, key).flatMap(v -> ofBucket(v, bucket));
        remember(key, doc, bucket);
        return doc.map(byte[]::clone);
    }

    /** As {@link #get}, possibly from a read at most {@link #TTL_NANOS} ago. */
    public Optional<byte[]> recent(BucketInfo bucket, Kind kind) {
        String key = key(bucket.name(), kind);
        Cached c = cache.get(key);
        long now = nanoTime.getAsLong();
        if (c != null && c.created() == bucket.created().toEpochMilli() && now - c.readAt() >= 0
                && now - c.readAt() < TTL_NANOS) {
            return c.document();
        }
        return get(bucket, kind);
    }

    /** Stores {@code document} as the bucket's configuration of {@code kind}, replacing any. */
    public void put(BucketInfo bucket, Kind kind, byte[] document) {
        byte[] value = ByteBuffer.allocate(8 + document.length).putLong(bucket.created().toEpochMilli())
                .put(document).array();
        table.put(PARTITION, key(bucket.name(), kind), value);
        remember(key(bucket.name(), kind), Optional.of(document.clone()), bucket);
    }

    /** Removes the bucket's configuration of {@code kind}; returns whether one existed. */
    public boolean delete(BucketInfo bucket, Kind kind) {
        boolean existed = get(bucket, kind).isPresent();
        table.delete(PARTITION, key(bucket.name(), kind));
        remember(key(bucket.name(), kind), Optional.empty(), bucket);
        return existed;
    }

    private void remember(String key, Optional<byte[]> doc, BucketInfo bucket) {
        if (cache.size() >= MAX_CACHED && !cache.containsKey(key)) {
            cache.clear();
        }
        cache.put(key, new Cached(doc, bucket.created().toEpochMilli(), nanoTime.getAsLong()));
    }

    private static Optional<byte[]> ofBucket(byte[] value, BucketInfo bucket) {
        if (value.length < 8 || ByteBuffer.wrap(value).getLong() != bucket.created().toEpochMilli()) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(value, 8, value.length));
    }

    private static String key(String bucket, Kind kind) {
        return bucket + "\n" + kind.id;
    }
}

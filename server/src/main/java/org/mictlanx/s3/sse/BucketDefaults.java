package org.mictlanx.s3.sse;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.MetaTable;

/**
 * Buckets' default encryption (Put/Get/DeleteBucketEncryption), kept in the replicated metadata
 * (partition {@value #PARTITION}, sort key = bucket name) as {@code createdMillis NUL kmsKeyId NUL
 * bucketKey}: the bucket's creation time ties the setting to that bucket, so a bucket deleted and
 * created again starts without one. Reads are cached for one second per front door (a write is
 * applied here at once, through another router within that second).
 */
public final class BucketDefaults {

    public static final String PARTITION = "_mx.bucket-sse";
    private static final long CACHE_NANOS = 1_000_000_000L;

    private final MetaTable table;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Encryptions.BucketDefault> value, long created, long atNanos) {
    }

    public BucketDefaults(MetaTable table) {
        this.table = table;
    }

    /** The bucket's default encryption, if one was put (empty: SSE-S3, as every bucket has). */
    public Optional<Encryptions.BucketDefault> of(BucketInfo bucket) {
        long created = bucket.created().toEpochMilli();
        Cached c = cache.get(bucket.name());
        if (c != null && c.created() == created && System.nanoTime() - c.atNanos() < CACHE_NANOS) {
            return c.value();
        }
        Optional<Encryptions.BucketDefault> v = table.get(PARTITION, bucket.name()).flatMap(b -> decode(b, created));
        cache.put(bucket.name(), new Cached(v, created, System.nanoTime()));
        return v;
    }

    public void put(BucketInfo bucket, Encryptions.BucketDefault value) {
        long created = bucket.created().toEpochMilli();
        String text = created + "\u0000" + (value.kmsKeyId() == null ? "" : value.kmsKeyId()) + "\u0000" + value.bucketKey();
        table.put(PARTITION, bucket.name(), text.getBytes(StandardCharsets.UTF_8));
        cache.put(bucket.name(), new Cached(Optional.of(value), created, System.nanoTime()));
    }

    public void delete(BucketInfo bucket) {
        table.delete(PARTITION, bucket.name());
        cache.put(bucket.name(), new Cached(Optional.empty(), bucket.created().toEpochMilli(), System.nanoTime()));
    }

    private static Optional<Encryptions.BucketDefault> decode(byte[] value, long created) {
        String[] f = new String(value, StandardCharsets.UTF_8).split("\u0000", -1);
        if (f.length != 3 || !f[0].equals(Long.toString(created))) {
            return Optional.empty();
        }
        return Optional.of(new Encryptions.BucketDefault(f[1].isEmpty() ? null : f[1], Boolean.parseBoolean(f[2])));
    }
}

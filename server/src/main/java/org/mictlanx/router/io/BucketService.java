package org.mictlanx.router.io;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.ObjectLockConfig;
import org.mictlanx.router.VersioningState;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.meta.BucketRecord;
import org.mictlanx.router.meta.KeyGuard;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.router.meta.ReplicatedTable;

/**
 * Buckets as records of partition {@code _mx.buckets}, sort key = bucket name. Every write path
 * decides existence by a quorum read ({@link #get}, {@link #require}); a put never commits without
 * that read confirming the bucket. The last record seen per name is also kept as a
 * {@link #placementHint} (a put's replication factor, so it can stream chunks while its quorum
 * bucket read is still in flight).
 *
 * <p>{@link #recent} answers the front door's per-request lookup (authorization and the
 * NoSuchBucket check) from a bucket seen by a quorum read at most {@link #RECENT_TTL} ago, saving a
 * metadata round trip per request. Contract: only found buckets are remembered (a bucket created
 * through any router is visible at once); this router's own creates and deletes update it at once;
 * a delete through another router is seen here within {@link #RECENT_TTL}, during which reads
 * of the (necessarily empty) deleted bucket answer NoSuchKey instead of NoSuchBucket, and writes
 * still fail at their commit check. The same bound applies to revoked access keys.
 */
public final class BucketService implements org.mictlanx.router.usage.BucketDirectory {

    private static final int MAX_HINTS = 10_000;

    /** How long {@link #recent} may answer from a quorum read it has already made. */
    public static final Duration RECENT_TTL = Duration.ofSeconds(2);

    private record Seen(BucketInfo bucket, long readAtNanos) {
    }

    private final ReplicatedTable table;
    private final KeyGuard guard;
    private final PeerPool pool;
    private final RouterConfig config;
    private final LongSupplier nanoTime;
    /** The last quorum-read (or written) record per name: the placement hint, and {@link #recent}'s answer while young. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    /** {@code nanoTime} ages {@link #recent} entries; an entry from the future counts as expired. */
    public BucketService(ReplicatedTable table, KeyGuard guard, PeerPool pool, RouterConfig config, LongSupplier nanoTime) {
        this.table = table;
        this.guard = guard;
        this.pool = pool;
        this.config = config;
        this.nanoTime = nanoTime;
    }

    public BucketInfo create(String name, String owner, String region) {
        return create(name, owner, region, false);
    }

    /** Creates a bucket; with {@code objectLock} it is created with versioning Enabled and object lock enabled. */
    public BucketInfo create(String name, String owner, String region, boolean objectLock) {
        requireName(name);
        if (owner == null) throw new RouterException(RouterException.Kind.BAD_REQUEST, "bucket owner is required");
        KeyGuard.Lease lease = acquire(name);
        try {
            Optional<BucketInfo> existing = get(name);
            if (existing.isPresent()) {
                throw new RouterException(RouterException.Kind.BUCKET_EXISTS, "bucket " + name + " exists", existing.get().owner(), null);
            }
            BucketInfo b = new BucketInfo(name, owner, region == null ? "" : region, Instant.now(),
                    config.replicationFor(pool.view().activeCount()));
            if (objectLock) {
                b = b.withVersioning(VersioningState.ENABLED).withObjectLock(new ObjectLockConfig(true, null, 0, 0));
            }
            checkLease(lease);
            table.write(new MetaRecord(Partitions.BUCKETS, name, table.nextVersion(), false, BucketRecord.encode(b)));
            remember(b);
            return b;
        } finally {
            guard.release(lease);
        }
    }

    /** The create/delete guard of bucket {@code name}; OPERATION_ABORTED when another router keeps it. */
    private KeyGuard.Lease acquire(String name) {
        try {
            return guard.acquire(Partitions.BUCKETS, name);
        } catch (RouterException e) {
            if (e.kind() != RouterException.Kind.CONFLICT) throw e;
            throw new RouterException(RouterException.Kind.OPERATION_ABORTED,
                    "a concurrent create or delete of bucket " + name + " is in progress", null, e);
        }
    }

    /** Refuses to write once the lease is about to run out (another router may take the guard after it). */
    private void checkLease(KeyGuard.Lease lease) {
        if (!lease.valid(config.callTimeout().toMillis())) {
            throw new RouterException(RouterException.Kind.OPERATION_ABORTED, "bucket guard lease ran out before the write");
        }
    }

    /** The bucket as a read quorum sees it now; refreshes (or drops) its placement hint. */
    public Optional<BucketInfo> get(String name) {
        if (name == null || name.isEmpty() || name.startsWith("_")) return Optional.empty();
        Optional<BucketInfo> b = table.read(Partitions.BUCKETS, name).filter(Predicate.not(MetaRecord::tombstone))
                .map(r -> BucketRecord.decode(name, r.value()));
        if (b.isPresent()) remember(b.get());
        else forget(name);
        return b;
    }

    /**
     * The bucket as a quorum read saw it at most {@link #RECENT_TTL} ago, else as one sees it now
     * (see the class comment for what may be stale). For request routing and authorization only;
     * never a commit check.
     */
    public Optional<BucketInfo> recent(String name) {
        Seen last = seen.get(name == null ? "" : name);
        long age = last == null ? -1 : nanoTime.getAsLong() - last.readAtNanos();
        if (age >= 0 && age < RECENT_TTL.toNanos()) {
            return Optional.of(last.bucket());
        }
        return get(name);
    }

    /**
     * The last record this router saw under {@code name}, if any. NOT proof that the bucket exists:
     * callers validate with {@link #get} / {@link #require} before committing anything.
     */
    public Optional<BucketInfo> placementHint(String name) {
        return Optional.ofNullable(seen.get(name)).map(Seen::bucket);
    }

    private void remember(BucketInfo b) {
        if (seen.size() >= MAX_HINTS && !seen.containsKey(b.name())) seen.clear();
        seen.put(b.name(), new Seen(b, nanoTime.getAsLong()));
    }

    private void forget(String name) {
        seen.remove(name);
    }

    @Override
    public BucketInfo require(String name) {
        return get(name).orElseThrow(() -> new RouterException(RouterException.Kind.NO_SUCH_BUCKET, "no bucket " + name));
    }

    /**
     * Replaces the bucket's whole tag set (empty: none) and returns the bucket as now stored. The
     * record is read and rewritten under the bucket's guard, the one configuration changes
     * ({@link #setVersioning}, {@link #setObjectLock}) take, so a tag change and a configuration
     * change racing through any routers are serialized and neither is lost; it is rewritten under
     * the version it was read with and the next revision (see {@link BucketRecord}), so a concurrent
     * delete or re-create always wins over it. Throws NO_SUCH_BUCKET.
     */
    public BucketInfo replaceTags(String name, Map<String, String> tags) {
        require(name);
        KeyGuard.Lease lease = acquire(name);
        try {
            MetaRecord cur = table.read(Partitions.BUCKETS, name).filter(Predicate.not(MetaRecord::tombstone))
                    .orElseThrow(() -> new RouterException(RouterException.Kind.NO_SUCH_BUCKET, "no bucket " + name));
            BucketInfo next = BucketRecord.decode(name, cur.value()).withTags(tags);
            checkLease(lease);
            table.write(new MetaRecord(Partitions.BUCKETS, name, cur.version(), false,
                    BucketRecord.encode(next, BucketRecord.revision(cur.value()) + 1)));
            remember(next);
            return next;
        } finally {
            guard.release(lease);
        }
    }

    /**
     * Sets the bucket's versioning state (ENABLED or SUSPENDED; never back to OFF) under the bucket's
     * create/delete guard, so a racing delete or re-create is seen. The record is rewritten with a new
     * version, so it wins over the record it replaces on every replica. Throws NO_SUCH_BUCKET.
     */
    public BucketInfo setVersioning(String name, VersioningState state) {
        if (state == VersioningState.OFF) throw new RouterException(RouterException.Kind.BAD_REQUEST, "versioning cannot be turned off");
        return update(name, b -> {
            if (state == VersioningState.SUSPENDED && b.objectLock().enabled()) {
                throw new RouterException(RouterException.Kind.BAD_REQUEST,
                        "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
            }
            return b.withVersioning(state);
        });
    }

    /**
     * Sets the object lock configuration (enabled, default retention). Lock can be enabled on a bucket
     * whose versioning is Enabled (or at creation), never disabled; BAD_REQUEST otherwise.
     */
    public BucketInfo setObjectLock(String name, ObjectLockConfig config) {
        return update(name, b -> {
            if (!config.enabled()) throw new RouterException(RouterException.Kind.BAD_REQUEST, "object lock cannot be disabled");
            if (!b.objectLock().enabled() && b.versioning() != VersioningState.ENABLED) {
                throw new RouterException(RouterException.Kind.BAD_REQUEST,
                        "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
            }
            return b.withObjectLock(config);
        });
    }

    /** Rewrites the bucket record as {@code change} makes it, under the bucket's create/delete guard. */
    private BucketInfo update(String name, java.util.function.UnaryOperator<BucketInfo> change) {
        require(name);
        KeyGuard.Lease lease = acquire(name);
        try {
            MetaRecord cur = table.read(Partitions.BUCKETS, name).filter(Predicate.not(MetaRecord::tombstone))
                    .orElseThrow(() -> new RouterException(RouterException.Kind.NO_SUCH_BUCKET, "no bucket " + name));
            BucketInfo next = change.apply(BucketRecord.decode(name, cur.value()));
            checkLease(lease);
            table.write(new MetaRecord(Partitions.BUCKETS, name, table.nextVersion(), false,
                    BucketRecord.encode(next, BucketRecord.revision(cur.value()) + 1)));
            remember(next);
            return next;
        } finally {
            guard.release(lease);
        }
    }

    @Override
    public List<BucketInfo> list() {
        List<BucketInfo> out = new ArrayList<>();
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(Partitions.BUCKETS, null, after, 1000, false);
            for (MetaRecord r : page.records()) out.add(BucketRecord.decode(r.sortKey(), r.value()));
            if (!page.more() || page.records().isEmpty()) return out;
            after = page.records().get(page.records().size() - 1).sortKey();
        }
    }

    /** Deletes an empty bucket; {@code isEmpty} is asked after the bucket is known to exist. */
    public void delete(String name, Predicate<String> isEmpty) {
        require(name);
        KeyGuard.Lease lease = acquire(name);
        try {
            require(name); // under the guard: a racing delete (and re-create) through another router is seen
            if (!isEmpty.test(name)) throw new RouterException(RouterException.Kind.BUCKET_NOT_EMPTY, "bucket " + name + " is not empty");
            forget(name);
            checkLease(lease);
            table.write(MetaRecord.tombstone(Partitions.BUCKETS, name, table.nextVersion()));
            forget(name); // again: a lookup racing this delete may have remembered the bucket meanwhile
        } finally {
            guard.release(lease);
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isEmpty() || name.startsWith("_") || name.length() > 255
                || name.chars().anyMatch(c -> c < 0x20)) {
            throw new RouterException(RouterException.Kind.BAD_REQUEST, "invalid bucket name");
        }
    }
}

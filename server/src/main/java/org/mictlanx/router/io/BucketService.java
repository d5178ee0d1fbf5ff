package org.mictlanx.router.io;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.meta.BucketRecord;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.router.meta.ReplicatedTable;

/**
 * Buckets as records of partition {@code _mx.buckets}, sort key = bucket name. Existence is always
 * decided by a quorum read ({@link #get}, {@link #require}); nothing is answered from memory. The
 * last record seen per name is kept only as a {@link #placementHint} (a put's replication factor,
 * so it can stream chunks while its quorum bucket read is still in flight); a put never commits
 * without that read confirming the bucket.
 */
public final class BucketService {

    private static final int MAX_HINTS = 10_000;

    private final ReplicatedTable table;
    private final PeerPool pool;
    private final RouterConfig config;
    private final Map<String, BucketInfo> hints = new ConcurrentHashMap<>();

    public BucketService(ReplicatedTable table, PeerPool pool, RouterConfig config) {
        this.table = table;
        this.pool = pool;
        this.config = config;
    }

    public BucketInfo create(String name, String owner, String region) {
        requireName(name);
        if (owner == null) throw new RouterException(RouterException.Kind.BAD_REQUEST, "bucket owner is required");
        Optional<BucketInfo> existing = get(name);
        if (existing.isPresent()) {
            throw new RouterException(RouterException.Kind.BUCKET_EXISTS, "bucket " + name + " exists", existing.get().owner(), null);
        }
        BucketInfo b = new BucketInfo(name, owner, region == null ? "" : region, Instant.now(),
                config.replicationFor(pool.view().activeCount()));
        table.write(new MetaRecord(Partitions.BUCKETS, name, table.nextVersion(), false, BucketRecord.encode(b)));
        remember(b);
        return b;
    }

    /** The bucket as a read quorum sees it now; refreshes (or drops) its placement hint. */
    public Optional<BucketInfo> get(String name) {
        if (name == null || name.isEmpty() || name.startsWith("_")) return Optional.empty();
        Optional<BucketInfo> b = table.read(Partitions.BUCKETS, name).filter(Predicate.not(MetaRecord::tombstone))
                .map(r -> BucketRecord.decode(name, r.value()));
        if (b.isPresent()) remember(b.get());
        else hints.remove(name);
        return b;
    }

    /**
     * The last record this router saw under {@code name}, if any. NOT proof that the bucket exists:
     * callers validate with {@link #get} / {@link #require} before committing anything.
     */
    public Optional<BucketInfo> placementHint(String name) {
        return Optional.ofNullable(hints.get(name));
    }

    private void remember(BucketInfo b) {
        if (hints.size() >= MAX_HINTS && !hints.containsKey(b.name())) hints.clear();
        hints.put(b.name(), b);
    }

    public BucketInfo require(String name) {
        return get(name).orElseThrow(() -> new RouterException(RouterException.Kind.NO_SUCH_BUCKET, "no bucket " + name));
    }

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
        if (!isEmpty.test(name)) throw new RouterException(RouterException.Kind.BUCKET_NOT_EMPTY, "bucket " + name + " is not empty");
        hints.remove(name);
        table.write(MetaRecord.tombstone(Partitions.BUCKETS, name, table.nextVersion()));
    }

    private static void requireName(String name) {
        if (name == null || name.isEmpty() || name.startsWith("_") || name.length() > 255
                || name.chars().anyMatch(c -> c < 0x20)) {
            throw new RouterException(RouterException.Kind.BAD_REQUEST, "invalid bucket name");
        }
    }
}

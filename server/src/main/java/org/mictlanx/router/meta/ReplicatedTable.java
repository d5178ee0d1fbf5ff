package org.mictlanx.router.meta;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.quorum.Fanout;
import org.mictlanx.router.quorum.QuorumTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated record table (Garage's table model). A partition's records live on the
 * {@code N = min(3, active peers)} peers that placement picks for {@code "meta/" + partition}; writes
 * need {@code W} and reads {@code R} of them (majorities, so R + W > N and every read sees the
 * latest acknowledged write). Reads return the newest version among the replies (last-writer-wins)
 * and, once every replica answered, write that version back to replicas that were missing it or
 * held an older one (read repair). Nothing is cached.
 */
public final class ReplicatedTable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedTable.class);
    private static final int MAX_META_REPLICAS = 3;
    /**
     * The most records a scan asks each replica for in one round: a page of up to 1024 records plus the
     * one after it, so a listing page of 1000 keys (which asks for 1001 to learn whether it is truncated)
     * is one round, not a second round made only to find out that more follow.
     */
    static final int MAX_SCAN_BATCH = 1025;

    private final PeerPool pool;
    private final Fanout fanout;
    private final ExecutorService background;
    private final HybridClock clock;

    public ReplicatedTable(PeerPool pool, Fanout fanout, ExecutorService background, HybridClock clock) {
        this.pool = pool;
        this.fanout = fanout;
        this.background = background;
        this.clock = clock;
    }

    public HybridClock clock() {
        return clock;
    }

    /** The replicas of a partition under the current layout. */
    public List<PeerNode> replicas(String partition) {
        PeerPool.View v = pool.view();
        return v.place("meta/" + partition, Math.min(MAX_META_REPLICAS, v.activeCount()));
    }

    /** The newest stored record (tombstones included) from a read quorum. Throws QUORUM_FAILED. */
    public Optional<MetaRecord> read(String partition, String sortKey) {
        List<PeerNode> targets = replicas(partition);
        int r = QuorumTracker.majority(targets.size());
        Fanout.Result<PeerNode, Optional<MetaRecord>> res = fanout.call(targets, r,
                n -> PeerNode.guarded(n, targets, r, () -> n.call(p -> p.getRecord(partition, sortKey))));
        if (!res.succeeded()) {
            throw new RouterException(RouterException.Kind.QUORUM_FAILED,
                    "metadata read " + partition + " failed: " + res.failureSummary());
        }
        MetaRecord winner = null;
        for (Optional<MetaRecord> rec : res.successes().values()) {
            if (rec.isPresent() && rec.get().newer(winner)) winner = rec.get();
        }
        if (winner != null) {
            clock.observe(winner.version());
            MetaRecord w = winner;
            res.all().thenRunAsync(() -> res.successes().forEach((node, rec) -> {
                if (rec.isEmpty() || w.newer(rec.get())) repairOne(node, w);
            }), background);
        }
        return Optional.ofNullable(winner);
    }

    /** Writes records of one partition (atomically per replica) to a write quorum. Throws QUORUM_FAILED. */
    public void write(String partition, List<MetaRecord> records) {
        for (MetaRecord rec : records) {
            if (!rec.partition().equals(partition)) throw new IllegalArgumentException("records of several partitions");
        }
        List<PeerNode> targets = replicas(partition);
        if (targets.isEmpty()) throw new RouterException(RouterException.Kind.QUORUM_FAILED, "no peers");
        int w = QuorumTracker.majority(targets.size());
        Fanout.Result<PeerNode, Boolean> res = fanout.call(targets, w, n -> PeerNode.guarded(n, targets, w, () -> n.call(p -> {
            p.putRecords(records);
            return true;
        })));
        if (!res.succeeded()) {
            throw new RouterException(RouterException.Kind.QUORUM_FAILED,
                    "metadata write " + partition + " failed: " + res.failureSummary());
        }
    }

    public void write(MetaRecord record) {
        write(record.partition(), List.of(record));
    }

    /**
     * After a write of {@code refused} failed its quorum (the caller answers the client "not
     * stored"): on every replica that answers and still holds exactly {@code refused}, replaces it by
     * compare-and-set with {@code replacement} (the state before the write, with its older version),
     * so the refused record can no longer win a read or spread by read repair from there. Replicas
     * holding anything else (nothing, an older or a newer record) are left alone. Best effort; returns
     * how many replicas were reverted. The refused record can only surface later if a replica applied
     * it and stayed unreachable for this call (docs/operations.md).
     */
    public int revert(MetaRecord refused, MetaRecord replacement) {
        List<PeerNode> targets = replicas(refused.partition());
        if (targets.isEmpty()) return 0;
        Fanout.Result<PeerNode, Boolean> res = fanout.call(targets, targets.size(),
                n -> n.call(p -> p.putRecordIf(replacement, refused.version())));
        try {
            res.all().get(fanout.timeout().toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // counted below from what answered
        }
        int reverted = (int) res.successes().values().stream().filter(Boolean::booleanValue).count();
        if (reverted > 0) LOG.info("reverted refused write {}/{} v{} on {} replicas", refused.partition(), refused.sortKey(),
                refused.version(), reverted);
        return reverted;
    }

    /** A fresh version, newer than anything this router issued or observed. */
    public long nextVersion() {
        return clock.next();
    }

    /** One page of a merged scan: records in UTF-8 order (live only unless asked), and whether more follow. */
    public record Page(List<MetaRecord> records, boolean more) {
    }

    /**
     * Records of {@code partition} strictly after {@code startAfter} with {@code prefix}, merged
     * from a read quorum, at most {@code limit}. Each replica is asked for a bounded batch; a key is
     * only emitted once every replica that answered has listed past it, so the merge is exact
     * without ever loading the whole partition. A replica is asked for {@code limit + 1} records at a
     * time (at least 16, at most {@link #MAX_SCAN_BATCH}), so a page without tombstones is one round.
     */
    public Page scan(String partition, String prefix, String startAfter, int limit, boolean includeTombstones) {
        return scan(partition, prefix, startAfter, limit, includeTombstones, true);
    }

    /**
     * As {@link #scan(String, String, String, int, boolean)}; {@code readRepair} false leaves the
     * replicas alone (for a caller that compares and writes back itself, as metadata reconciliation does).
     */
    public Page scan(String partition, String prefix, String startAfter, int limit, boolean includeTombstones, boolean readRepair) {
        if (limit <= 0) return new Page(List.of(), false);
        List<PeerNode> targets = replicas(partition);
        int r = QuorumTracker.majority(targets.size());
        int batch = Math.min(Math.max(limit + 1, 16), MAX_SCAN_BATCH);
        List<MetaRecord> out = new ArrayList<>();
        String cursor = startAfter;
        while (true) {
            String after = cursor;
            Fanout.Result<PeerNode, List<MetaRecord>> res = fanout.call(targets, r,
                    n -> PeerNode.guarded(n, targets, r, () -> n.call(p -> p.scanRecords(partition, prefix, after, batch))));
            if (!res.succeeded()) {
                throw new RouterException(RouterException.Kind.QUORUM_FAILED,
                        "metadata scan " + partition + " failed: " + res.failureSummary());
            }
            Map<PeerNode, List<MetaRecord>> pages = res.successes();
            String bound = null;
            for (List<MetaRecord> page : pages.values()) {
                if (page.size() >= batch) {
                    String last = page.get(page.size() - 1).sortKey();
                    if (bound == null || Utf8Order.compare(last, bound) < 0) bound = last;
                }
            }
            // one answering replica (N = 1): its page, in order and at or before the bound by the peer
            // API's contract, is the merge, and agrees with it, so there is nothing to repair
            Collection<MetaRecord> merged = pages.size() == 1 ? pages.values().iterator().next() : merge(pages, bound);
            if (readRepair && pages.size() > 1) scheduleScanRepair(pages, merged, batch);
            for (MetaRecord rec : merged) {
                if (rec.tombstone() && !includeTombstones) continue;
                if (out.size() == limit) return new Page(out, true);
                out.add(rec);
            }
            if (bound == null) return new Page(out, false);
            cursor = bound;
        }
    }

    /** The newest record of each key at or before {@code bound} (null: all) among the replicas' pages, in key order. */
    private static Collection<MetaRecord> merge(Map<PeerNode, List<MetaRecord>> pages, String bound) {
        TreeMap<String, MetaRecord> merged = new TreeMap<>(Utf8Order.COMPARATOR);
        for (List<MetaRecord> page : pages.values()) {
            for (MetaRecord rec : page) {
                if (bound != null && Utf8Order.compare(rec.sortKey(), bound) > 0) break;
                merged.merge(rec.sortKey(), rec, (a, b) -> b.newer(a) ? b : a);
            }
        }
        return merged.values();
    }

    private void scheduleScanRepair(Map<PeerNode, List<MetaRecord>> pages, Collection<MetaRecord> merged, int batch) {
        for (Map.Entry<PeerNode, List<MetaRecord>> e : pages.entrySet()) {
            List<MetaRecord> page = e.getValue();
            String covered = page.isEmpty() ? null : page.get(page.size() - 1).sortKey();
            boolean full = page.size() >= batch;
            Map<String, MetaRecord> own = HashMap.newHashMap(page.size());
            for (MetaRecord rec : page) own.put(rec.sortKey(), rec);
            for (MetaRecord winner : merged) {
                if (full && Utf8Order.compare(winner.sortKey(), covered) > 0) break;
                MetaRecord mine = own.get(winner.sortKey());
                if (mine == null || winner.newer(mine)) {
                    PeerNode node = e.getKey();
                    background.execute(() -> repairOne(node, winner));
                }
            }
        }
    }

    private void repairOne(PeerNode node, MetaRecord winner) {
        try {
            node.call(p -> p.putRecord(winner));
        } catch (RuntimeException e) {
            LOG.debug("read repair of {} on {} failed: {}", winner, node, e.toString());
        }
    }
}

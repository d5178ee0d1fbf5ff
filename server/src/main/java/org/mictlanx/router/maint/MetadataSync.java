package org.mictlanx.router.maint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.router.meta.UploadRecord;
import org.mictlanx.router.meta.Utf8Order;
import org.mictlanx.router.meta.VersionIds;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.quorum.Fanout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings every metadata partition onto its current replicas. Each partition is reconciled page by
 * page: a read quorum's merged view ({@link ReplicatedTable#scan}) is compared with each replica's own
 * listing of the same keys, and only the records a replica lacks or holds an older version of are
 * written to it (last-writer-wins makes a write idempotent), so a replica that was down or is new
 * is brought up to date whether or not it was among the replicas the merged scan read. After a
 * layout change, records may also sit on peers that are no longer replicas: then every peer's copy
 * is pushed to the current replicas (once per layout version). Covers the bucket and service
 * partitions, every bucket's balls, versions and uploads, and every upload's parts. Counts go to
 * {@code metadataChecked} / {@code metadataWritten} of the maintenance stats.
 */
final class MetadataSync {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataSync.class);
    private static final int PAGE = 500;

    /** Records compared and records written by one reconcile. */
    record Counts(long checked, long written) {
        Counts plus(Counts o) {
            return new Counts(checked + o.checked, written + o.written);
        }
    }

    private final PeerPool pool;
    private final ReplicatedTable table;
    private final Fanout fanout;
    private final MaintenanceStats stats;
    private long pushedLayoutVersion = -1;

    MetadataSync(PeerPool pool, ReplicatedTable table, Fanout fanout, MaintenanceStats stats) {
        this.pool = pool;
        this.table = table;
        this.fanout = fanout;
        this.stats = stats;
    }

    /** Every bucket name, from the bucket partition. */
    List<String> buckets() {
        return keys(Partitions.BUCKETS);
    }

    /** Reconciles every metadata partition onto each of its replicas that is up (a full pass's first step). */
    void syncAll() {
        long layoutVersion = pool.view().layout().version();
        boolean push = layoutVersion != pushedLayoutVersion;
        boolean ok = true;
        for (String p : partitions()) ok &= sync(p, push);
        if (ok) pushedLayoutVersion = layoutVersion;
    }

    /**
     * Every metadata partition: the fixed ones, each bucket's balls, version history, null-version index
     * and uploads, each upload's parts, and each service's (found by quorum reads, complete whatever
     * replica is stale).
     */
    private List<String> partitions() {
        List<String> out = fixed();
        for (String b : buckets()) {
            out.addAll(List.of(b, VersionIds.partition(b), VersionIds.nullPartition(b), UploadRecord.partition(b)));
            for (String sortKey : keys(UploadRecord.partition(b))) out.add(UploadRecord.partsPartition(UploadRecord.uploadIdOf(sortKey)));
        }
        out.addAll(keys(Partitions.SERVICES));
        return out;
    }

    private static List<String> fixed() {
        List<String> out = new ArrayList<>(List.of(Partitions.BUCKETS, Partitions.SERVICES,
                org.mictlanx.router.meta.UsageRecords.PARTITION, Partitions.REPAIR_HINTS));
        out.addAll(Partitions.refPartitions());
        return out;
    }

    /**
     * Reconciles every metadata partition of which {@code target} (a replacement or rebuilt peer) is a
     * replica onto it alone: only the records it lacks or holds older are written. Returns the counts.
     */
    Counts pushTo(PeerNode target) {
        Counts total = new Counts(0, 0);
        for (String p : partitions()) total = total.plus(pushTo(p, target));
        return total;
    }

    /** As {@link #pushTo(PeerNode)} for one partition (nothing when the target is not one of its replicas). */
    Counts pushTo(String partition, PeerNode target) {
        if (table.replicas(partition).stream().noneMatch(n -> n.id().equals(target.id()))) return new Counts(0, 0);
        return reconcile(partition, List.of(target));
    }

    /**
     * Compares each page of the merged view of {@code partition} (tombstones included) with each
     * target's own listing of the same keys and writes to it what it lacks or holds older. A target
     * that fails is skipped for the rest of the partition (its hints or the next pass cover it).
     */
    Counts reconcile(String partition, List<PeerNode> targets) {
        List<PeerNode> live = new ArrayList<>(targets);
        long checked = 0, written = 0;
        String after = null;
        while (!live.isEmpty()) {
            ReplicatedTable.Page page = table.scan(partition, null, after, PAGE, true, false); // written back below
            List<MetaRecord> merged = page.records();
            boolean last = !page.more() || merged.isEmpty();
            String upTo = last ? null : merged.get(merged.size() - 1).sortKey(); // null: to the end
            for (java.util.Iterator<PeerNode> it = live.iterator(); it.hasNext(); ) {
                PeerNode t = it.next();
                try {
                    Map<String, MetaRecord> own = listing(t, partition, after, upTo);
                    List<MetaRecord> stale = new ArrayList<>();
                    for (MetaRecord r : merged) {
                        MetaRecord mine = own.get(r.sortKey());
                        if (mine == null || r.newer(mine)) stale.add(r);
                    }
                    checked += merged.size();
                    if (!stale.isEmpty()) {
                        fanout.callOne(() -> t.call(p -> {
                            p.putRecords(stale);
                            return true;
                        }));
                        written += stale.size();
                    }
                } catch (RuntimeException e) {
                    LOG.debug("metadata reconcile of {} on {} failed: {}", partition, t, e.toString());
                    it.remove();
                }
            }
            if (last) break;
            after = upTo;
        }
        stats.metadataChecked.addAndGet(checked);
        stats.metadataWritten.addAndGet(written);
        if (written > 0) LOG.info("metadata partition {}: {} records written to {} ({} compared)", partition, written, targets, checked);
        return new Counts(checked, written);
    }

    /** {@code target}'s own records of {@code partition} after {@code after} up to {@code upTo} (null: to the end). */
    private Map<String, MetaRecord> listing(PeerNode target, String partition, String after, String upTo) {
        Map<String, MetaRecord> own = new HashMap<>();
        String cursor = after;
        while (true) {
            String c = cursor;
            List<MetaRecord> got = fanout.callOne(() -> target.call(p -> p.scanRecords(partition, null, c, PAGE)));
            for (MetaRecord r : got) {
                if (upTo != null && Utf8Order.compare(r.sortKey(), upTo) > 0) return own;
                own.put(r.sortKey(), r);
            }
            if (got.size() < PAGE) return own;
            cursor = got.get(got.size() - 1).sortKey();
        }
    }

    private boolean sync(String partition, boolean push) {
        try {
            if (push) pushFromNonReplicas(partition);
            reconcile(partition, table.replicas(partition).stream().filter(PeerNode::up).toList());
            return true;
        } catch (RuntimeException e) {
            LOG.debug("metadata sync of {} failed: {}", partition, e.toString());
            return false;
        }
    }

    private void pushFromNonReplicas(String partition) {
        List<PeerNode> replicas = table.replicas(partition);
        Set<String> replicaIds = new HashSet<>();
        for (PeerNode r : replicas) replicaIds.add(r.id());
        for (PeerNode source : pool.view().nodes().values()) {
            if (replicaIds.contains(source.id()) || !source.up()) continue;
            String after = null;
            while (true) {
                String a = after;
                List<MetaRecord> page = fanout.callOne(() -> source.call(p -> p.scanRecords(partition, null, a, PAGE)));
                if (page.isEmpty()) break;
                for (PeerNode r : replicas) fanout.callOne(() -> r.call(p -> {
                    p.putRecords(page);
                    return true;
                }));
                if (page.size() < PAGE) break;
                after = page.get(page.size() - 1).sortKey();
            }
        }
    }

    private List<String> keys(String partition) {
        List<String> out = new ArrayList<>();
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(partition, null, after, PAGE, false);
            for (MetaRecord r : page.records()) out.add(r.sortKey());
            if (!page.more() || page.records().isEmpty()) return out;
            after = page.records().get(page.records().size() - 1).sortKey();
        }
    }
}

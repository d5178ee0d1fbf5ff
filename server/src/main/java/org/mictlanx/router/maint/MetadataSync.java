package org.mictlanx.router.maint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.router.meta.VersionIds;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.quorum.Fanout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings every metadata partition onto its current replicas. Within the replicas a merged scan
 * does it (read repair). After a layout change, records may also sit on peers that are no longer
 * replicas: then every peer's copy is pushed to the current replicas (last-writer-wins makes the
 * push idempotent). The push runs once per layout version.
 */
final class MetadataSync {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataSync.class);
    private static final int PAGE = 500;

    private final PeerPool pool;
    private final ReplicatedTable table;
    private final Fanout fanout;
    private long pushedLayoutVersion = -1;

    MetadataSync(PeerPool pool, ReplicatedTable table, Fanout fanout) {
        this.pool = pool;
        this.table = table;
        this.fanout = fanout;
    }

    /** Every bucket name, from the bucket partition. */
    List<String> buckets() {
        return keys(Partitions.BUCKETS);
    }

    void syncAll() {
        long layoutVersion = pool.view().layout().version();
        boolean push = layoutVersion != pushedLayoutVersion;
        List<String> partitions = new ArrayList<>();
        partitions.add(Partitions.BUCKETS);
        partitions.add(Partitions.SERVICES);
        partitions.add(org.mictlanx.router.meta.UsageRecords.PARTITION);
        partitions.add(Partitions.REPAIR_HINTS);
        partitions.addAll(Partitions.refPartitions());
        boolean ok = true;
        // the partition lists themselves first, so the buckets and services found below are complete
        for (String p : partitions) ok &= sync(p, push);
        for (String b : buckets()) {
            ok &= sync(b, push);
            ok &= sync(VersionIds.partition(b), push); // version history (versioned buckets; empty otherwise)
            ok &= sync(VersionIds.nullPartition(b), push); // where each key's null version is
        }
        for (String s : keys(Partitions.SERVICES)) ok &= sync(s, push);
        if (ok) pushedLayoutVersion = layoutVersion;
    }

    /**
     * Writes every metadata record a replacement or rebuilt {@code target} should hold onto it: for each
     * partition the full pass syncs, plus each bucket's uploads partition, of which the target is a
     * replica, the records (tombstones included) as a read quorum merges them, page by page
     * (last-writer-wins makes it idempotent). A merged scan alone repairs only the replicas it read.
     * Returns the records written.
     */
    long pushTo(PeerNode target) {
        long written = 0;
        List<String> partitions = new ArrayList<>(List.of(Partitions.BUCKETS, Partitions.SERVICES,
                org.mictlanx.router.meta.UsageRecords.PARTITION, Partitions.REPAIR_HINTS));
        partitions.addAll(Partitions.refPartitions());
        for (String b : buckets()) {
            partitions.add(b);
            partitions.add(VersionIds.partition(b));
            partitions.add(VersionIds.nullPartition(b));
            partitions.add(org.mictlanx.router.meta.UploadRecord.partition(b));
        }
        partitions.addAll(keys(Partitions.SERVICES));
        for (String p : partitions) written += pushTo(p, target);
        return written;
    }

    /** As {@link #pushTo(PeerNode)} for one partition (nothing when the target is not one of its replicas). */
    long pushTo(String partition, PeerNode target) {
        if (table.replicas(partition).stream().noneMatch(n -> n.id().equals(target.id()))) return 0;
        long written = 0;
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(partition, null, after, PAGE, true);
            List<MetaRecord> records = page.records();
            if (!records.isEmpty()) {
                fanout.callOne(() -> target.call(p -> {
                    p.putRecords(records);
                    return true;
                }));
                written += records.size();
            }
            if (!page.more() || records.isEmpty()) return written;
            after = records.get(records.size() - 1).sortKey();
        }
    }

    private boolean sync(String partition, boolean push) {
        try {
            if (push) pushFromNonReplicas(partition);
            String after = null;
            while (true) {
                // a merged scan writes the winning version back to stale replicas
                ReplicatedTable.Page page = table.scan(partition, null, after, PAGE, true);
                if (!page.more() || page.records().isEmpty()) return true;
                after = page.records().get(page.records().size() - 1).sortKey();
            }
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

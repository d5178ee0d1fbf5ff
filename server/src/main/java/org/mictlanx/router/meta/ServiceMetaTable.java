package org.mictlanx.router.meta;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.MetaTable;

/**
 * {@link MetaTable} for other services: their partition {@code p} is stored as {@code _svc.p}.
 * Writes read the current version first so the new version is newer even across routers with
 * skewed clocks. The first write to a partition registers it for repair.
 */
public final class ServiceMetaTable implements MetaTable {

    private final ReplicatedTable table;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    public ServiceMetaTable(ReplicatedTable table) {
        this.table = table;
    }

    @Override
    public void put(String partition, String sortKey, byte[] value) {
        String p = partition(partition);
        register(p);
        table.read(p, sortKey);
        table.write(new MetaRecord(p, sortKey, table.nextVersion(), false, value.clone()));
    }

    /** One write of every record (the hybrid clock orders them after anything this router wrote before). */
    @Override
    public void writeOwn(String partition, java.util.Map<String, byte[]> puts, java.util.Collection<String> removes) {
        if (puts.isEmpty() && removes.isEmpty()) return;
        String p = partition(partition);
        register(p);
        List<MetaRecord> records = new ArrayList<>();
        puts.forEach((k, v) -> records.add(new MetaRecord(p, k, table.nextVersion(), false, v.clone())));
        for (String k : removes) records.add(MetaRecord.tombstone(p, k, table.nextVersion()));
        table.write(p, records);
    }

    @Override
    public Optional<byte[]> get(String partition, String sortKey) {
        return table.read(partition(partition), sortKey).filter(r -> !r.tombstone()).map(MetaRecord::value);
    }

    @Override
    public boolean delete(String partition, String sortKey) {
        String p = partition(partition);
        Optional<MetaRecord> cur = table.read(p, sortKey);
        if (cur.isEmpty() || cur.get().tombstone()) return false;
        table.write(MetaRecord.tombstone(p, sortKey, table.nextVersion()));
        return true;
    }

    @Override
    public List<Entry> scan(String partition, String prefix, String startAfter, int limit) {
        List<Entry> out = new ArrayList<>();
        for (MetaRecord r : table.scan(partition(partition), prefix, startAfter, limit, false).records()) {
            out.add(new Entry(r.sortKey(), r.value()));
        }
        return out;
    }

    private void register(String p) {
        if (registered.contains(p)) return;
        table.write(new MetaRecord(Partitions.SERVICES, p, table.nextVersion(), false, new byte[] {1}));
        registered.add(p);
    }

    private static String partition(String p) {
        if (p == null || p.isEmpty()) throw new IllegalArgumentException("partition is required");
        return Partitions.SERVICE_PREFIX + p;
    }
}

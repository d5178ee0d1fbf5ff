package org.mictlanx.xolo.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.mictlanx.router.MetaTable;

/** The {@link MetaTable} contract as a plain sorted map, for tests; counts reads to observe caching. Passes {@code MetaTableContract}. */
public final class InMemoryMetaTable implements MetaTable {

    private final Map<String, ConcurrentSkipListMap<String, byte[]>> partitions = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger gets = new java.util.concurrent.atomic.AtomicInteger();

    /** Sort keys in UTF-8 byte order, as the peers keep them. */
    private static final java.util.Comparator<String> UTF8 = (a, b) -> java.util.Arrays.compareUnsigned(
            a.getBytes(java.nio.charset.StandardCharsets.UTF_8), b.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private ConcurrentSkipListMap<String, byte[]> partition(String name) {
        return partitions.computeIfAbsent(name, k -> new ConcurrentSkipListMap<>(UTF8));
    }

    @Override
    public void put(String partition, String sortKey, byte[] value) {
        partition(partition).put(sortKey, value.clone());
    }

    @Override
    public Optional<byte[]> get(String partition, String sortKey) {
        gets.incrementAndGet();
        return Optional.ofNullable(partition(partition).get(sortKey)).map(byte[]::clone);
    }

    @Override
    public boolean delete(String partition, String sortKey) {
        return partition(partition).remove(sortKey) != null;
    }

    @Override
    public List<Entry> scan(String partition, String prefix, String startAfter, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : partition(partition).tailMap(startAfter == null ? "" : startAfter, false).entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            if (prefix == null || e.getKey().startsWith(prefix)) {
                out.add(new Entry(e.getKey(), e.getValue().clone()));
            }
        }
        return out;
    }

    public int gets() {
        return gets.get();
    }

    /** The raw stored bytes, for checking what reaches the table. */
    public Map<String, byte[]> rawPartition(String name) {
        return partition(name);
    }
}

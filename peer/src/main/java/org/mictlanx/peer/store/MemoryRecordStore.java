package org.mictlanx.peer.store;

import org.mictlanx.peer.api.MetaRecord;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** In-memory {@link RecordStore} with the same key order and LWW rules as the RocksDB store. */
public final class MemoryRecordStore implements RecordStore {
    private final TreeMap<byte[], RecordCodec.Stored> map = new TreeMap<>(Arrays::compareUnsigned);
    private final Clock clock;

    public MemoryRecordStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean put(MetaRecord record) {
        return putAll(List.of(record)).get(0);
    }

    @Override
    public synchronized boolean putIf(MetaRecord record, long expectedVersion) {
        byte[] key = RecordCodec.key(record.partition(), record.sortKey());
        RecordCodec.Stored s = map.get(key);
        long current = s == null ? org.mictlanx.peer.api.PeerApi.ABSENT : s.record().version();
        if (current != expectedVersion) return false;
        map.put(key, new RecordCodec.Stored(record, clock.millis()));
        return true;
    }

    @Override
    public synchronized List<Boolean> putAll(List<MetaRecord> records) {
        byte[][] keys = records.stream().map(r -> RecordCodec.key(r.partition(), r.sortKey())).toArray(byte[][]::new);
        LwwBatch lww = new LwwBatch(records, keys, k -> {
            RecordCodec.Stored s = map.get(k);
            return s == null ? null : s.record();
        });
        long now = clock.millis();
        for (int i : lww.toWrite()) map.put(keys[i], new RecordCodec.Stored(records.get(i), now));
        return lww.results();
    }

    @Override
    public synchronized Optional<MetaRecord> get(String partition, String sortKey) {
        RecordCodec.Stored s = map.get(RecordCodec.key(partition, sortKey));
        return s == null ? Optional.empty() : Optional.of(s.record());
    }

    @Override
    public synchronized List<MetaRecord> scan(String partition, String prefix, String startAfter, int limit) {
        byte[] bound = RecordCodec.key(partition, prefix == null ? "" : prefix);
        var tail = startAfter == null || Arrays.compareUnsigned(RecordCodec.key(partition, startAfter), bound) < 0
                ? map.tailMap(bound, true) : map.tailMap(RecordCodec.key(partition, startAfter), false);
        List<MetaRecord> out = new ArrayList<>();
        for (var e : tail.entrySet()) {
            if (out.size() >= limit || !RecordCodec.startsWith(e.getKey(), bound)) break;
            out.add(e.getValue().record());
        }
        return out;
    }

    @Override
    public synchronized int purgeTombstones(long cutoffMillis) {
        int before = map.size();
        map.values().removeIf(s -> s.record().tombstone() && s.writtenAtMillis() < cutoffMillis);
        return before - map.size();
    }

    @Override
    public synchronized long count() {
        return map.size();
    }

    @Override
    public void close() {
    }

}

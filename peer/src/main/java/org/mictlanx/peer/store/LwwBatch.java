package org.mictlanx.peer.store;

import org.mictlanx.peer.api.MetaRecord;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Resolves a batch of record puts under last-writer-wins against the stored records (read through
 * {@code current}) and against each other (the same key may appear twice in one batch). Must run
 * while the stripes of all keys are held.
 */
final class LwwBatch {
    private final List<Boolean> results = new ArrayList<>();
    private final int[] toWrite;
    private final int newKeys;

    LwwBatch(List<MetaRecord> records, byte[][] keys, Function<byte[], MetaRecord> current) {
        Map<ByteBuffer, Integer> winner = new HashMap<>();
        Map<ByteBuffer, MetaRecord> stored = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ByteBuffer k = ByteBuffer.wrap(keys[i]);
            byte[] key = keys[i];
            if (!stored.containsKey(k)) stored.put(k, current.apply(key));
            MetaRecord existing = stored.get(k);
            Integer w = winner.get(k);
            MetaRecord best = w == null ? existing : records.get(w);
            if (records.get(i).newer(best)) winner.put(k, i);
        }
        int created = 0;
        for (var e : winner.entrySet()) if (stored.get(e.getKey()) == null) created++;
        this.newKeys = created;
        this.toWrite = winner.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int i = 0; i < records.size(); i++) {
            ByteBuffer k = ByteBuffer.wrap(keys[i]);
            Integer w = winner.get(k);
            MetaRecord finalRecord = w == null ? stored.get(k) : records.get(w);
            results.add(records.get(i).equals(finalRecord));
        }
    }

    List<Boolean> results() {
        return results;
    }

    int[] toWrite() {
        return toWrite;
    }

    int newKeys() {
        return newKeys;
    }
}

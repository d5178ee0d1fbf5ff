package org.mictlanx.router;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A replicated key-value table on the peers (quorum writes, quorum reads with read repair,
 * last-writer-wins). Values are opaque bytes; callers encrypt secrets before storing them.
 */
public interface MetaTable {

    void put(String partition, String sortKey, byte[] value);

    Optional<byte[]> get(String partition, String sortKey);

    /** Returns whether a live value existed. */
    boolean delete(String partition, String sortKey);

    /**
     * Writes {@code puts} and removes {@code removes}, all in {@code partition}, as one write without
     * reading them first (one round trip where the table supports it, atomic per replica): only for
     * sort keys this writer alone creates (e.g. carrying a writer id), whose earlier value, if any, this
     * same writer stored, so its next version is newer without a read. The default writes them one by one.
     */
    default void writeOwn(String partition, java.util.Map<String, byte[]> puts, java.util.Collection<String> removes) {
        puts.forEach((k, v) -> put(partition, k, v));
        for (String k : removes) delete(partition, k);
    }

    /** Live entries in sort-key order strictly after {@code startAfter} with the prefix, at most {@code limit}. */
    List<Entry> scan(String partition, @Nullable String prefix, @Nullable String startAfter, int limit);

    record Entry(String sortKey, byte[] value) {
    }
}

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

    /** Live entries in sort-key order strictly after {@code startAfter} with the prefix, at most {@code limit}. */
    List<Entry> scan(String partition, @Nullable String prefix, @Nullable String startAfter, int limit);

    record Entry(String sortKey, byte[] value) {
    }
}

package org.mictlanx.peer.api;

/**
 * Native memory of a peer's RocksDB store, in bytes, from RocksDB's own properties (summed over its column
 * families): {@code tableReaders} ({@code rocksdb.estimate-table-readers-mem}: index and filter blocks held
 * outside the block cache, plus the table readers themselves), {@code memtables}
 * ({@code rocksdb.cur-size-all-mem-tables}: active, unflushed and pinned memtables), {@code blockCache}
 * ({@code rocksdb.block-cache-usage}: the one cache shared by every family, data blocks and the index and
 * filter partitions it holds), {@code blockCachePinned} ({@code rocksdb.block-cache-pinned-usage}: entries in
 * use or pinned, which the cache cannot evict) and {@code blockCacheCapacity}. All zero for an in-memory peer.
 */
public record StoreMemory(long tableReaders, long memtables, long blockCache, long blockCachePinned, long blockCacheCapacity) {

    /** Nothing known (an in-memory peer, a closed store, or an older peer's stats without the field). */
    public static StoreMemory none() {
        return new StoreMemory(0, 0, 0, 0, 0);
    }

    /** The native bytes RocksDB accounts for: table readers + memtables + block cache. */
    public long total() {
        return tableReaders + memtables + blockCache;
    }
}

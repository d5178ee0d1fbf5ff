package org.mictlanx.peer.store;

import org.mictlanx.peer.api.StoreMemory;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

import java.util.List;

/**
 * The table format of the peer's column families and the one block cache they share, and the store's
 * native memory as RocksDB accounts for it ({@link StoreMemory}). Owns the cache: {@link #close()} frees it
 * after the database is closed.
 */
final class RocksTables implements AutoCloseable {
    /** The block cache shared by every column family. */
    static final long BLOCK_CACHE_BYTES = 64L << 20;
    private final LRUCache cache = new LRUCache(BLOCK_CACHE_BYTES);

    /** A table format for one column family (a new config object each: RocksDB keeps a reference to it). */
    BlockBasedTableConfig table() {
        return new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(new BloomFilter(10))
                .setBlockSize(16 << 10);
    }

    /** The store's native memory now: table readers and memtables summed over {@code families}, and the shared cache. */
    StoreMemory memory(RocksDB db, List<ColumnFamilyHandle> families) throws RocksDBException {
        long readers = 0;
        long memtables = 0;
        for (ColumnFamilyHandle cf : families) {
            readers += db.getLongProperty(cf, "rocksdb.estimate-table-readers-mem");
            memtables += db.getLongProperty(cf, "rocksdb.cur-size-all-mem-tables");
        }
        return new StoreMemory(readers, memtables, cache.getUsage(), cache.getPinnedUsage(), BLOCK_CACHE_BYTES);
    }

    @Override
    public void close() {
        cache.close();
    }
}

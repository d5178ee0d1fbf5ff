package org.mictlanx.peer.store;

import org.mictlanx.peer.api.StoreMemory;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

import java.util.List;

/**
 * The table format of the peer's column families and the one block cache they share, and the store's
 * native memory as RocksDB accounts for it ({@link StoreMemory}). Owns the cache: {@link #close()} frees it
 * after the database is closed.
 *
 * <p>Index and filter blocks live in the bounded block cache, partitioned: RocksDB's default keeps every
 * table file's whole index and bloom filter in memory beside the cache for as long as the file is open,
 * so the peer's native memory grew with the number of records (issue 21: 10 bytes per 4 KiB ball measured,
 * one index entry per 16 KiB data block plus 10 bits of filter per key, with no bound). Partitioned, each table keeps only a small
 * top-level index pinned; the index and filter partitions are cached at high priority (they are evicted
 * after data blocks) and read back from the table file when evicted. L0 files' partitions are pinned
 * (recent, hot, and few). The cache is the bound of the whole: {@link #BLOCK_CACHE_BYTES}. Table files
 * written before keep their own format and are read as they are (the options apply to new files).
 */
final class RocksTables implements AutoCloseable {
    /** The block cache shared by every column family. */
    static final long BLOCK_CACHE_BYTES = 64L << 20;
    /** Share of the cache reserved for index and filter blocks (high priority): data blocks cannot push them out. */
    static final double INDEX_AND_FILTER_SHARE = 0.5;

    private final LRUCache cache = new LRUCache(BLOCK_CACHE_BYTES, -1, false, INDEX_AND_FILTER_SHARE);

    /** A table format for one column family (a new config object each: RocksDB keeps a reference to it). */
    BlockBasedTableConfig table() {
        return new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(new BloomFilter(10))
                .setBlockSize(16 << 10)
                .setIndexType(IndexType.kTwoLevelIndexSearch).setPartitionFilters(true).setMetadataBlockSize(4096)
                .setCacheIndexAndFilterBlocks(true).setCacheIndexAndFilterBlocksWithHighPriority(true)
                .setPinTopLevelIndexAndFilter(true).setPinL0FilterAndIndexBlocksInCache(true);
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

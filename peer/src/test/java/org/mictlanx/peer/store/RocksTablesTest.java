package org.mictlanx.peer.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.StoreMemory;
import org.rocksdb.FlushOptions;
import org.rocksdb.TableProperties;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's index and filter blocks are charged to the one bounded block cache, not held beside it by
 * the table readers (where they grew with the number of records: issue 21's RSS), and the memory figures
 * RocksDB gives ({@link StoreMemory}) say so.
 */
class RocksTablesTest {
    private static final int TABLES = 4;
    private static final int PER_TABLE = 25_000;

    @TempDir
    Path dir;

    @Test
    void indexAndFilterBlocksLiveInTheBoundedBlockCache() throws Exception {
        try (RocksDatabase db = new RocksDatabase(dir, new DiskGuard(dir, 0));
             FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
            RocksRecordStore store = new RocksRecordStore(db, Clock.systemUTC());
            StoreMemory empty = db.memory();
            assertEquals(RocksTables.BLOCK_CACHE_BYTES, empty.blockCacheCapacity());
            Random random = new Random(21);
            for (int t = 0; t < TABLES; t++) {
                for (int from = 0; from < PER_TABLE; from += 1000) {
                    List<MetaRecord> batch = new ArrayList<>();
                    for (int i = from; i < from + 1000; i++) {
                        byte[] value = new byte[200];
                        random.nextBytes(value);
                        batch.add(new MetaRecord("bucket", key(t * PER_TABLE + i), 1, false, value));
                    }
                    store.putAll(batch);
                }
                assertTrue(db.memory().memtables() > 0, "unflushed records are in the memtables");
                db.handle().flush(wait, db.records());
            }
            long indexAndFilters = 0;
            for (TableProperties p : db.handle().getPropertiesOfAllTables(db.records()).values()) {
                indexAndFilters += p.getIndexSize() + p.getFilterSize();
            }
            // 100,000 keys: about 125 KB of bloom filter and ~1,300 index entries over the tables
            assertTrue(indexAndFilters > 100_000, "index + filter bytes " + indexAndFilters);
            for (int k = 0; k < TABLES * PER_TABLE; k += 97) {
                assertTrue(store.get("bucket", key(k)).isPresent(), key(k));
            }
            StoreMemory m = db.memory();
            assertTrue(m.tableReaders() < indexAndFilters / 4,
                    "table readers hold " + m.tableReaders() + " bytes beside the cache; index + filters are " + indexAndFilters);
            assertTrue(m.blockCache() > indexAndFilters / 2, "block cache " + m.blockCache() + " holds the index and filter blocks read");
            assertTrue(m.blockCache() <= m.blockCacheCapacity() && m.blockCachePinned() <= m.blockCache(), m.toString());
        }
    }

    private static String key(int k) {
        return String.format(Locale.ROOT, "ball-%09d", k);
    }
}

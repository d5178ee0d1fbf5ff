package org.mictlanx.peer.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RocksChunkStoreTest extends ChunkStoreContract {
    private static final int LARGE = 1 << 20;
    @TempDir
    Path dir;
    private RocksDatabase db;

    /** Large chunks skip the WAL even when put alone, so every test here exercises that path too. */
    @Override
    protected ChunkStore open() {
        db = new RocksDatabase(dir, new DiskGuard(dir, 0));
        return new RocksChunkStore(db, LARGE, 1);
    }

    @Override
    protected void damage(String id) {
        byte[] raw = StoreTestHooks.getRaw(db, id);
        raw[raw.length / 2] ^= 0x01;
        StoreTestHooks.putRaw(db, id, raw);
    }

    @Override
    protected ChunkStore reopen() {
        db.close();
        return open();
    }

    private long activeMemtableEntries(String cf) {
        return Long.parseLong(db.property(cf, "rocksdb.num-entries-active-mem-table").trim())
                + Long.parseLong(db.property(cf, "rocksdb.num-entries-imm-mem-tables").trim());
    }

    @Test
    void readBufferReadsIntoAPooledHeapBufferGivenBackOnClose() {
        byte[] data = bytes(300_000, 11);
        store.put("d", data, crc(data));
        java.nio.ByteBuffer first;
        try (org.mictlanx.peer.api.ChunkBuffer b = store.readBuffer("d").orElseThrow()) {
            assertTrue(b.buffer().hasArray(), "a heap buffer: AES-GCM runs on arrays");
            assertEquals(data.length, b.length());
            first = b.buffer();
        }
        try (org.mictlanx.peer.api.ChunkBuffer b = store.readBuffer("d").orElseThrow()) {
            assertSame(first, b.buffer(), "given back, then lent again");
        }
    }

    @Test
    void largeChunksAreFlushedBeforePutReturnsSmallOnesStayInTheWal() {
        byte[] small = bytes(4096, 1);
        store.put("small", small, crc(small));
        assertEquals(1, activeMemtableEntries("chunks"), "small chunk stays in the memtable (WAL-protected)");
        byte[] large = bytes(LARGE, 2);
        store.put("large", large, crc(large));
        // the shared flush wrote value and meta (and the earlier small chunk) to files before put returned
        assertEquals(0, activeMemtableEntries("chunks"));
        assertEquals(0, activeMemtableEntries("chunk_meta"));
        assertArrayEquals(large, store.get("large").orElseThrow());
        assertEquals(2, store.count());
    }

    @Test
    void aLoneLargePutTakesTheWalPath() {
        store = new RocksChunkStore(db, LARGE, RocksChunkStore.DEFAULT_UNLOGGED_MIN_CONCURRENT);
        byte[] large = bytes(LARGE, 3);
        store.put("alone", large, crc(large));
        assertEquals(1, activeMemtableEntries("chunks"), "no flush: the WAL sync acknowledged it");
        store = reopen();
        assertArrayEquals(large, store.get("alone").orElseThrow());
    }

    @Test
    void concurrentLargePutsAndOverwritesAllLand() throws Exception {
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            int seed = w;
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 3; i++) {
                    byte[] d = bytes((1 << 20) + seed * 1000 + i, seed * 10 + i);
                    store.put("big-" + seed, d, crc(d)); // overwrites its own id
                }
            }));
        }
        for (Thread t : writers) t.join(60_000);
        store = reopen();
        for (int w = 0; w < 6; w++) {
            byte[] last = bytes((1 << 20) + w * 1000 + 2, w * 10 + 2);
            assertArrayEquals(last, store.get("big-" + w).orElseThrow());
        }
        assertEquals(6, store.count());
    }

    @AfterEach
    void closeDb() {
        db.close();
    }
}

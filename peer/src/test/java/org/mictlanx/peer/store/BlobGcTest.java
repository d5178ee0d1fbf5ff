package org.mictlanx.peer.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Blob garbage collection runs only while enough blob bytes are garbage ({@link BlobGcPolicy}). */
class BlobGcTest {
    @TempDir
    Path dir;

    @Test
    void policySwitchesOnAtTheOnRatioOffAtTheOffRatioAndHoldsBetween() {
        BlobGcPolicy p = BlobGcPolicy.DEFAULT;
        assertFalse(p.enabled(false, 0, 0), "no blob files: nothing to collect");
        assertFalse(p.enabled(false, 1000, 249));
        assertTrue(p.enabled(false, 1000, 250));
        assertTrue(p.enabled(true, 1000, 101), "between the ratios it stays on");
        assertFalse(p.enabled(false, 1000, 101), "between the ratios it stays off");
        assertFalse(p.enabled(true, 1000, 100));
        assertThrows(IllegalArgumentException.class, () -> new BlobGcPolicy(0.1, 0.2));
    }

    private static byte[] value(int i) {
        byte[] v = new byte[100 << 10];
        v[0] = (byte) i;
        v[v.length - 1] = (byte) (i * 7);
        return v;
    }

    private static long blobBytes(RocksDatabase db) {
        return Long.parseLong(db.property("chunks", "rocksdb.live-blob-file-size").trim());
    }

    private static long blobFiles(RocksDatabase db) {
        return Long.parseLong(db.property("chunks", "rocksdb.num-blob-files").trim());
    }

    @Test
    void gcIsOffWithoutGarbageOnWhenHalfIsGarbageAndOffAgainOnceCollected() {
        try (RocksDatabase db = new RocksDatabase(dir, new DiskGuard(dir, 0))) {
            RocksChunkStore store = new RocksChunkStore(db);
            // 8 blob files of 2 chunks each (one flush per pair)
            for (int i = 0; i < 16; i++) {
                store.put("c-" + i, value(i), ChunkCodec.crc32c(value(i), 0, value(i).length));
                if (i % 2 == 1) StoreTestHooks.flush(db);
            }
            long before = blobBytes(db);
            assertEquals(8, blobFiles(db));
            StoreTestHooks.flushAndCompact(db);
            assertFalse(db.adjustBlobGarbageCollection(), "no garbage: GC stays off");
            assertEquals(8, blobFiles(db), "and the compaction relocated nothing (it would rewrite the oldest files)");

            for (int i = 0; i < 16; i += 2) assertTrue(store.delete("c-" + i));
            StoreTestHooks.flushAndCompact(db);
            assertTrue(db.adjustBlobGarbageCollection(), "every blob file is half garbage");

            int rounds = 0;
            while (db.adjustBlobGarbageCollection()) {
                assertTrue(++rounds <= 20, "GC never brought garbage below the off ratio");
                StoreTestHooks.flushAndCompact(db);
            }
            assertTrue(blobBytes(db) < before * 0.6, "garbage was reclaimed: " + blobBytes(db) + " of " + before);
            for (int i = 1; i < 16; i += 2) assertArrayEquals(value(i), store.get("c-" + i).orElseThrow());
            for (int i = 0; i < 16; i += 2) assertTrue(store.get("c-" + i).isEmpty());
        }
    }
}

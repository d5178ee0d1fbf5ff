package org.mictlanx.peer.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Test fixtures that reach below the stores' checks: raw stored values (to damage them), flushes
 * and compactions (to test their effects). Test code only; the main stores carry no test hooks.
 */
public final class StoreTestHooks {

    private StoreTestHooks() {
    }

    /** Flushes every family to new files (new blob files for {@code chunks}). */
    public static void flush(RocksDatabase db) {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.handle().flush(fo, List.of(db.chunks(), db.chunkMeta(), db.records()));
        } catch (RocksDBException e) {
            throw new IllegalStateException("flush", e);
        }
    }

    /** Flushes, then compacts all of {@code chunks}, bottommost level included. */
    public static void flushAndCompact(RocksDatabase db) {
        flush(db);
        try (CompactRangeOptions co = new CompactRangeOptions()
                .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
            db.handle().compactRange(db.chunks(), null, null, co);
        } catch (RocksDBException e) {
            throw new IllegalStateException("compact", e);
        }
    }

    /** Overwrites a raw stored chunk value (header + bytes), bypassing every check. */
    public static void putRaw(RocksDatabase db, String chunkId, byte[] storedValue) {
        try (WriteBatch b = new WriteBatch()) {
            b.put(db.chunks(), chunkId.getBytes(StandardCharsets.UTF_8), storedValue);
            db.write(b);
        } catch (RocksDBException e) {
            throw new IllegalStateException("write", e);
        }
    }

    /** The raw stored value of a chunk (header + bytes). */
    public static byte[] getRaw(RocksDatabase db, String chunkId) {
        return db.get(db.chunks(), chunkId.getBytes(StandardCharsets.UTF_8));
    }

    /** Flips one payload byte of a chunk stored in memory, bypassing the checksum. */
    public static void damage(MemoryChunkStore store, String id) {
        store.values().computeIfPresent(id, (k, v) -> {
            byte[] c = v.clone();
            c[c.length - 1] ^= 0x5a;
            return c;
        });
    }
}

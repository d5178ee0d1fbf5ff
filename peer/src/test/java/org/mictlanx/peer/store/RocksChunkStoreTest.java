package org.mictlanx.peer.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class RocksChunkStoreTest extends ChunkStoreContract {
    @TempDir
    Path dir;
    private RocksDatabase db;

    @Override
    protected ChunkStore open() {
        db = new RocksDatabase(dir, new DiskGuard(dir, 0));
        return new RocksChunkStore(db);
    }

    @Override
    protected void damage(String id) {
        byte[] raw = db.getRawForTesting(id);
        raw[raw.length / 2] ^= 0x01;
        db.putRawForTesting(id, raw);
    }

    @Override
    protected ChunkStore reopen() {
        db.close();
        return open();
    }

    @AfterEach
    void closeDb() {
        db.close();
    }
}

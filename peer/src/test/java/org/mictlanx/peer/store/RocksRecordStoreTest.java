package org.mictlanx.peer.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

class RocksRecordStoreTest extends RecordStoreContract {
    @TempDir
    Path dir;
    private RocksDatabase db;

    @Override
    protected RecordStore open(Clock clock) {
        db = new RocksDatabase(dir, new DiskGuard(dir, 0));
        return new RocksRecordStore(db, clock);
    }

    @Override
    protected RecordStore reopen(Clock clock) {
        db.close();
        return open(clock);
    }

    @AfterEach
    void closeDb() {
        db.close();
    }
}

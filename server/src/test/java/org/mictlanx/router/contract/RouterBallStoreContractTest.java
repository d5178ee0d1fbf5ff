package org.mictlanx.router.contract;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.router.BallStore;

/** The router over three in-process RocksDB peers honours the {@link BallStore} contract. */
class RouterBallStoreContractTest extends BallStoreMultipartContract {

    @TempDir
    static Path dir;
    private RocksRouter store;

    @BeforeAll
    void open() {
        store = new RocksRouter(dir, MIN_PART);
    }

    @AfterAll
    void close() {
        store.close();
    }

    @Override
    protected BallStore store() {
        return store.router;
    }
}

package org.mictlanx.router.contract;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.router.MetaTable;

/** The router's replicated service table over three RocksDB peers honours the {@link MetaTable} contract. */
class RouterMetaTableContractTest extends MetaTableContract {

    @TempDir
    static Path dir;
    private RocksRouter store;

    @BeforeAll
    void open() {
        store = new RocksRouter(dir, 0);
    }

    @AfterAll
    void close() {
        store.close();
    }

    @Override
    protected MetaTable table() {
        return store.router.metaTable();
    }
}

package org.mictlanx.router.contract;

import org.mictlanx.router.MetaTable;
import org.mictlanx.xolo.identity.InMemoryMetaTable;

/** The in-memory fake honours the {@link MetaTable} contract. */
class InMemoryMetaTableContractTest extends MetaTableContract {

    private final MetaTable table = new InMemoryMetaTable();

    @Override
    protected MetaTable table() {
        return table;
    }
}

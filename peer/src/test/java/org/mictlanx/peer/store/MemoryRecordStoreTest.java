package org.mictlanx.peer.store;

import java.time.Clock;

class MemoryRecordStoreTest extends RecordStoreContract {
    @Override
    protected RecordStore open(Clock clock) {
        return new MemoryRecordStore(clock);
    }

    @Override
    protected RecordStore reopen(Clock clock) {
        return store;
    }
}

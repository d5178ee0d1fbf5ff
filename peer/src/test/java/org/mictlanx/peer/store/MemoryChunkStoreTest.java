package org.mictlanx.peer.store;

class MemoryChunkStoreTest extends ChunkStoreContract {
    @Override
    protected ChunkStore open() {
        return new MemoryChunkStore();
    }

    @Override
    protected void damage(String id) {
        StoreTestHooks.damage((MemoryChunkStore) store, id);
    }

    @Override
    protected ChunkStore reopen() {
        return store;
    }
}

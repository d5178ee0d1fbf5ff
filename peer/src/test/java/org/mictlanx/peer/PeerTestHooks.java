package org.mictlanx.peer;

import org.mictlanx.peer.store.ChunkStore;
import org.mictlanx.peer.store.RocksDatabase;

/** Test fixtures that reach a {@link LocalPeer}'s stores (to damage stored values); test code only. */
public final class PeerTestHooks {

    private PeerTestHooks() {
    }

    /** The peer's database; null for an in-memory peer. */
    public static RocksDatabase database(LocalPeer peer) {
        return peer.database();
    }

    /** The peer's chunk store. */
    public static ChunkStore chunkStore(LocalPeer peer) {
        return peer.chunkStore();
    }
}

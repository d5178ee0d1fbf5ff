package org.mictlanx.router.fake;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.testing.PeerApiContract;
import org.mictlanx.router.fake.FaultyPeer.Fault;
import org.mictlanx.router.fake.FaultyPeer.Op;

/**
 * The {@link org.mictlanx.peer.api.PeerApi} contract run against {@link FaultyPeer} in the modes where
 * it must still hold: pass-through (no fault queued), and every call SLOW with each one released by
 * another thread once it waits (late answers must still be right answers). So the router tests'
 * fake behaves like a real peer wherever a test does not inject a fault.
 */
class FaultyPeerContractTest extends PeerApiContract {

    static FaultyPeer fake(PeerConfig config) {
        return new FaultyPeer(config.id(), config.maxChunkBytes(), config.diskReserveBytes());
    }

    @Override
    protected Started start(PeerConfig config) {
        FaultyPeer p = fake(config);
        return new Started(p, null, p);
    }

    @Override
    protected void corrupt(Started s, String id) {
        ((FaultyPeer) s.api()).corruptStored(id);
    }

    /** Every call of every operation waits on the SLOW gate until a releaser thread lets it go. */
    @Nested
    class EveryCallSlow extends PeerApiContract {

        private final List<FaultyPeer> slowed = new ArrayList<>();

        @Override
        protected Started start(PeerConfig config) {
            FaultyPeer p = fake(config);
            for (Op op : Op.values()) p.inject(op, Fault.SLOW, 1_000_000);
            Thread releaser = Thread.ofPlatform().daemon().name("release-" + config.id()).start(() -> {
                try {
                    while (true) {
                        p.awaitSlowWaiting();
                        p.releaseSlow();
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            });
            slowed.add(p);
            return new Started(p, null, () -> {
                releaser.interrupt();
                p.close();
            });
        }

        @Override
        protected void corrupt(Started s, String id) {
            ((FaultyPeer) s.api()).corruptStored(id);
        }

        @AfterEach
        void everyPeerWasSlowed() {
            for (FaultyPeer p : slowed) assertTrue(p.slowPassed() > 0, p.id() + " answered through the SLOW gate");
        }
    }
}

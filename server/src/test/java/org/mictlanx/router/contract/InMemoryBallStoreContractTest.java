package org.mictlanx.router.contract;

import java.time.Clock;
import org.mictlanx.router.BallStore;
import org.mictlanx.s3.InMemoryBallStore;

/** The in-memory fake of the front-door tests honours the {@link BallStore} contract. */
class InMemoryBallStoreContractTest extends BallStoreMultipartContract {

    private final BallStore store = new InMemoryBallStore(Clock.systemUTC(), MIN_PART);

    @Override
    protected BallStore store() {
        return store;
    }
}

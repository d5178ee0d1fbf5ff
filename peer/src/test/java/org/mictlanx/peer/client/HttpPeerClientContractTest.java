package org.mictlanx.peer.client;

import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.testing.HttpPeerFixture;
import org.mictlanx.peer.testing.PeerApiContract;

class HttpPeerClientContractTest extends PeerApiContract {
    @Override
    protected Started start(PeerConfig config) {
        HttpPeerFixture f = HttpPeerFixture.start(config);
        return new Started(f.client(), f.local(), f);
    }
}

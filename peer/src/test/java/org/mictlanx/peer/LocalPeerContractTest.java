package org.mictlanx.peer;

import org.mictlanx.peer.testing.PeerApiContract;

class LocalPeerContractTest extends PeerApiContract {
    @Override
    protected Started start(PeerConfig config) {
        LocalPeer p = LocalPeer.open(config);
        return new Started(p, p, p);
    }
}

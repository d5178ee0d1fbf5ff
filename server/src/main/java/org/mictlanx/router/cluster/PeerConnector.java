package org.mictlanx.router.cluster;

import org.mictlanx.peer.api.PeerApi;

/** Opens a client for a peer of the layout (an embedded peer, or an HTTP client for its URL). */
@FunctionalInterface
public interface PeerConnector {
    PeerApi connect(PeerDescriptor peer);
}

package org.mictlanx.peer.api;

import java.util.Map;

/** A peer's counters: stored chunks and bytes, free disk, and requests served by kind. */
public record PeerStats(String peerId, long chunks, long chunkBytes, long records, long freeDiskBytes,
                        Map<String, Long> requestCounts) {
    public PeerStats {
        requestCounts = Map.copyOf(requestCounts);
    }
}

package org.mictlanx.peer.api;

import java.util.Map;

/**
 * A peer's counters: stored chunks and bytes, free disk, requests served by kind, the store's
 * corruption/I/O/background errors seen since start ({@code storeErrors}; {@code problem} is why the
 * peer is not ready, null when it is), the background scrub's progress, and the store's native memory
 * ({@link StoreMemory}; none when unknown).
 */
public record PeerStats(String peerId, long chunks, long chunkBytes, long records, long freeDiskBytes,
                        Map<String, Long> requestCounts, long storeErrors, String problem, ScrubProgress scrub,
                        StoreMemory memory) {
    public PeerStats {
        requestCounts = Map.copyOf(requestCounts);
        if (scrub == null) scrub = ScrubProgress.none();
        if (memory == null) memory = StoreMemory.none();
    }

    /** Without the store's memory figures (none). */
    public PeerStats(String peerId, long chunks, long chunkBytes, long records, long freeDiskBytes,
                     Map<String, Long> requestCounts, long storeErrors, String problem, ScrubProgress scrub) {
        this(peerId, chunks, chunkBytes, records, freeDiskBytes, requestCounts, storeErrors, problem, scrub, StoreMemory.none());
    }

    public PeerStats(String peerId, long chunks, long chunkBytes, long records, long freeDiskBytes,
                     Map<String, Long> requestCounts) {
        this(peerId, chunks, chunkBytes, records, freeDiskBytes, requestCounts, 0, null, ScrubProgress.none(), StoreMemory.none());
    }
}

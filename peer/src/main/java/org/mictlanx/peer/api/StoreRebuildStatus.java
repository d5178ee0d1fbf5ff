package org.mictlanx.peer.api;

import java.util.List;

/**
 * A peer's online store rebuild ({@link PeerApi#rebuildStore}). {@code state}: {@code idle} (none
 * ran since the peer started), {@code not-needed} (the store reports no damage and no rebuild was
 * forced), {@code running}, {@code done} or {@code failed}. {@code setAside}: where the damaged
 * files went; {@code families}: per column family, what was salvaged and the damage skipped;
 * {@code incarnation}: the store identity after the rebuild (routers refill a new one).
 */
public record StoreRebuildStatus(String peerId, String state, String reason, String setAside, List<String> families,
                                 String incarnation, long startedMillis, long finishedMillis) {
    public StoreRebuildStatus {
        families = families == null ? List.of() : List.copyOf(families);
    }

    public boolean running() {
        return "running".equals(state);
    }
}

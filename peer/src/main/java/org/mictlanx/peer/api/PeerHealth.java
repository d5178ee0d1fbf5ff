package org.mictlanx.peer.api;

/**
 * {@code live}: the process answers; {@code ready}: it accepts reads and writes (store open, disk not
 * full, RocksDB reports no corruption and no unrecovered background error; {@code detail} says which).
 * {@code scrubDamaged}: damaged chunks its background scrub has found (and deleted) since it started;
 * {@code incarnation}: the identity of its store, which changes only when the peer starts on an empty
 * data directory (null when unknown). Routers start a repair pass when either changes.
 * {@code damagedRanges}: the key ranges of damaged table files the store quarantines (their keys are
 * refused, every other key is served; see {@code docs/operations.md}, "A damaged peer"); empty when none.
 */
public record PeerHealth(String peerId, boolean live, boolean ready, String detail, long scrubDamaged, String incarnation,
                         java.util.List<String> damagedRanges) {
    public PeerHealth {
        damagedRanges = damagedRanges == null ? java.util.List.of() : java.util.List.copyOf(damagedRanges);
    }

    public PeerHealth(String peerId, boolean live, boolean ready, String detail, long scrubDamaged, String incarnation) {
        this(peerId, live, ready, detail, scrubDamaged, incarnation, java.util.List.of());
    }

    public PeerHealth(String peerId, boolean live, boolean ready, String detail) {
        this(peerId, live, ready, detail, 0, null);
    }

    /** How {@code detail} begins when the store itself is damaged (corruption or an I/O error in RocksDB). */
    public static final String STORE_DAMAGED = "store damaged: ";
    /** How {@code detail} begins while the store is rebuilt online. */
    public static final String STORE_REBUILDING = "store rebuilding";

    /**
     * Whether the peer reports a damaged store (its data calls are refused until it is rebuilt): the
     * detail says so, also when a client only saw the 503 answer's message.
     */
    public boolean storeDamaged() {
        return detail != null && detail.contains(STORE_DAMAGED);
    }
}

package org.mictlanx.peer.api;

/**
 * {@code live}: the process answers; {@code ready}: it accepts reads and writes (store open, disk not
 * full, RocksDB reports no corruption and no unrecovered background error; {@code detail} says which).
 * {@code scrubDamaged}: damaged chunks its background scrub has found (and deleted) since it started;
 * {@code incarnation}: the identity of its store, which changes only when the peer starts on an empty
 * data directory (null when unknown). Routers start a repair pass when either changes.
 */
public record PeerHealth(String peerId, boolean live, boolean ready, String detail, long scrubDamaged, String incarnation) {
    public PeerHealth(String peerId, boolean live, boolean ready, String detail) {
        this(peerId, live, ready, detail, 0, null);
    }
}

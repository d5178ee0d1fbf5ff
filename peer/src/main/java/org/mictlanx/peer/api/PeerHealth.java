package org.mictlanx.peer.api;

/** {@code live}: the process answers; {@code ready}: it accepts reads and writes (store open, disk not full). */
public record PeerHealth(String peerId, boolean live, boolean ready, String detail) {
}

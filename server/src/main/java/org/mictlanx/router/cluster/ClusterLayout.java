package org.mictlanx.router.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The versioned set of peers. A higher {@code version} always wins, so every router converges on
 * the newest layout stored on the peers. {@code draining} peers stay readable but receive no new
 * replicas: placement only uses {@link #active()}.
 */
public record ClusterLayout(long version, List<PeerDescriptor> peers, Set<String> draining) {

    public ClusterLayout {
        peers = List.copyOf(peers);
        draining = Set.copyOf(draining);
        Set<String> ids = new LinkedHashSet<>();
        for (PeerDescriptor p : peers) {
            if (!ids.add(p.id())) throw new IllegalArgumentException("duplicate peer id " + p.id());
        }
        if (!ids.containsAll(draining)) throw new IllegalArgumentException("draining peer not in layout");
    }

    public static ClusterLayout of(long version, List<PeerDescriptor> peers) {
        return new ClusterLayout(version, peers, Set.of());
    }

    /** Peers that receive new replicas (all but the draining ones), in layout order. */
    public List<PeerDescriptor> active() {
        return peers.stream().filter(p -> !draining.contains(p.id())).toList();
    }

    public Optional<PeerDescriptor> peer(String id) {
        return peers.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public ClusterLayout withPeer(PeerDescriptor peer) {
        if (peer(peer.id()).isPresent()) throw new IllegalArgumentException("peer " + peer.id() + " already in layout");
        List<PeerDescriptor> next = new ArrayList<>(peers);
        next.add(peer);
        return new ClusterLayout(version + 1, next, draining);
    }

    /** The same peer id at a new url, zone or weight (e.g. an empty replacement of a dead peer). */
    public ClusterLayout withReplaced(PeerDescriptor peer) {
        if (peer(peer.id()).isEmpty()) throw new IllegalArgumentException("no peer " + peer.id());
        return new ClusterLayout(version + 1, peers.stream().map(p -> p.id().equals(peer.id()) ? peer : p).toList(), draining);
    }

    public ClusterLayout withDraining(String id) {
        if (peer(id).isEmpty()) throw new IllegalArgumentException("no peer " + id);
        Set<String> next = new LinkedHashSet<>(draining);
        next.add(id);
        return new ClusterLayout(version + 1, peers, next);
    }

    public ClusterLayout without(String id) {
        if (peer(id).isEmpty()) throw new IllegalArgumentException("no peer " + id);
        Set<String> nextDraining = new LinkedHashSet<>(draining);
        nextDraining.remove(id);
        return new ClusterLayout(version + 1, peers.stream().filter(p -> !p.id().equals(id)).toList(), nextDraining);
    }

    /**
     * Parses the peer list of the {@code peer-urls} setting: comma-separated entries
     * {@code ID=URL[|zone=Z][|weight=W]} (zone "default", weight 1 when absent). The result has
     * version 0, so any layout already stored on the peers (written by the admin commands) wins.
     */
    public static ClusterLayout parse(String spec) {
        List<PeerDescriptor> peers = new ArrayList<>();
        for (String entry : spec.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) continue;
            String[] parts = e.split("\\|");
            int eq = parts[0].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("bad peer entry '" + e + "': expected ID=URL");
            String zone = "default";
            double weight = 1.0;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length != 2) throw new IllegalArgumentException("bad peer option '" + parts[i] + "' in '" + e + "'");
                switch (kv[0].strip()) {
                    case "zone" -> zone = kv[1].strip();
                    case "weight" -> weight = Double.parseDouble(kv[1].strip());
                    default -> throw new IllegalArgumentException("unknown peer option '" + kv[0] + "' in '" + e + "'");
                }
            }
            peers.add(new PeerDescriptor(parts[0].substring(0, eq).strip(), parts[0].substring(eq + 1).strip(), zone, weight));
        }
        if (peers.isEmpty()) throw new IllegalArgumentException("no peers configured");
        return new ClusterLayout(0, peers, Set.of());
    }

    /** Orders layouts: higher version first wins. */
    public static final Comparator<ClusterLayout> BY_VERSION = Comparator.comparingLong(ClusterLayout::version);
}

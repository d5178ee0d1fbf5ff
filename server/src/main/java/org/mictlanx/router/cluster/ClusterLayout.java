package org.mictlanx.router.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
     * Parses a peer list: entries separated by newlines or {@code ;}, each
     * {@code ID URL [ZONE [WEIGHT]]} separated by spaces; {@code #} starts a comment; an optional
     * entry {@code version N} sets the version (default 0, so a layout stored on the peers wins).
     */
    public static ClusterLayout parse(String spec) {
        long version = 0;
        List<PeerDescriptor> peers = new ArrayList<>();
        for (String raw : spec.split("[;\\n]")) {
            String line = raw.replaceFirst("#.*", "").trim();
            if (line.isEmpty()) continue;
            String[] f = line.split("\\s+");
            if (f[0].equals("version") && f.length == 2) {
                version = Long.parseLong(f[1]);
                continue;
            }
            if (f.length < 2 || f.length > 4) throw new IllegalArgumentException("bad peer entry: " + line);
            double weight = f.length == 4 ? Double.parseDouble(f[3]) : 1.0;
            peers.add(new PeerDescriptor(f[0], f[1], f.length >= 3 ? f[2] : "default", weight));
        }
        if (peers.isEmpty()) throw new IllegalArgumentException("no peers configured");
        return new ClusterLayout(version, peers, Set.of());
    }

    /**
     * The layout from the environment: {@code MICTLANX_PEERS} (the {@link #parse} format) or the
     * file named by {@code MICTLANX_PEERS_FILE}.
     */
    public static Optional<ClusterLayout> fromEnv(Map<String, String> env) throws IOException {
        String inline = env.get("MICTLANX_PEERS");
        if (inline != null && !inline.isBlank()) return Optional.of(parse(inline));
        String file = env.get("MICTLANX_PEERS_FILE");
        if (file != null && !file.isBlank()) return Optional.of(parse(Files.readString(Path.of(file))));
        return Optional.empty();
    }

    /** Orders layouts: higher version first wins. */
    public static final Comparator<ClusterLayout> BY_VERSION = Comparator.comparingLong(ClusterLayout::version);
}

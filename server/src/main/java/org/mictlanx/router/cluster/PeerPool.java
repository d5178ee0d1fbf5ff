package org.mictlanx.router.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current layout with a live client per peer and the placement over its active peers.
 * Swapped atomically as a whole when a newer layout is applied; readers take one {@link View}
 * and use it for a whole operation.
 */
public final class PeerPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerPool.class);

    /** An immutable snapshot: layout, nodes by id, placement over active peers. */
    public record View(ClusterLayout layout, Map<String, PeerNode> nodes, Placement placement) {

        public List<PeerNode> place(String key, int n) {
            return placement.place(key, n).stream().map(d -> nodes.get(d.id())).toList();
        }

        /** Every node, best first (up, then lowest latency). */
        public List<PeerNode> allByScore() {
            List<PeerNode> all = new ArrayList<>(nodes.values());
            all.sort(Comparator.comparingDouble(PeerNode::score));
            return all;
        }

        public Optional<PeerNode> node(String id) {
            return Optional.ofNullable(nodes.get(id));
        }

        /** Number of peers that receive replicas. */
        public int activeCount() {
            return placement.peers().size();
        }
    }

    private final PeerConnector connector;
    private final boolean ownsClients;
    private volatile View view;

    /** @param ownsClients whether the clients the connector returns are closed when dropped or on close */
    public PeerPool(ClusterLayout layout, PeerConnector connector, boolean ownsClients) {
        this.connector = connector;
        this.ownsClients = ownsClients;
        this.view = build(layout, Map.of());
    }

    public View view() {
        return view;
    }

    /** Applies {@code layout} if it is newer than the current one; returns whether it did. */
    public synchronized boolean apply(ClusterLayout layout) {
        View old = view;
        if (layout.version() <= old.layout().version()) return false;
        View next = build(layout, old.nodes());
        view = next;
        for (PeerNode n : old.nodes().values()) {
            PeerNode kept = next.nodes().get(n.id());
            if (kept == null || kept.api() != n.api()) closeQuietly(n);
        }
        LOG.info("applied cluster layout v{} ({} peers, draining {})", layout.version(), layout.peers().size(), layout.draining());
        return true;
    }

    private View build(ClusterLayout layout, Map<String, PeerNode> existing) {
        Map<String, PeerNode> nodes = new LinkedHashMap<>();
        for (PeerDescriptor d : layout.peers()) {
            PeerNode old = existing.get(d.id());
            nodes.put(d.id(), old != null && old.descriptor().url().equals(d.url())
                    ? new PeerNodeRebind(old, d).node() : new PeerNode(d, connector.connect(d)));
        }
        return new View(layout, Map.copyOf(nodes), new RendezvousPlacement(layout.active()));
    }

    /** Keeps the client of a peer whose url did not change, with its (possibly new) zone and weight. */
    private record PeerNodeRebind(PeerNode old, PeerDescriptor d) {
        PeerNode node() {
            return old.descriptor().equals(d) ? old : new PeerNode(d, old.api());
        }
    }

    private void closeQuietly(PeerNode n) {
        if (!ownsClients) return;
        try {
            n.api().close();
        } catch (RuntimeException e) {
            LOG.debug("closing peer {}: {}", n.id(), e.toString());
        }
    }

    @Override
    public synchronized void close() {
        for (PeerNode n : view.nodes().values()) closeQuietly(n);
    }
}

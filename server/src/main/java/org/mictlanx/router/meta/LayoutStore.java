package org.mictlanx.router.meta;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.quorum.Fanout;
import org.mictlanx.router.quorum.QuorumTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cluster layout replicated on every peer of the layout, as the JSON record
 * ({@code _mx.layout}, {@code current}). Loading asks every reachable peer and keeps the highest
 * layout version, so all routers converge on the newest layout; storing needs a majority.
 */
public final class LayoutStore {

    private static final Logger LOG = LoggerFactory.getLogger(LayoutStore.class);
    private static final String SORT_KEY = "current";

    private final PeerPool pool;
    private final Fanout fanout;
    private final HybridClock clock;
    private final ObjectMapper json = new ObjectMapper();

    public LayoutStore(PeerPool pool, Fanout fanout, HybridClock clock) {
        this.pool = pool;
        this.fanout = fanout;
        this.clock = clock;
    }

    /** The newest layout stored on any reachable peer of the current layout. */
    public Optional<ClusterLayout> load() {
        List<PeerNode> nodes = List.copyOf(pool.view().nodes().values());
        Fanout.Result<PeerNode, Optional<MetaRecord>> res = fanout.call(nodes, nodes.size(),
                n -> n.call(p -> p.getRecord(Partitions.LAYOUT, SORT_KEY)));
        res.all().join();
        ClusterLayout best = null;
        for (Optional<MetaRecord> rec : res.successes().values()) {
            if (rec.isEmpty() || rec.get().tombstone()) continue;
            clock.observe(rec.get().version());
            ClusterLayout l = decode(rec.get().value());
            if (best == null || l.version() > best.version()) best = l;
        }
        return Optional.ofNullable(best);
    }

    /** Stores {@code layout} on every peer it names (a majority must acknowledge). */
    public void store(ClusterLayout layout, List<PeerNode> targets) {
        MetaRecord rec = new MetaRecord(Partitions.LAYOUT, SORT_KEY, clock.next(), false, encode(layout));
        Fanout.Result<PeerNode, Boolean> res = fanout.call(targets, QuorumTracker.majority(targets.size()),
                n -> n.call(p -> p.putRecord(rec)));
        if (!res.succeeded()) {
            throw new RouterException(RouterException.Kind.QUORUM_FAILED, "storing layout v" + layout.version()
                    + " failed: " + res.failureSummary());
        }
        LOG.info("stored cluster layout v{}", layout.version());
    }

    /** Loads the stored layout and applies it when newer; returns whether the view changed. */
    public boolean refresh() {
        try {
            return load().map(pool::apply).orElse(false);
        } catch (RuntimeException e) {
            LOG.debug("layout refresh failed: {}", e.toString());
            return false;
        }
    }

    byte[] encode(ClusterLayout layout) {
        try {
            return json.writeValueAsBytes(layout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ClusterLayout decode(byte[] value) {
        try {
            return json.readValue(value, ClusterLayout.class);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt layout record", e);
        }
    }
}

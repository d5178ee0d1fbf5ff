package org.mictlanx.router.maint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.mictlanx.peer.api.PeerHealth;
import org.mictlanx.router.cluster.PeerNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns health probes into repair work, so that a cluster left alone returns to N replicas:
 * <ul>
 *   <li>a peer reporting a damaged store (its RocksDB saw corruption) is rebuilt online
 *       ({@link PeerRebuild}): asked to rebuild its store, then refilled;
 *   <li>a peer seen ready releases the repairs parked under it (hinted handoff delivered as soon as
 *       it is back);
 *   <li>a full pass is requested when a peer's background scrub has deleted damaged chunks since the
 *       last probe (they are re-created from authentic replicas), when a peer comes back with another
 *       store incarnation (an empty or replaced disk: it is refilled), and when targeted repairs were
 *       dropped for lack of room (once every peer is up again).
 * </ul>
 * The first probe of a peer after this router starts only records what it saw.
 */
public final class PeerWatch {

    private static final Logger LOG = LoggerFactory.getLogger(PeerWatch.class);

    private record Seen(long scrubDamaged, String incarnation) {
    }

    private final RepairQueue queue;
    private final Runnable requestFullPass;
    private final java.util.function.Consumer<String> rebuildDamaged;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    /** Peers last seen reporting a damaged store (logged once each time one turns damaged). */
    private final java.util.Set<String> damaged = ConcurrentHashMap.newKeySet();

    public PeerWatch(RepairQueue queue, Runnable requestFullPass) {
        this(queue, requestFullPass, id -> { });
    }

    /** {@code rebuildDamaged}: called with the id of a peer a probe found reporting a damaged store. */
    public PeerWatch(RepairQueue queue, Runnable requestFullPass, java.util.function.Consumer<String> rebuildDamaged) {
        this.queue = queue;
        this.requestFullPass = requestFullPass;
        this.rebuildDamaged = rebuildDamaged;
    }

    /**
     * Probes every node at once on {@code executor}, each bounded by {@code timeoutMillis} (a frozen
     * peer must not delay the others' probes, nor hold this one for a whole call timeout); records
     * each outcome on its node (up/down, latency) and turns what it saw into repair work.
     */
    public void probe(List<PeerNode> nodes, Executor executor, long timeoutMillis) {
        List<CompletableFuture<PeerHealth>> probes = new ArrayList<>();
        long[] started = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            PeerNode n = nodes.get(i);
            started[i] = System.nanoTime();
            probes.add(CompletableFuture.supplyAsync(() -> n.api().health(), executor).orTimeout(timeoutMillis, TimeUnit.MILLISECONDS));
        }
        boolean allReady = true;
        for (int i = 0; i < nodes.size(); i++) {
            PeerNode n = nodes.get(i);
            PeerHealth h;
            try {
                h = probes.get(i).join();
            } catch (RuntimeException e) {
                h = null;
            }
            boolean ok = h != null && h.live() && h.ready();
            n.observe(System.nanoTime() - started[i], ok);
            if (ok) ready(n.id(), h);
            else if (h != null && h.live() && h.storeDamaged()) {
                if (damaged.add(n.id())) LOG.error("peer {} reports a damaged store ({}): online rebuild", n.id(), h.detail());
                rebuildDamaged.accept(n.id()); // again at every probe while it is damaged (one rebuild runs at a time)
            }
            allReady &= ok;
        }
        afterProbe(allReady);
    }

    /** A probe found {@code peerId} live and ready with health {@code h}. */
    public void ready(String peerId, PeerHealth h) {
        damaged.remove(peerId);
        int released = queue.release(peerId);
        if (released > 0) LOG.info("peer {} is back: {} parked repairs released", peerId, released);
        Seen now = new Seen(h.scrubDamaged(), h.incarnation());
        Seen before = seen.put(peerId, now);
        if (before == null) return;
        if (now.incarnation() != null && before.incarnation() != null && !Objects.equals(now.incarnation(), before.incarnation())) {
            LOG.warn("peer {} came back with a new store ({} -> {}): full repair pass to refill it", peerId,
                    before.incarnation(), now.incarnation());
            requestFullPass.run();
        } else if (now.scrubDamaged() > before.scrubDamaged()) {
            LOG.warn("peer {} scrub deleted {} damaged chunks: full repair pass to re-create them", peerId,
                    now.scrubDamaged() - before.scrubDamaged());
            requestFullPass.run();
        }
    }

    /** After a probe round; {@code allReady}: every peer answered ready. */
    public void afterProbe(boolean allReady) {
        if (allReady && queue.takeOverflow()) {
            LOG.warn("targeted repairs were dropped (queue full): full repair pass");
            requestFullPass.run();
        }
    }
}

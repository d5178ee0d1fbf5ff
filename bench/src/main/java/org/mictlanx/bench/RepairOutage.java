package org.mictlanx.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.mictlanx.peer.api.ChunkPage;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.http.RequestSigner;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.RouterStats;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.meta.BallRecord;

/**
 * The outage phase of {@link RepairBench}: with a router whose background work runs (probes every
 * {@code probeInterval}, hinted handoff kept until delivered, no periodic pass within the run), one
 * peer process is killed for {@code --outage-seconds} while a writer puts {@code --outage-ball-kib}
 * balls at {@code --outage-rate} per second; the peer restarts on its data directory (same port) and
 * the time until every chunk written meanwhile is back on it is measured, with no admin command: the
 * time to full redundancy after an outage that docs/operations.md quotes, with the repair throughput
 * (replicas and bytes restored per second by the router's repair workers).
 */
final class RepairOutage {

    private RepairOutage() {
    }

    static void run(Router router, List<PeerDescriptor> ds, List<Process> procs, Path root, int victim, int seconds, int ballKib,
                    int rate) throws Exception {
        byte[] data = new byte[ballKib << 10];
        new Random(3).nextBytes(data);
        Process p = procs.get(victim);
        p.destroyForcibly().waitFor();
        long downAt = System.nanoTime();
        List<String> chunks = new ArrayList<>();
        int balls = 0;
        long end = downAt + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            long next = System.nanoTime() + 1_000_000_000L / Math.max(1, rate);
            String key = "outage-" + balls++;
            RepairBench.put(router, key, data);
            BallRecord ball = (BallRecord) router.headBall("bench", key).orElseThrow().layout();
            for (long c = 0; c < ball.chunkCount(); c++) chunks.add(ball.chunkId(c));
            long wait = next - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        }
        int port = URI.create(ds.get(victim).url()).getPort();
        Process again = RepairBench.startPeer(ds.get(victim).id(), root.resolve(ds.get(victim).id()), port);
        procs.set(victim, again);
        RepairBench.awaitListening(again);
        long back = System.nanoTime();
        RouterStats.Maintenance before = router.stats().maintenance();
        try (HttpPeerClient peer = new HttpPeerClient(ds.get(victim).id(), URI.create(ds.get(victim).url()),
                new RequestSigner(RepairBench.SECRET), Duration.ofSeconds(30))) {
            Set<String> owed = new HashSet<>(chunks);
            long deadline = back + TimeUnit.MINUTES.toNanos(15);
            while (true) {
                owed.removeAll(held(peer));
                if (owed.isEmpty()) break;
                if (System.nanoTime() > deadline) throw new IllegalStateException(owed.size() + " chunks still missing after 15 minutes");
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        double took = (System.nanoTime() - back) / 1e9;
        RouterStats.Maintenance after = router.stats().maintenance();
        long restored = after.replicasRestored() - before.replicasRestored();
        long bytes = after.bytesCopied() - before.bytesCopied();
        System.out.printf(Locale.ROOT, "  outage: peer %s down %.1f s while %d balls of %d KiB (%d chunks) were written; full redundancy "
                        + "%.1f s after it returned, no admin command (%d replicas, %.1f MiB restored: %.0f replicas/s, %.1f MiB/s), load %s%n",
                ds.get(victim).id(), (back - downAt) / 1e9, balls, ballKib, chunks.size(), took, restored, bytes / 1048576.0,
                restored / took, bytes / 1048576.0 / took, RepairBench.load());
    }

    /** Every chunk id the peer lists now. */
    private static Set<String> held(HttpPeerClient peer) {
        Set<String> out = new HashSet<>();
        String after = null;
        while (true) {
            ChunkPage page = peer.listChunks(after, 10_000);
            out.addAll(page.ids());
            if (page.nextAfter() == null || page.ids().isEmpty()) return out;
            after = page.nextAfter();
        }
    }

    /** The bench's router configuration with background work on and no periodic full pass within the run. */
    static RouterConfig background(RouterConfig cfg) {
        return cfg.toBuilder().repairInterval(Duration.ofHours(1)).build();
    }
}

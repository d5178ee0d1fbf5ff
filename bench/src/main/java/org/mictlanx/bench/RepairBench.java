package org.mictlanx.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.http.RequestSigner;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.RouterStats;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.crypto.MasterKeys;

/**
 * Repair costs over three real peer processes (RocksDB, signed HTTP on loopback), N=3, W=2, one
 * in-process router without background threads:
 * <ol>
 *   <li>a no-op full repair pass over {@code --balls} balls of {@code --ball-kib} KiB (every replica
 *       present): the median of {@code --passes} passes;</li>
 *   <li>repair throughput: one peer is killed, its data directory wiped, and it is restarted empty on
 *       the same port; one full pass restores N replicas of every chunk: time, replicas, MiB/s;</li>
 *   <li>the GET cost of proving every chunk beyond the prefetch window exists and of the peers'
 *       verification of the next 64 MiB ({@code BallReader#prime}): time to first byte of a
 *       {@code --large-mib} ball against a ball that fits the window, and the whole GET of the large ball;</li>
 *   <li>time to full redundancy after an outage ({@link RepairOutage}): a peer killed for
 *       {@code --outage-seconds} under writes, restarted, and re-filled by a router's background repair
 *       alone, with the repair throughput.</li>
 * </ol>
 * {@code bench/run.sh repair [--balls 300] [--ball-kib 4096] [--chunk-kib 1024] [--passes 3] [--large-mib 256] [--gets 10]
 * [--outage-seconds 20] [--outage-ball-kib 512] [--outage-rate 20]} ({@code --outage-seconds 0} skips the outage).
 * The machine's load average is printed with the figures (a shared machine inflates them).
 */
public final class RepairBench {

    static final String SECRET = "repair-bench-secret";

    private RepairBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int balls = Integer.parseInt(args.get("balls", "300"));
        int ballKib = Integer.parseInt(args.get("ball-kib", "4096"));
        int chunkKib = Integer.parseInt(args.get("chunk-kib", "1024"));
        int passes = Integer.parseInt(args.get("passes", "3"));
        int largeMib = Integer.parseInt(args.get("large-mib", "256"));
        int gets = Integer.parseInt(args.get("gets", "10"));
        int outageSeconds = Integer.parseInt(args.get("outage-seconds", "20"));
        int outageBallKib = Integer.parseInt(args.get("outage-ball-kib", "512"));
        int outageRate = Integer.parseInt(args.get("outage-rate", "20"));
        Path root = Files.createTempDirectory("repair-bench");
        List<Process> procs = new ArrayList<>(Arrays.asList(new Process[3]));
        try {
            List<PeerDescriptor> ds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Process p = startPeer("r" + i, root.resolve("r" + i), 0);
                procs.set(i, p);
                ds.add(new PeerDescriptor("r" + i, awaitListening(p).toString(), "default", 1));
            }
            RouterConfig d = RouterConfig.defaults();
            RouterConfig cfg = new RouterConfig(chunkKib << 10, 3, 2, 0, d.inFlightChunks(), d.prefetchChunks(),
                    Duration.ofSeconds(30), d.probeInterval(), Duration.ofHours(1), Duration.ofHours(1), d.gcGrace(),
                    1L << 40);
            MasterKeys keys = MasterKeys.random("bench");
            try (Router router = router(ds, keys, cfg, false)) {
                router.createBucket("bench", "bench", "local");
                byte[] data = new byte[ballKib << 10];
                new Random(1).nextBytes(data);
                long t0 = System.nanoTime();
                for (int i = 0; i < balls; i++) put(router, "k" + i, data);
                System.out.printf(Locale.ROOT, "repair bench: %d balls of %d KiB, %d KiB chunks, 3 peers N=3 W=2 (written in %.1f s), load %s%n",
                        balls, ballKib, chunkKib, (System.nanoTime() - t0) / 1e9, load());
                router.repairNow(false); // warm-up
                long[] ns = new long[passes];
                for (int i = 0; i < passes; i++) {
                    long s = System.nanoTime();
                    router.repairNow(false);
                    ns[i] = System.nanoTime() - s;
                }
                Arrays.sort(ns);
                System.out.printf(Locale.ROOT, "  no-op full pass: median %.2f s (min %.2f, max %.2f) over %d balls / %d chunks, load %s%n",
                        ns[passes / 2] / 1e9, ns[0] / 1e9, ns[passes - 1] / 1e9, balls, (long) balls * ((ballKib + chunkKib - 1) / chunkKib), load());

                // wipe one peer and restart it empty on the same port
                Process victim = procs.get(2);
                victim.destroyForcibly().waitFor();
                deleteTree(root.resolve("r2"));
                int port = URI.create(ds.get(2).url()).getPort();
                Process again = startPeer("r2", root.resolve("r2"), port);
                procs.set(2, again);
                awaitListening(again);
                router.probeNow();
                RouterStats.Maintenance before = router.stats().maintenance();
                long s = System.nanoTime();
                router.repairNow(false);
                long took = System.nanoTime() - s;
                RouterStats.Maintenance after = router.stats().maintenance();
                long restored = after.replicasRestored() - before.replicasRestored();
                long bytes = after.bytesCopied() - before.bytesCopied();
                System.out.printf(Locale.ROOT, "  peer wipe: %d replicas (%.0f MiB) restored in %.2f s: %.0f replicas/s, %.1f MiB/s, load %s%n",
                        restored, bytes / 1048576.0, took / 1e9, restored / (took / 1e9), bytes / 1048576.0 / (took / 1e9), load());

                // GET: time to first byte (window primed + the rest proven to exist) and whole reads
                byte[] small = new byte[(d.prefetchChunks() + 1) * (chunkKib << 10)];
                put(router, "small", small);
                byte[] large = new byte[largeMib << 20];
                new Random(2).nextBytes(large);
                put(router, "large", large);
                long[] ttfbSmall = new long[gets], ttfbLarge = new long[gets], whole = new long[gets];
                for (int i = 0; i < gets; i++) {
                    ttfbSmall[i] = firstByte(router, "small");
                    ttfbLarge[i] = firstByte(router, "large");
                    long g = System.nanoTime();
                    long n = readAll(router, "large");
                    whole[i] = System.nanoTime() - g;
                    if (n != large.length) throw new IllegalStateException("short read");
                }
                Arrays.sort(ttfbSmall);
                Arrays.sort(ttfbLarge);
                Arrays.sort(whole);
                System.out.printf(Locale.ROOT, "  GET first byte (p50): %d KiB ball (fits the window) %.1f ms, %d MiB ball (%d chunks probed) %.1f ms; whole %d MiB GET p50 %.0f ms, load %s%n",
                        small.length >> 10, ttfbSmall[gets / 2] / 1e6, largeMib, (largeMib << 10) / chunkKib - d.prefetchChunks() - 1,
                        ttfbLarge[gets / 2] / 1e6, largeMib, whole[gets / 2] / 1e6, load());
                verifyCost(router, ds, d.prefetchChunks() + 1, chunkKib, gets);
            }
            if (outageSeconds > 0) {
                try (Router router = router(ds, keys, RepairOutage.background(cfg), true)) {
                    RepairOutage.run(router, ds, procs, root, 1, outageSeconds, outageBallKib, outageRate);
                }
            }
        } finally {
            for (Process p : procs) {
                if (p == null) continue;
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            }
            deleteTree(root);
        }
    }

    /**
     * What the peers' verification before the status line adds ({@code VerifyAhead}): one peer (each in
     * turn) verifies the next 64 MiB of chunks after the prefetch window of the large ball, as a healthy
     * GET has its best replica do (one call); p50 of {@code runs}.
     */
    private static void verifyCost(Router router, List<PeerDescriptor> ds, int window, int chunkKib, int runs) throws Exception {
        BallRecord ball = (BallRecord) router.headBall("bench", "large").orElseThrow().layout();
        List<String> ids = new ArrayList<>();
        for (long c = window; c < ball.chunkCount() && (long) ids.size() * chunkKib < (64L << 10); c++) ids.add(ball.chunkId(c));
        List<HttpPeerClient> peers = ds.stream().map(x -> new HttpPeerClient(x.id(), URI.create(x.url()), new RequestSigner(SECRET),
                Duration.ofSeconds(30))).toList();
        long[] ns = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            if (!peers.get(i % peers.size()).verifyChunks(ids).isEmpty()) throw new IllegalStateException("a copy failed verification");
            ns[i] = System.nanoTime() - t0;
        }
        peers.forEach(HttpPeerClient::close);
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "  a peer's verification of the next %d chunks (%d MiB) after the window: p50 %.1f ms (min %.1f), load %s%n",
                ids.size(), ((long) ids.size() * chunkKib) >> 10, ns[runs / 2] / 1e6, ns[0] / 1e6, load());
    }

    /** A router over the bench's peers; {@code background}: probes, hint sweeps and repair workers run. */
    private static Router router(List<PeerDescriptor> ds, MasterKeys keys, RouterConfig cfg, boolean background) {
        return Router.builder().layout(ClusterLayout.of(1, ds), x -> new HttpPeerClient(x.id(), URI.create(x.url()),
                new RequestSigner(SECRET), Duration.ofSeconds(30))).masterKeys(keys).config(cfg).background(background).build();
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static void put(Router router, String key, byte[] data) {
        router.putBall(new PutBall("bench", key, data.length, Map.of(), Map.of(), Set.of(), null), new ByteArrayInputStream(data));
    }

    private static long firstByte(Router router, String key) throws IOException {
        BallInfo info = router.headBall("bench", key).orElseThrow();
        long t0 = System.nanoTime();
        try (InputStream in = router.openBall(info, 0, -1)) {
            long t = System.nanoTime() - t0;
            if (in.read() < 0) throw new IllegalStateException("empty");
            return t;
        }
    }

    private static long readAll(Router router, String key) throws IOException {
        BallInfo info = router.headBall("bench", key).orElseThrow();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        try (InputStream in = router.openBall(info, 0, -1)) {
            for (int r; (r = in.read(buf)) > 0; ) total += r;
        }
        return total;
    }

    static Process startPeer(String id, Path data, int port) throws IOException {
        return BenchPeers.launch(id, data, port, SECRET, "512m");
    }

    static URI awaitListening(Process p) throws IOException {
        return BenchPeers.awaitListening(p);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}

package org.mictlanx.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.RouterStats;

/**
 * Repair costs over three real peer processes (RocksDB, signed HTTP on loopback), N=3, W=2, one
 * in-process router without background threads:
 * <ol>
 *   <li>a no-op full repair pass over {@code --balls} balls of {@code --ball-kib} KiB (every replica
 *       present): the median of {@code --passes} passes;</li>
 *   <li>repair throughput: one peer is killed, its data directory wiped, and it is restarted empty on
 *       the same port; one full pass restores N replicas of every chunk: time, replicas, MiB/s;</li>
 *   <li>the GET cost of proving every chunk beyond the prefetch window exists ({@code BallReader#prime}):
 *       time to first byte of a {@code --large-mib} ball against a ball that fits the window, and the
 *       whole GET of the large ball.</li>
 * </ol>
 * {@code bench/run.sh repair [--balls 300] [--ball-kib 4096] [--chunk-kib 1024] [--passes 3] [--large-mib 256] [--gets 10]}.
 * The machine's load average is printed with the figures (a shared machine inflates them).
 */
public final class RepairBench {

    private static final String SECRET = "repair-bench-secret";

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
        try (BenchPeers peers = BenchPeers.start("r", 3, SECRET, "512m")) {
            RouterConfig d = RouterConfig.defaults();
            RouterConfig cfg = new RouterConfig(chunkKib << 10, 3, 2, 0, d.inFlightChunks(), d.prefetchChunks(),
                    Duration.ofSeconds(30), d.probeInterval(), Duration.ofHours(1), Duration.ofHours(1), d.gcGrace(),
                    1L << 40);
            try (Router router = peers.router(cfg).background(false).build()) {
                router.createBucket(BenchPeers.BUCKET, "bench", "local");
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
                peers.wipeAndRestart(2);
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
            }
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void put(Router router, String key, byte[] data) {
        BenchPeers.put(router, key, data);
    }

    private static long firstByte(Router router, String key) throws IOException {
        BallInfo info = router.headBall(BenchPeers.BUCKET, key).orElseThrow();
        long t0 = System.nanoTime();
        try (InputStream in = router.openBall(info, 0, -1)) {
            long t = System.nanoTime() - t0;
            if (in.read() < 0) throw new IllegalStateException("empty");
            return t;
        }
    }

    private static long readAll(Router router, String key) throws IOException {
        return BenchPeers.readAll(router, key);
    }
}

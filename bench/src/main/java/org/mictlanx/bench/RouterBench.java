package org.mictlanx.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterConfig;

/**
 * Router throughput and latency over real peer processes (RocksDB, HTTP on loopback):
 * sequential put and get of 1 MiB and 64 MiB balls with 3 peers (N=3, W=2) and with 1 peer (N=1).
 *
 * <p>{@code bin/mictlanx bench-router [--small-count 40] [--large-count 4] [--chunk-mib 8]}
 */
public final class RouterBench {

    private static final String SECRET = "router-bench-secret";

    private RouterBench() {
    }

    public static void main(String[] argv) throws Exception {
        int smallCount = 40;
        int largeCount = 4;
        int chunkMib = 8;
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--small-count" -> smallCount = Integer.parseInt(argv[++i]);
                case "--large-count" -> largeCount = Integer.parseInt(argv[++i]);
                case "--chunk-mib" -> chunkMib = Integer.parseInt(argv[++i]);
                default -> {
                    System.err.println("usage: bench-router [--small-count N] [--large-count N] [--chunk-mib N]");
                    System.exit(2);
                }
            }
        }
        System.out.printf("%-12s %-8s %-5s %10s %10s %10s%n", "setup", "ball", "op", "MiB/s", "p50 ms", "p99 ms");
        for (int peers : new int[] {3, 1}) {
            runSetup(peers, chunkMib, smallCount, largeCount);
        }
    }

    private static void runSetup(int peerCount, int chunkMib, int smallCount, int largeCount) throws Exception {
        try (BenchPeers peers = BenchPeers.start("b", peerCount, SECRET, "1g")) {
            RouterConfig d = RouterConfig.defaults();
            int n = peerCount;
            RouterConfig cfg = new RouterConfig(chunkMib << 20, n, n / 2 + 1, 0, d.inFlightChunks(), d.prefetchChunks(),
                    Duration.ofSeconds(30), d.probeInterval(), Duration.ofHours(1), Duration.ofHours(1), d.gcGrace(),
                    d.repairBytesPerSecond());
            try (Router router = peers.router(cfg).build()) {
                router.createBucket(BenchPeers.BUCKET, "bench", "local");
                String setup = peerCount + " peer" + (peerCount > 1 ? "s N=3 W=2" : " N=1");
                measure(router, setup, 1 << 20, smallCount);
                measure(router, setup, 64 << 20, largeCount);
            }
        }
    }

    private static void measure(Router router, String setup, int size, int count) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        // warm-up: one put and get outside the measurement
        put(router, "warm-" + size, data);
        get(router, "warm-" + size);
        long[] putNs = new long[count];
        long[] getNs = new long[count];
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            put(router, "k-" + size + "-" + i, data);
            putNs[i] = System.nanoTime() - t0;
        }
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            long got = get(router, "k-" + size + "-" + i);
            getNs[i] = System.nanoTime() - t0;
            if (got != size) throw new IllegalStateException("short read");
        }
        String label = (size >> 20) + " MiB";
        report(setup, label, "put", size, putNs);
        report(setup, label, "get", size, getNs);
    }

    private static void report(String setup, String label, String op, int size, long[] ns) {
        long total = Arrays.stream(ns).sum();
        double mibs = (double) size * ns.length / (1 << 20) / (total / 1e9);
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        System.out.printf("%-12s %-8s %-5s %10.1f %10.1f %10.1f%n", setup, label, op, mibs,
                pct(sorted, 0.50) / 1e6, pct(sorted, 0.99) / 1e6);
    }

    private static long pct(long[] sorted, double p) {
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    private static void put(Router router, String key, byte[] data) {
        BenchPeers.put(router, key, data);
    }

    private static long get(Router router, String key) throws IOException {
        return BenchPeers.readAll(router, key);
    }
}

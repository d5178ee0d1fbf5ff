package org.mictlanx.bench;

import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.http.PeerServer;
import org.mictlanx.peer.http.PeerTls;
import org.mictlanx.peer.http.ReplayCache;
import org.mictlanx.peer.http.RequestSigner;
import org.mictlanx.peer.store.ChunkCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Peer benchmark: synced chunk put and verified get over HTTP on loopback against a real peer
 * (RocksDB in a temp dir), for 4 KiB, 1 MiB and 8 MiB chunks at concurrency 1, 8 and 32, plus two
 * baselines measured in the same run on the same file system: {@code dd bs=1M count=256
 * conv=fdatasync} and 4 KiB writes with one fsync each. Usage:
 * {@code bin/mictlanx bench-peer [--seconds S] [--dir PARENT] [--sizes 4K,1M,8M] [--conc 1,8,32] [--puts-only] [--in-process]
 * [--rocks-stats] [--unlogged-min N] [--tls DIR]}
 * [--warmup W] (S: duration of each phase, default 3; W: unmeasured puts (and gets) at the highest concurrency
 * before the phases of each size, default 3 s; {@code --sizes}: only these chunk sizes; {@code --conc}: only these
 * concurrencies; {@code --puts-only}: skip the get phases (for profiling puts); {@code --in-process}: call the peer
 * directly instead of over HTTP (to tell transport cost from storage cost); {@code --rocks-stats}:
 * print RocksDB's write, WAL, flush and stall counters after each size; {@code --unlogged-min}: chunks of
 * at least N bytes (suffix K/M allowed) skip the WAL when 2+ are in flight; default 4M, as in the peer;
 * {@code --tls DIR}: mutual TLS with DIR/localhost.crt, DIR/localhost.key and DIR/ca.crt, e.g. the
 * {@code tls} directory of {@code deploy/gen-secrets.sh DIR localhost=localhost,127.0.0.1}).
 */
public final class PeerBench {
    private static final int[] ALL_SIZES = {4 << 10, 1 << 20, 8 << 20};
    private static final int[] ALL_CONCURRENCY = {1, 8, 32};

    private PeerBench() {
    }

    /** Result of one phase. */
    record Phase(long ops, long bytes, double seconds, long[] latenciesNanos, long cpuNanos) {
        /** CPU time of the whole process (bench client, peer, JIT, GC) per operation, in microseconds. */
        double cpuMicrosPerOp() {
            return ops == 0 ? Double.NaN : cpuNanos / 1e3 / ops;
        }

        double mibPerSec() {
            return bytes / 1048576.0 / seconds;
        }

        double opsPerSec() {
            return ops / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) return Double.NaN;
            return latenciesNanos[(int) Math.min(latenciesNanos.length - 1, Math.floor(p * latenciesNanos.length))] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "mictlanx-peer-logback.xml");
        }
        double seconds = 3;
        int[] sizes = ALL_SIZES;
        int[] concurrency = ALL_CONCURRENCY;
        boolean rocksStats = false;
        boolean gets = true;
        boolean inProcess = false;
        double warmup = 3;
        int unloggedMin = PeerConfig.DEFAULT_UNLOGGED_CHUNK_MIN_BYTES;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        PeerTls tls = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--dir" -> parent = Path.of(args[++i]);
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(PeerBench::parseSize).toArray();
                case "--conc" -> concurrency = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--rocks-stats" -> rocksStats = true;
                case "--puts-only" -> gets = false;
                case "--in-process" -> inProcess = true;
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--unlogged-min" -> unloggedMin = parseSize(args[++i]);
                case "--tls" -> {
                    Path d = Path.of(args[++i]);
                    tls = new PeerTls(d.resolve("localhost.crt"), d.resolve("localhost.key"), d.resolve("ca.crt"));
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory(parent, "mictlanx-bench-");
        try {
            run(dir, seconds, warmup, sizes, concurrency, gets, inProcess, rocksStats, unloggedMin, tls);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int parseSize(String s) {
        String t = s.trim().toUpperCase(java.util.Locale.ROOT);
        if (t.endsWith("K")) return Integer.parseInt(t.substring(0, t.length() - 1)) << 10;
        if (t.endsWith("M")) return Integer.parseInt(t.substring(0, t.length() - 1)) << 20;
        return Integer.parseInt(t);
    }

    /** Prints RocksDB's cumulative write/WAL/stall lines and the chunks family's flush and stall lines. */
    private static void printRocksStats(LocalPeer peer) {
        String db = peer.storeProperty(null, "rocksdb.dbstats");
        db.lines().filter(l -> l.startsWith("Cumulative")).forEach(l -> System.out.println("  rocks: " + l));
        String cf = peer.storeProperty("chunks", "rocksdb.cfstats");
        if (System.getenv("MX_FULL_STATS") != null) {
            System.out.println(db);
            System.out.println(cf);
            System.out.println(peer.storeProperty("chunk_meta", "rocksdb.cfstats"));
        }
        cf.lines().filter(l -> l.startsWith("Flush(GB)") || l.startsWith("Cumulative compaction") || l.startsWith("Stalls(count)")
                || l.startsWith("Blob file count")).forEach(l -> System.out.println("  rocks chunks: " + l));
    }

    private static void run(Path dir, double seconds, double warmup, int[] sizes, int[] concurrency, boolean gets, boolean inProcess,
                            boolean rocksStats, int unloggedMin, PeerTls tls) throws Exception {
        System.out.printf("peer bench: data in %s, %.1f s per phase after %.1f s of warm-up per size, %d cores, java %s, chunks >= %d bytes skip the WAL%n",
                dir, seconds, warmup, Runtime.getRuntime().availableProcessors(), Runtime.version(), unloggedMin);
        double ddMiBs = ddBaseline(dir);
        double fsyncOps = fsyncPerWriteBaseline(dir, seconds);
        System.out.printf("baseline dd bs=1M count=256 conv=fdatasync: %.1f MiB/s%n", ddMiBs);
        System.out.printf("baseline 4 KiB write + fsync each (1 thread): %.0f writes/s%n", fsyncOps);

        RequestSigner signer = new RequestSigner("bench-secret");
        PeerConfig config = PeerConfig.builder("bench").dataDir(dir.resolve("peer")).diskReserveBytes(1L << 30)
                .unloggedChunkMinBytes(unloggedMin).build();
        double[][] putMiBs = new double[sizes.length][concurrency.length];
        double[][] putOps = new double[sizes.length][concurrency.length];
        try (LocalPeer peer = LocalPeer.open(config);
             PeerServer server = PeerServer.start(peer, signer, "127.0.0.1", 0, tls, ReplayCache.DEFAULT_MAX_ENTRIES);
             HttpPeerClient http = new HttpPeerClient("bench", server.uri(), signer, Duration.ofSeconds(120), tls)) {
            if (tls != null) System.out.println("mutual TLS between the bench client and the peer (" + tls.cert() + ")");
            PeerApi client = inProcess ? peer : http;
            if (inProcess) System.out.println("in-process: the bench calls LocalPeer directly (no HTTP, no signing)");
            System.out.printf("%-7s %4s | %10s %10s %9s %9s %9s | %10s %10s %9s %9s %9s%n", "size", "conc",
                    "put MiB/s", "put ops/s", "p50 ms", "p99 ms", "cpu us/op", "get MiB/s", "get ops/s", "p50 ms", "p99 ms", "cpu us/op");
            AtomicInteger seq = new AtomicInteger();
            for (int s = 0; s < sizes.length; s++) {
                byte[] data = new byte[sizes[s]];
                new Random(s).nextBytes(data);
                int crc = ChunkCodec.crc32c(data, 0, data.length);
                // warm-up (not measured): puts and gets at the highest concurrency, so the JIT has compiled the
                // client, HTTP and store paths before the first measured phase of this size
                int warmConc = Arrays.stream(concurrency).max().orElse(1);
                List<String> warmIds = java.util.Collections.synchronizedList(new ArrayList<>());
                phase(warmConc, warmup, i -> {
                    String id = "warm-" + seq.incrementAndGet();
                    client.putChunk(id, data, crc);
                    warmIds.add(id);
                    if (gets) client.getChunk(warmIds.get((int) (i % warmIds.size())), 0, -1);
                }, data.length);
                for (int c = 0; c < concurrency.length; c++) {
                    List<String> written = java.util.Collections.synchronizedList(new ArrayList<>());
                    Phase put = phase(concurrency[c], seconds, i -> {
                        String id = "b-" + seq.incrementAndGet();
                        client.putChunk(id, data, crc);
                        written.add(id);
                    }, data.length);
                    String[] ids = written.toArray(String[]::new);
                    Phase get = !gets ? new Phase(0, 0, 1, new long[0], 0) : phase(concurrency[c], seconds, i -> {
                        if (client.getChunk(ids[(int) (i % ids.length)], 0, -1).length != data.length) throw new IllegalStateException("short read");
                    }, data.length);
                    putMiBs[s][c] = put.mibPerSec();
                    putOps[s][c] = put.opsPerSec();
                    System.out.printf("%-7s %4d | %10.1f %10.0f %9.2f %9.2f %9.0f | %10.1f %10.0f %9.2f %9.2f %9.0f%n", label(sizes[s]), concurrency[c],
                            put.mibPerSec(), put.opsPerSec(), put.percentileMillis(0.5), put.percentileMillis(0.99), put.cpuMicrosPerOp(),
                            get.mibPerSec(), get.opsPerSec(), get.percentileMillis(0.5), get.percentileMillis(0.99), get.cpuMicrosPerOp());
                }
                if (rocksStats) printRocksStats(peer);
            }
        }
        for (int s = 0; s < sizes.length; s++) {
            if (sizes[s] == 8 << 20) {
                StringBuilder cells = new StringBuilder();
                for (int c = 0; c < concurrency.length; c++) {
                    cells.append(String.format("c%d %.0f%%, ", concurrency[c], 100 * putMiBs[s][c] / ddMiBs));
                }
                double best8 = Arrays.stream(putMiBs[s]).max().orElse(0);
                System.out.printf("ratio synced 8 MiB puts / dd: %sbest %.0f%% (target >= 50%%)%n", cells, 100 * best8 / ddMiBs);
            }
            for (int c = 0; c < concurrency.length; c++) {
                if (sizes[s] == 4 << 10 && concurrency[c] == 32) {
                    System.out.printf("ratio synced 4 KiB puts at c32 / one fsync per write: %.1fx (target >= 3x)%n", putOps[s][c] / fsyncOps);
                }
            }
        }
    }

    private static String label(int size) {
        return size >= 1 << 20 ? (size >> 20) + " MiB" : (size >> 10) + " KiB";
    }

    /** One operation of a phase; {@code i} counts operations of the calling worker. */
    interface Op {
        void run(long i) throws Exception;
    }

    private static Phase phase(int concurrency, double seconds, Op op, int bytesPerOp) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    long[] lat = new long[1024];
                    int n = 0;
                    for (long i = worker * 1_000_003L; System.nanoTime() < deadline; i++) {
                        long t0 = System.nanoTime();
                        op.run(i);
                        if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                        lat[n++] = System.nanoTime() - t0;
                    }
                    return Arrays.copyOf(lat, n);
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> f : futures) all.add(f.get());
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] lat = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return new Phase(lat.length, (long) lat.length * bytesPerOp, elapsed, lat, processCpuNanos() - cpu0);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double ddBaseline(Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("dd.bin");
        ProcessBuilder pb = new ProcessBuilder("dd", "if=/dev/zero", "of=" + out, "bs=1M", "count=256", "conv=fdatasync")
                .redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("dd failed: " + text);
        Files.deleteIfExists(out);
        Matcher m = Pattern.compile("copied, ([0-9.]+) s").matcher(text);
        if (!m.find()) throw new IOException("cannot parse dd output: " + text);
        return 256 / Double.parseDouble(m.group(1));
    }

    private static double fsyncPerWriteBaseline(Path dir, double seconds) throws IOException {
        Path f = dir.resolve("fsync.bin");
        ByteBuffer block = ByteBuffer.allocate(4096);
        long n = 0;
        long start = System.nanoTime(), deadline = start + (long) (seconds * 1e9);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            while (System.nanoTime() < deadline) {
                block.clear();
                ch.write(block, n * 4096);
                ch.force(false);
                n++;
            }
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        Files.deleteIfExists(f);
        return rate;
    }
}

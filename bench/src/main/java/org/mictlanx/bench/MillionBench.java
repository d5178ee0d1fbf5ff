package org.mictlanx.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code bench/run.sh million}: cost as the work grows (issue 21). One all-in-one MictlanX in its own JVM
 * (as {@link S3Compare} starts it; {@code --peers P}, replication min(P, 3)) gets {@code --balls N}
 * (1,000,000) balls of {@code --size} (4 KiB) in one bucket, PUT by {@code --conc} (32) closed-loop AWS
 * SDK v2 clients, in steps of {@code --step} (100,000) balls. After each step: the step's PUT rate and
 * latency, the server's CPU per PUT, its resident set ({@code VmRSS}), the bytes under the peers'
 * data dirs, and from the server's {@code /metrics} its committed Java heap and its peers' RocksDB native
 * memory ({@link ServerMemory}: what grows with the balls and what is heap sizing). Then a sequential ListObjectsV2 scan of the whole bucket ({@code --page} keys per page,
 * 1000), and GETs of random balls for {@code --get-seconds} (10) at the same concurrency. Prints a table
 * and judges the targets: PUT rate of the last step within 20% of the first; listing at least
 * 50,000 keys/s; RSS flat (last step within 10% of the first).
 *
 * <p>The load keeps counters only (no per-key state), and a small warm-up in another bucket comes
 * first so the first step is not the JIT's. Other options: {@code --classpath-file F} (required, see
 * {@link Environment}), {@code --jvm "-Xmx2g"} (the server JVM), {@code --tmp DIR} (data dir parent;
 * a million 4 KiB balls need about 5 GiB there), {@code --keep} (keep the data dir and server log).
 */
public final class MillionBench {

    static final String BUCKET = "million";

    /**
     * One PUT step: balls stored after it, its figures, server CPU ms per PUT, RSS and peer bytes after it, and
     * where the memory is as the server's {@code /metrics} says (committed heap, RocksDB's native memory).
     */
    record Step(long balls, MillionLoad.Phase put, double cpuMillisPerPut, long rssBytes, long diskBytes, ServerMemory memory) {
        Step(long balls, MillionLoad.Phase put, double cpuMillisPerPut, long rssBytes, long diskBytes) {
            this(balls, put, cpuMillisPerPut, rssBytes, diskBytes, ServerMemory.unknown());
        }
    }

    private MillionBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Environment env = Environment.from(args);
        long balls = (long) args.getDouble("balls", 1_000_000);
        int size = (int) Sizes.parse(args.get("size", "4096"));
        int conc = args.getInt("conc", 32);
        long step = (long) args.getDouble("step", 100_000);
        int peers = args.getInt("peers", 1);
        int page = args.getInt("page", 1000);
        long getNanos = (long) (args.getDouble("get-seconds", 10) * 1e9);
        if (balls < 1 || step < 1 || conc < 1 || peers < 1) throw new IllegalArgumentException("--balls, --step, --conc, --peers must be >= 1");
        List<String> jvm = S3Compare.words(args.get("jvm", "-Xmx2g"));
        Path tmp = Files.createDirectories(Path.of(args.get("tmp", System.getProperty("java.io.tmpdir"))));
        Targets.Target target = new Targets.Target("mictlanx-" + peers, Targets.Kind.MICTLANX, peers, Math.min(3, peers));
        String ak = "benchaccesskey";
        String sk = "benchsecretkey0123456789";
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "million bench: %,d balls of %s in one bucket, c%d, steps of %,d, %s (N=%d), server JVM %s;"
                + " load average %s%n", balls, Sizes.format(size), conc, step, target.name(), target.replication(), jvm, load());
        long t0 = System.nanoTime();
        List<Step> steps = new ArrayList<>();
        MillionLoad.Scan scan;
        MillionLoad.Phase get;
        long rssAtStart;
        long rssAtEnd;
        long diskAtStart;
        long putErrors = 0;
        try (ServerProcess server = env.targets(jvm).start(target, tmp, ak, sk, List.of(), args.flag("keep"));
             S3Client s3 = S3Clients.create(server.endpoint(), ak, sk, conc);
             java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            Path peerDirs = server.workDir().resolve("data").resolve("peers");
            byte[] payload = LoadGenerator.payload(size);
            s3.createBucket(b -> b.bucket("warmup"));
            s3.createBucket(b -> b.bucket(BUCKET));
            try (MillionLoad warm = new MillionLoad(s3, "warmup", payload, conc)) {
                long w = Math.min(5_000, Math.max(500, balls / 20));
                MillionLoad.Phase wp = warm.put(0, w);
                MillionLoad.Phase wg = warm.get(w, 2_000_000_000L);
                out.printf(Locale.ROOT, "warm-up (bucket warmup): %,d PUTs at %.0f/s, GETs at %.0f/s%n", wp.ok(), wp.perSecond(), wg.perSecond());
            }
            rssAtStart = ProcessProbe.rssBytes(server.pid());
            diskAtStart = ProcessProbe.treeBytes(peerDirs);
            out.printf(Locale.ROOT, "before the load: server RSS %s, peer data %s%n", mib(rssAtStart), mib(diskAtStart));
            out.println(stepHeader());
            try (MillionLoad load = new MillionLoad(s3, BUCKET, payload, conc)) {
                for (long from = 0; from < balls; from += step) {
                    long to = Math.min(balls, from + step);
                    long cpu0 = server.cpu().cpuMillis();
                    MillionLoad.Phase p = load.put(from, to);
                    long cpu1 = server.cpu().cpuMillis();
                    putErrors += p.errors();
                    Step s = new Step(to, p, cpu0 < 0 || cpu1 < 0 || p.ok() == 0 ? -1 : (cpu1 - cpu0) / (double) p.ok(),
                            ProcessProbe.rssBytes(server.pid()), ProcessProbe.treeBytes(peerDirs) - diskAtStart,
                            ServerMemory.scrape(http, server.endpoint()));
                    steps.add(s);
                    out.println(stepLine(s));
                    if (!server.isAlive()) throw new IllegalStateException("the server died:\n" + server.logTail());
                }
                out.printf(Locale.ROOT, "ListObjectsV2 scan of %s, %d keys per page, sequential ...%n", BUCKET, page);
                scan = load.scan(page, putErrors == 0);
                out.printf(Locale.ROOT, "GET of random balls for %.0f s at c%d ...%n", getNanos / 1e9, conc);
                get = load.get(balls, getNanos);
            }
            rssAtEnd = ProcessProbe.rssBytes(server.pid());
            if (!server.isAlive()) throw new IllegalStateException("the server died:\n" + server.logTail());
        }
        report(out, balls, size, steps, scan, get, putErrors, rssAtStart, rssAtEnd);
        out.printf(Locale.ROOT, "%ntotal time %.0f s; load average %s%n", (System.nanoTime() - t0) / 1e9, load());
        boolean failed = putErrors > 0 || get.errors() > 0 || scan.problem() != null || scan.keys() > balls
                || scan.keys() < balls - putErrors;
        System.exit(failed ? 1 : 0);
    }

    static String stepHeader() {
        return String.format(Locale.ROOT, "%12s | %9s | %8s | %8s | %6s | %11s | %9s | %10s | %11s | %8s | %11s | %11s",
                "balls", "PUT/s", "p50 ms", "p99 ms", "errors", "CPU ms/PUT", "RSS MiB", "peer MiB", "peer B/ball",
                "heap MiB", "RocksDB MiB", "readers MiB");
    }

    static String stepLine(Step s) {
        return String.format(Locale.ROOT, "%,12d | %9.1f | %8.2f | %8.2f | %6d | %11.3f | %9.1f | %10.1f | %11.0f | %8.1f | %11.1f | %11.2f",
                s.balls(), s.put().perSecond(), s.put().p50Millis(), s.put().p99Millis(), s.put().errors(),
                s.cpuMillisPerPut(), s.rssBytes() / 1048576.0, s.diskBytes() / 1048576.0,
                s.diskBytes() / (double) s.balls(), s.memory().heapCommitted() / 1048576.0, s.memory().rocksdb() / 1048576.0,
                s.memory().tableReaders() / 1048576.0);
    }

    /** The summary and the judged targets. */
    static void report(PrintStream out, long balls, int size, List<Step> steps, MillionLoad.Scan scan, MillionLoad.Phase get,
                       long putErrors, long rssAtStart, long rssAtEnd) {
        Step first = steps.getFirst();
        Step last = steps.getLast();
        out.println();
        out.printf(Locale.ROOT, "ListObjectsV2: %,d keys in %,d pages in %.1f s = %.0f keys/s (page p50 %.2f ms, p99 %.2f ms)%s%n",
                scan.keys(), scan.pages(), scan.nanos() / 1e9, scan.keysPerSecond(), scan.pageP50Millis(), scan.pageP99Millis(),
                scan.problem() == null ? ", every key in order" : "; PROBLEM: " + scan.problem());
        if (scan.keys() != balls) {
            out.printf(Locale.ROOT, "  listed %,d keys, %,d PUTs succeeded%n", scan.keys(), balls - putErrors);
        }
        out.printf(Locale.ROOT, "GET at %,d balls: %.0f/s (p50 %.2f ms, p99 %.2f ms, %d errors)%n", balls, get.perSecond(),
                get.p50Millis(), get.p99Millis(), get.errors());
        out.printf(Locale.ROOT, "peer data: %.0f bytes per %s ball (%.2fx the payload)%n", last.diskBytes() / (double) last.balls(),
                Sizes.format(size), last.diskBytes() / (double) last.balls() / size);
        out.printf(Locale.ROOT, "server RSS: %s before the load, %s after the first step, %s after the last, %s at the end%n",
                mib(rssAtStart), mib(first.rssBytes()), mib(last.rssBytes()), mib(rssAtEnd));
        out.println();
        out.println("Targets (issue 21, cost as the work grows):");
        for (String line : judge(steps, scan)) out.println("  " + line);
    }

    /** The three judged targets, one line each, starting with {@code met} or {@code MISSED}. */
    static List<String> judge(List<Step> steps, MillionLoad.Scan scan) {
        Step first = steps.getFirst();
        Step last = steps.getLast();
        double putRatio = last.put().perSecond() / first.put().perSecond();
        double rssGrowth = (last.rssBytes() - first.rssBytes()) / (double) first.rssBytes();
        long ballsBetween = last.balls() - first.balls();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%s: PUT rate of the last step %.1f/s vs the first %.1f/s = %.2fx (>= 0.80x wanted)",
                putRatio >= 0.8 ? "met" : "MISSED", last.put().perSecond(), first.put().perSecond(), putRatio));
        lines.add(String.format(Locale.ROOT, "%s: listing %.0f keys/s (>= 50000 wanted)",
                scan.keysPerSecond() >= 50_000 ? "met" : "MISSED", scan.keysPerSecond()));
        lines.add(String.format(Locale.ROOT, "%s: RSS %s after the first step, %s after the last: %+.1f%% (%s per ball over %,d balls;"
                        + " within 10%% wanted)", Math.abs(rssGrowth) <= 0.10 ? "met" : "MISSED", mib(first.rssBytes()),
                mib(last.rssBytes()), 100 * rssGrowth, ballsBetween == 0 ? "n/a"
                        : String.format(Locale.ROOT, "%.1f B", (last.rssBytes() - first.rssBytes()) / (double) ballsBetween), ballsBetween));
        ServerMemory a = first.memory();
        ServerMemory b = last.memory();
        if (a.heapCommitted() >= 0 && b.heapCommitted() >= 0) {
            lines.add(String.format(Locale.ROOT, "  of which: committed Java heap %s -> %s (G1 sizing, bounded by -Xmx)%s",
                    mib(a.heapCommitted()), mib(b.heapCommitted()), a.rocksdb() < 0 || b.rocksdb() < 0 ? ""
                            : String.format(Locale.ROOT, "; RocksDB %s -> %s (table readers %s -> %s, block cache %s -> %s, memtables %s -> %s)",
                            mib(a.rocksdb()), mib(b.rocksdb()), mib(a.tableReaders()), mib(b.tableReaders()), mib(a.blockCache()),
                            mib(b.blockCache()), mib(a.memtables()), mib(b.memtables()))));
        }
        return lines;
    }

    static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "unknown";
        }
    }
}

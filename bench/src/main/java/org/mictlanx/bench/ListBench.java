package org.mictlanx.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code bench/run.sh list}: the cost of a full ListObjectsV2 scan (issue 21), A/B in one run. Starts the
 * build under test and, with {@code --baseline-classpath-file F}, another build (each an all-in-one in
 * its own JVM, {@code --peers P}, replication min(P, 3)), loads one bucket of each with {@code --balls}
 * (100,000) balls of {@code --size} (4 KiB) by {@code --conc} (32) AWS SDK v2 clients, then runs
 * {@code --scans} (5) full sequential scans per system ({@code --page} keys per page, 1000), alternating
 * the systems so both see the same machine load. Each scan checks that the keys are {@code k/0 ... k/N-1}
 * in order ({@link MillionLoad#scan}). Prints every scan and each system's median keys/s, page p50/p99 and
 * server CPU per page ({@code /proc/PID/stat}: steadier than wall time on a shared machine), and the ratios. Exit status 1 on any error or a wrong listing.
 *
 * <p>{@code --jvm "-Xmx2g"} (every server JVM), {@code --mictlanx-jvm "..."} (the build under test only, e.g.
 * JFR), {@code --tmp DIR}, {@code --keep}.
 */
public final class ListBench {

    private ListBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Environment env = Environment.from(args);
        long balls = (long) args.getDouble("balls", 100_000);
        int size = (int) Sizes.parse(args.get("size", "4096"));
        int conc = args.getInt("conc", 32);
        int peers = args.getInt("peers", 1);
        int page = args.getInt("page", 1000);
        int scans = args.getInt("scans", 5);
        if (balls < 1 || conc < 1 || peers < 1 || scans < 1) throw new IllegalArgumentException("--balls, --conc, --peers, --scans must be >= 1");
        List<String> jvm = S3Compare.words(args.get("jvm", "-Xmx2g"));
        List<String> mine = S3Compare.words(args.get("mictlanx-jvm", ""));
        Path tmp = Files.createDirectories(Path.of(args.get("tmp", System.getProperty("java.io.tmpdir"))));
        String baselineFile = args.get("baseline-classpath-file", null);
        Targets.Target build = new Targets.Target("mictlanx-" + peers, Targets.Kind.MICTLANX, peers, Math.min(3, peers));
        List<Targets.Target> systems = new ArrayList<>(List.of(build));
        if (baselineFile != null) {
            systems.add(build.withClasspath("baseline-" + peers, Environment.mictlanxClasspath(Path.of(baselineFile))));
        }
        String ak = "benchaccesskey";
        String sk = "benchsecretkey0123456789";
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "list bench: %,d balls of %s, pages of %d, %d scans per system, %s; load average %s%n",
                balls, Sizes.format(size), page, scans, systems.stream().map(Targets.Target::name).toList(), load());
        Targets targets = env.targets(jvm);
        List<ServerProcess> servers = new ArrayList<>();
        List<S3Client> clients = new ArrayList<>();
        boolean failed = false;
        try {
            for (Targets.Target t : systems) {
                ServerProcess s = targets.start(t, tmp, ak, sk, t == build ? mine : List.of(), args.flag("keep"));
                servers.add(s);
                S3Client c = S3Clients.create(s.endpoint(), ak, sk, conc);
                clients.add(c);
                c.createBucket(b -> b.bucket(MillionBench.BUCKET));
                out.printf(Locale.ROOT, "%s: pid %d, loading %,d balls ...%n", t.name(), s.pid(), balls);
                try (MillionLoad load = new MillionLoad(c, MillionBench.BUCKET, LoadGenerator.payload(size), conc)) {
                    MillionLoad.Phase p = load.put(0, balls);
                    out.printf(Locale.ROOT, "%s: %,d PUTs at %.0f/s, %d errors; load average %s%n", t.name(), p.ok(), p.perSecond(),
                            p.errors(), load());
                    failed |= p.errors() > 0;
                }
            }
            double[][] rates = new double[systems.size()][scans];
            double[][] p50 = new double[systems.size()][scans];
            double[][] p99 = new double[systems.size()][scans];
            double[][] cpu = new double[systems.size()][scans];
            for (int i = 0; i < scans; i++) {
                for (int s = 0; s < systems.size(); s++) {
                    MillionLoad.Scan r;
                    long cpu0 = servers.get(s).cpu().cpuMillis();
                    try (MillionLoad load = new MillionLoad(clients.get(s), MillionBench.BUCKET, new byte[0], 1)) {
                        r = load.scan(page, !failed);
                    }
                    long cpu1 = servers.get(s).cpu().cpuMillis();
                    cpu[s][i] = cpu0 < 0 || cpu1 < 0 || r.pages() == 0 ? -1 : (cpu1 - cpu0) / (double) r.pages();
                    rates[s][i] = r.keysPerSecond();
                    p50[s][i] = r.pageP50Millis();
                    p99[s][i] = r.pageP99Millis();
                    out.printf(Locale.ROOT, "scan %d %-12s %,d keys in %.2f s = %,.0f keys/s (page p50 %.2f ms, p99 %.2f ms, server CPU"
                                    + " %.2f ms/page)%s; load %s%n", i + 1, systems.get(s).name(), r.keys(), r.nanos() / 1e9,
                            r.keysPerSecond(), r.pageP50Millis(), r.pageP99Millis(), cpu[s][i],
                            r.problem() == null ? "" : " PROBLEM: " + r.problem(), load());
                    failed |= r.problem() != null || r.keys() != balls;
                }
            }
            out.println();
            for (int s = 0; s < systems.size(); s++) {
                out.printf(Locale.ROOT, "%-12s median %,.0f keys/s (best %,.0f), page p50 %.2f ms, p99 %.2f ms, server CPU %.2f ms/page"
                        + " (medians of %d scans)%n", systems.get(s).name(), median(rates[s]), Arrays.stream(rates[s]).max().orElse(0),
                        median(p50[s]), median(p99[s]), median(cpu[s]), scans);
            }
            if (systems.size() > 1) {
                out.printf(Locale.ROOT, "ratio %s / %s: %.2fx keys/s (medians), %.2fx server CPU per page%n", systems.get(0).name(),
                        systems.get(1).name(), median(rates[0]) / median(rates[1]), median(cpu[0]) / median(cpu[1]));
            }
            out.printf(Locale.ROOT, "load average at the end %s%n", load());
        } finally {
            for (S3Client c : clients) c.close();
            for (ServerProcess s : servers) s.close();
        }
        System.exit(failed ? 1 : 0);
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "unknown";
        }
    }
}

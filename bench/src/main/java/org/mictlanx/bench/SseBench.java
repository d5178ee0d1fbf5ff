package org.mictlanx.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mictlanx.server.AdminClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * {@code bin/mictlanx bench-sse}: what server-side encryption costs. One MictlanX all-in-one (1 peer,
 * N=1, its own JVM on loopback, {@code sse-customer-keys-over-http} so SSE-C runs without TLS and the
 * three modes pay the same transport) serves three buckets; the same closed-loop {@link LoadGenerator}
 * drives PUT and GET cells with SSE-S3 (no header: the default), SSE-C (a customer key on every PUT and
 * GET) and SSE-KMS ({@code aws:kms} with a key of the built-in key service on every PUT). Within each run
 * the modes alternate, cell by cell, in an order rotated every run; the report gives medians over runs
 * and each mode's ops/s relative to SSE-S3 for the same cell.
 *
 * <p>Options: {@code --classpath-file F} (required, see {@link Environment}), {@code --runs 3},
 * {@code --seconds 3} (per cell), {@code --cells REGEX}, {@code --jvm "-Xmx2g"}, {@code --tmp /tmp}.
 */
public final class SseBench {

    private static final String AK = "benchaccesskey";
    private static final String SK = "benchsecretkey0123456789";

    private SseBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Environment env = Environment.from(args);
        int runs = args.getInt("runs", 3);
        long cellNanos = (long) (args.getDouble("seconds", 3) * 1e9);
        List<Cell> cells = new ArrayList<>();
        for (Workload w : new Workload[] {Workload.PUT, Workload.GET}) {
            cells.add(new Cell(w, 1 << 20, 1));
            cells.add(new Cell(w, 1 << 20, 8));
            cells.add(new Cell(w, 64 << 20, 1));
        }
        String regex = args.get("cells", null);
        if (regex != null) cells.removeIf(c -> !c.name().matches(regex));
        List<String> jvm = S3Compare.words(args.get("jvm", "-Xmx2g"));
        Path tmp = Files.createDirectories(Path.of(args.get("tmp", System.getProperty("java.io.tmpdir"))));
        Targets targets = env.targets(jvm);
        System.out.printf(Locale.ROOT, "SSE benchmark: %d cells x 3 modes, %.1f s each, %d runs, mictlanx-1, server JVM %s,"
                + " load average at start %s%n", cells.size(), cellNanos / 1e9, runs, jvm, loadAverage());
        Map<String, List<CellResult>> results = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (ServerProcess server = targets.start(Targets.MICTLANX_1, tmp, AK, SK, List.of(), false,
                List.of("--sse-customer-keys-over-http", "true"))) {
            URI endpoint = server.endpoint();
            AdminClient admin = new AdminClient(endpoint, AK, SK);
            String kmsKey = admin.createKmsKey("bench").path("keyId").asText();
            List<LoadGenerator.Encryption> modes = modes(kmsKey);
            Map<Integer, S3Client> clients = new HashMap<>();
            try {
                S3Client setup = client(clients, endpoint, 8);
                for (LoadGenerator.Encryption m : modes) setup.createBucket(b -> b.bucket(m.name()));
                // warm up (JIT, pools) and preload the GET balls of every mode
                for (LoadGenerator.Encryption m : modes) {
                    byte[] small = LoadGenerator.payload(1 << 20);
                    LoadGenerator gen = new LoadGenerator(setup, m.name(), server.cpu(), m);
                    gen.preload(small);
                    gen.run(new Cell(Workload.PUT, 1 << 20, 8), small, 1_500_000_000L);
                    gen.run(new Cell(Workload.GET, 1 << 20, 8), small, 1_500_000_000L);
                    if (cells.stream().anyMatch(c -> c.sizeBytes() == 64 << 20 && c.workload() == Workload.GET)) {
                        gen.preload(LoadGenerator.payload(64 << 20));
                    }
                }
                System.out.printf(Locale.ROOT, "%-8s %-16s %9s %9s %9s %9s %7s%n", "mode", "cell", "ops/s", "MiB/s",
                        "p50 ms", "cpu ms/op", "errors");
                for (int run = 0; run < runs; run++) {
                    System.out.printf(Locale.ROOT, "-- run %d/%d (%.0f s elapsed, load %s)%n", run + 1, runs,
                            (System.nanoTime() - t0) / 1e9, loadAverage());
                    for (Cell cell : cells) {
                        byte[] payload = LoadGenerator.payload(cell.sizeBytes());
                        for (int i = 0; i < modes.size(); i++) {
                            LoadGenerator.Encryption m = modes.get((i + run) % modes.size());
                            CellResult r = new LoadGenerator(client(clients, endpoint, cell.concurrency()), m.name(),
                                    server.cpu(), m).run(cell, payload, cellNanos);
                            results.computeIfAbsent(m.name() + " " + cell.name(), k -> new ArrayList<>()).add(r);
                            System.out.printf(Locale.ROOT, "%-8s %-16s %9.1f %9.1f %9.2f %9.2f %7d%n", m.name(), cell.name(),
                                    r.opsPerSecond(), r.mibPerSecond(), r.p50Millis(), r.cpuMillisPerOp(), r.errors());
                            if (!server.isAlive()) throw new IllegalStateException("server died:\n" + server.logTail());
                        }
                    }
                }
            } finally {
                clients.values().forEach(S3Client::close);
            }
            System.out.printf(Locale.ROOT, "%nmedians over %d runs (ratio: ops/s relative to SSE-S3 for the same cell)%n", runs);
            System.out.printf(Locale.ROOT, "%-16s %-8s %9s %9s %9s %9s %7s%n", "cell", "mode", "ops/s", "MiB/s", "p50 ms",
                    "cpu ms/op", "ratio");
            for (Cell cell : cells) {
                double base = median(results.get("sse-s3 " + cell.name()), CellResult::opsPerSecond);
                for (LoadGenerator.Encryption m : modes) {
                    List<CellResult> rs = results.get(m.name() + " " + cell.name());
                    double ops = median(rs, CellResult::opsPerSecond);
                    System.out.printf(Locale.ROOT, "%-16s %-8s %9.1f %9.1f %9.2f %9.2f %7.2f%n", cell.name(), m.name(), ops,
                            median(rs, CellResult::mibPerSecond), median(rs, CellResult::p50Millis),
                            median(rs, CellResult::cpuMillisPerOp), ops / base);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%ntotal time %.0f s, load average at the end %s%n", (System.nanoTime() - t0) / 1e9,
                loadAverage());
    }

    /** SSE-S3 (no header), SSE-C (one fixed customer key), SSE-KMS (the given key). */
    static List<LoadGenerator.Encryption> modes(String kmsKey) throws Exception {
        byte[] raw = new byte[32];
        new java.util.SplittableRandom(17).nextBytes(raw);
        String key = Base64.getEncoder().encodeToString(raw);
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(raw));
        return List.of(LoadGenerator.NONE,
                new LoadGenerator.Encryption("sse-c",
                        b -> b.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5),
                        b -> b.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5)),
                new LoadGenerator.Encryption("sse-kms",
                        b -> b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKey), b -> { }));
    }

    static double median(List<CellResult> rs, java.util.function.ToDoubleFunction<CellResult> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static S3Client client(Map<Integer, S3Client> clients, URI endpoint, int concurrency) {
        return clients.computeIfAbsent(concurrency, c -> S3Clients.create(endpoint, AK, SK, c));
    }

    /** The one-minute load average from /proc/loadavg ("?" when unreadable). */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+", 4)[0];
        } catch (Exception e) {
            return "?";
        }
    }
}

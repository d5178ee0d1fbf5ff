package org.mictlanx.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;

/**
 * {@code bench/run.sh notify}: what event notifications cost a write. One MictlanX all-in-one (1 peer,
 * its own JVM on loopback) with a webhook target ({@code --notify-webhooks}) pointing at a receiver in
 * this JVM (answers 204, counts the events) serves two buckets: {@code plain} (no notification
 * configuration) and {@code notified} (s3:ObjectCreated:* to the webhook, so every PUT also writes its
 * intent and, in the same metadata write as its event, removes it). The same closed-loop
 * {@link LoadGenerator} drives PUT 4 KiB cells into both, alternating bucket by bucket in an order
 * rotated every run; the report gives medians over runs, server CPU per operation, each mode's ops/s
 * relative to {@code plain} for the same cell, and how many events the receiver got.
 *
 * <p>Options: {@code --classpath-file F} (required, see {@link Environment}), {@code --runs 3},
 * {@code --seconds 3} (per cell), {@code --conc 1,8}, {@code --size 4096}, {@code --jvm "-Xmx2g"},
 * {@code --tmp /tmp}.
 */
public final class NotifyBench {

    private static final String AK = "benchaccesskey";
    private static final String SK = "benchsecretkey0123456789";
    private static final List<String> MODES = List.of("plain", "notified");

    private NotifyBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Environment env = Environment.from(args);
        int runs = args.getInt("runs", 3);
        long cellNanos = (long) (args.getDouble("seconds", 3) * 1e9);
        int size = args.getInt("size", 4096);
        List<Cell> cells = new ArrayList<>();
        for (String c : args.get("conc", "1,8").split(",")) cells.add(new Cell(Workload.PUT, size, Integer.parseInt(c.strip())));
        List<String> jvm = S3Compare.words(args.get("jvm", "-Xmx2g"));
        Path tmp = Files.createDirectories(Path.of(args.get("tmp", System.getProperty("java.io.tmpdir"))));
        AtomicLong received = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        receiver.createContext("/events", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        java.util.concurrent.ExecutorService receiving = java.util.concurrent.Executors.newFixedThreadPool(2);
        receiver.setExecutor(receiving);
        receiver.start();
        String hook = "hook=http://127.0.0.1:" + receiver.getAddress().getPort() + "/events";
        System.out.printf(Locale.ROOT, "notification benchmark: %d cells x %d modes, %.1f s each, %d runs, mictlanx-1, server JVM %s,"
                + " load average at start %s%n", cells.size(), MODES.size(), cellNanos / 1e9, runs, jvm, SseBench.loadAverage());
        Map<String, List<CellResult>> results = new LinkedHashMap<>();
        Map<String, Long> ops = new HashMap<>();
        long t0 = System.nanoTime();
        try (ServerProcess server = env.targets(jvm).start(Targets.MICTLANX_1, tmp, AK, SK, List.of(), false,
                List.of("--notify-webhooks", hook))) {
            URI endpoint = server.endpoint();
            Map<Integer, S3Client> clients = new HashMap<>();
            try {
                S3Client setup = client(clients, endpoint, 8);
                for (String m : MODES) setup.createBucket(b -> b.bucket(m));
                setup.putBucketNotificationConfiguration(b -> b.bucket("notified").notificationConfiguration(n -> n
                        .queueConfigurations(QueueConfiguration.builder().id("all").queueArn("arn:mictlanx:sqs::hook:webhook")
                                .events(Event.S3_OBJECT_CREATED).build())));
                byte[] payload = LoadGenerator.payload(size);
                for (String m : MODES) { // warm up (JIT, pools)
                    new LoadGenerator(setup, m, server.cpu()).run(new Cell(Workload.PUT, size, 8), payload, 1_500_000_000L);
                }
                System.out.printf(Locale.ROOT, "%-9s %-16s %9s %9s %9s %7s%n", "mode", "cell", "ops/s", "p50 ms", "cpu ms/op",
                        "errors");
                for (int run = 0; run < runs; run++) {
                    System.out.printf(Locale.ROOT, "-- run %d/%d (%.0f s elapsed, load %s)%n", run + 1, runs,
                            (System.nanoTime() - t0) / 1e9, SseBench.loadAverage());
                    for (Cell cell : cells) {
                        for (int i = 0; i < MODES.size(); i++) {
                            String m = MODES.get((i + run) % MODES.size());
                            CellResult r = new LoadGenerator(client(clients, endpoint, cell.concurrency()), m, server.cpu())
                                    .run(cell, payload, cellNanos);
                            results.computeIfAbsent(m + " " + cell.name(), k -> new ArrayList<>()).add(r);
                            ops.merge(m, (long) (r.opsPerSecond() * cellNanos / 1e9), Long::sum);
                            System.out.printf(Locale.ROOT, "%-9s %-16s %9.1f %9.2f %9.3f %7d%n", m, cell.name(), r.opsPerSecond(),
                                    r.p50Millis(), r.cpuMillisPerOp(), r.errors());
                            if (!server.isAlive()) throw new IllegalStateException("server died:\n" + server.logTail());
                        }
                    }
                }
            } finally {
                clients.values().forEach(S3Client::close);
            }
            long deadline = System.nanoTime() + 60_000_000_000L; // let the sender catch up before counting
            long last = -1;
            while (System.nanoTime() < deadline && received.get() != last) {
                last = received.get();
                Thread.sleep(2000);
            }
        } finally {
            receiver.stop(0);
            receiving.shutdownNow(); // its threads are not daemons: the JVM would outlive the report
        }
        System.out.printf(Locale.ROOT, "%nmedians over %d runs (ratio: ops/s relative to plain for the same cell)%n", runs);
        System.out.printf(Locale.ROOT, "%-16s %-9s %9s %9s %9s %7s%n", "cell", "mode", "ops/s", "p50 ms", "cpu ms/op", "ratio");
        for (Cell cell : cells) {
            double base = SseBench.median(results.get("plain " + cell.name()), CellResult::opsPerSecond);
            for (String m : MODES) {
                List<CellResult> rs = results.get(m + " " + cell.name());
                double o = SseBench.median(rs, CellResult::opsPerSecond);
                System.out.printf(Locale.ROOT, "%-16s %-9s %9.1f %9.2f %9.3f %7.2f%n", cell.name(), m, o,
                        SseBench.median(rs, CellResult::p50Millis), SseBench.median(rs, CellResult::cpuMillisPerOp), o / base);
            }
        }
        System.out.printf(Locale.ROOT, "%nevents received by the webhook: %d (the measured cells PUT about %d objects into 'notified', the warm-up more)%n",
                received.get(), ops.getOrDefault("notified", 0L));
        System.out.printf(Locale.ROOT, "total time %.0f s, load average at the end %s%n", (System.nanoTime() - t0) / 1e9,
                SseBench.loadAverage());
    }

    private static S3Client client(Map<Integer, S3Client> clients, URI endpoint, int concurrency) {
        return clients.computeIfAbsent(concurrency, c -> S3Clients.create(endpoint, AK, SK, c));
    }
}

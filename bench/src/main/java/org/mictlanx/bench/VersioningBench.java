package org.mictlanx.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.mictlanx.server.MictlanXServer;
import org.mictlanx.server.Settings;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * {@code bench/run.sh versioning}: what versioning costs, measured in one run against one all-in-one
 * (embedded peer, N=1) started in this JVM on loopback.
 *
 * <ol>
 *   <li>PUT and GET of small balls ({@code --size}, 4 KiB) with {@code --conc} closed-loop clients for
 *       {@code --seconds} each, in an unversioned bucket and in a versioning-Enabled bucket, alternated
 *       {@code --runs} times (order swapped every run); ops/s and median latency per phase.</li>
 *   <li>ListObjectsV2 of {@code --keys} keys (one page) in a bucket where every key has 0 noncurrent
 *       versions and in one where every key has {@code --noncurrent} of them: the claim is that the
 *       cost is flat (the listing reads only latest records); median ms per listing.</li>
 * </ol>
 * Prints the machine's load average before and after, so the figures can be judged.
 */
public final class VersioningBench {

    private static final String AK = "benchversioningkey01";
    private static final String SK = "bench/versioning/secret/0123456789abcd";

    private VersioningBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int size = args.getInt("size", 4096);
        int conc = args.getInt("conc", 4);
        double seconds = args.getDouble("seconds", 3);
        int runs = args.getInt("runs", 3);
        int keys = args.getInt("keys", 1000);
        int noncurrent = args.getInt("noncurrent", 20);
        Path dir = Files.createTempDirectory("mictlanx-vbench");
        System.out.printf(Locale.ROOT, "versioning bench: %d B balls, %d clients, %.1f s per phase, %d runs; ListObjectsV2 of %d keys"
                + " with 0 vs %d noncurrent versions each; load average %s%n", size, conc, seconds, runs, keys, noncurrent, load());
        try (MictlanXServer server = MictlanXServer.allInOne(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--data", dir.toString(), "--access-key", AK, "--secret-key", SK}, Map.of()));
             S3Client s3 = S3Clients.create(server.endpoint(), AK, SK, conc + 2)) {
            s3.createBucket(r -> r.bucket("plain"));
            s3.createBucket(r -> r.bucket("versioned"));
            s3.putBucketVersioning(r -> r.bucket("versioned").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
            byte[] body = new byte[size];
            new java.util.Random(1).nextBytes(body);
            // every key a GET phase reads exists in both buckets, then a warm-up of both paths
            for (String bucket : List.of("plain", "versioned")) {
                for (int k = 0; k < 256; k++) {
                    String key = "k" + k;
                    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
                }
            }
            phase(s3, "plain", body, conc, 1, true);
            phase(s3, "versioned", body, conc, 1, true);
            List<double[]> plainPut = new ArrayList<>();
            List<double[]> verPut = new ArrayList<>();
            List<double[]> plainGet = new ArrayList<>();
            List<double[]> verGet = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                for (String b : run % 2 == 0 ? List.of("plain", "versioned") : List.of("versioned", "plain")) {
                    double[] put = phase(s3, b, body, conc, seconds, true);
                    double[] get = phase(s3, b, body, conc, seconds, false);
                    (b.equals("plain") ? plainPut : verPut).add(put);
                    (b.equals("plain") ? plainGet : verGet).add(get);
                    System.out.printf(Locale.ROOT, "  run %d %-9s PUT %8.0f ops/s p50 %6.2f ms   GET %8.0f ops/s p50 %6.2f ms%n",
                            run + 1, b, put[0], put[1], get[0], get[1]);
                }
            }
            System.out.printf(Locale.ROOT, "median PUT ops/s: unversioned %.0f, versioning Enabled %.0f (%.0f%%)%n",
                    median(plainPut, 0), median(verPut, 0), 100 * median(verPut, 0) / median(plainPut, 0));
            System.out.printf(Locale.ROOT, "median GET ops/s: unversioned %.0f, versioning Enabled %.0f (%.0f%%)%n",
                    median(plainGet, 0), median(verGet, 0), 100 * median(verGet, 0) / median(plainGet, 0));

            s3.createBucket(r -> r.bucket("list0"));
            s3.createBucket(r -> r.bucket("listn"));
            s3.putBucketVersioning(r -> r.bucket("list0").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
            s3.putBucketVersioning(r -> r.bucket("listn").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
            byte[] tiny = new byte[16];
            fill(s3, "list0", keys, 1, tiny, conc);
            fill(s3, "listn", keys, noncurrent + 1, tiny, conc);
            int reps = Math.max(10, (int) (seconds * 10));
            double[] l0 = listings(s3, "list0", keys, 3);
            double[] ln = listings(s3, "listn", keys, 3);
            l0 = listings(s3, "list0", keys, reps);
            ln = listings(s3, "listn", keys, reps);
            System.out.printf(Locale.ROOT, "ListObjectsV2 of %d keys: 0 noncurrent versions p50 %.2f ms (min %.2f), %d noncurrent"
                    + " versions per key p50 %.2f ms (min %.2f); ratio %.2f%n", keys, l0[0], l0[1], noncurrent, ln[0], ln[1], ln[0] / l0[0]);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println("load average after: " + load());
    }

    /** {@code conc} closed-loop clients for {@code seconds}: PUTs (keys k0..k255) or GETs of them; {ops/s, p50 ms}. */
    private static double[] phase(S3Client s3, String bucket, byte[] body, int conc, double seconds, boolean put) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong ops = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<long[]> lat = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < conc; c++) {
            long[] mine = new long[2_000_000];
            lat.add(mine);
            int id = c;
            threads.add(Thread.ofPlatform().start(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    String key = "k" + ((id * 7919 + n) & 255);
                    long s = System.nanoTime();
                    try {
                        if (put) {
                            s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
                        } else {
                            s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
                        }
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (n < mine.length - 1) mine[n + 1] = System.nanoTime() - s;
                    n++;
                    ops.incrementAndGet();
                }
                mine[0] = n;
            }));
        }
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        List<Long> all = new ArrayList<>();
        for (long[] m : lat) for (int i = 1; i <= Math.min(m[0], m.length - 1); i++) all.add(m[i]);
        all.sort(null);
        double p50 = all.isEmpty() ? 0 : all.get(all.size() / 2) / 1e6;
        if (errors.get() > 0) throw new IllegalStateException(errors.get() + " requests failed in a " + (put ? "PUT" : "GET") + " phase");
        return new double[] {ops.get() / elapsed, p50};
    }

    private static void fill(S3Client s3, String bucket, int keys, int versions, byte[] body, int conc) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < conc; c++) {
            int id = c;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int k = id; k < keys; k += conc) {
                    String key = String.format("key-%06d", k);
                    for (int v = 0; v < versions; v++) s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
                }
            }));
        }
        for (Thread t : threads) t.join();
    }

    /** {p50 ms, min ms} of {@code reps} ListObjectsV2 calls returning all {@code keys} keys in one page. */
    private static double[] listings(S3Client s3, String bucket, int keys, int reps) {
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            int n = s3.listObjectsV2(r -> r.bucket(bucket).maxKeys(keys)).keyCount();
            ms[i] = (System.nanoTime() - s) / 1e6;
            if (n != keys) throw new IllegalStateException(bucket + " listed " + n + " keys, expected " + keys);
        }
        Arrays.sort(ms);
        return new double[] {ms[reps / 2], ms[0]};
    }

    private static double median(List<double[]> runs, int field) {
        double[] v = runs.stream().mapToDouble(r -> r[field]).sorted().toArray();
        return v[v.length / 2];
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "unknown";
        }
    }
}

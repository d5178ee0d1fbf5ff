package org.mictlanx.bench;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The work of {@link MillionBench} on one bucket: PUTs of the balls {@code [from, to)} by
 * {@code concurrency} closed-loop workers, a sequential ListObjectsV2 scan of the whole bucket, and
 * GETs of random balls for a fixed time. Balls are named by index ({@link #key}); the only state kept
 * is counters (the next index, errors, a {@link LatencyHistogram}), so memory does not grow with the
 * number of balls. Errors are counted, not retried; the first few are printed.
 */
public final class MillionLoad implements AutoCloseable {

    /** One phase: requests that succeeded, requests that failed, wall time, latency p50/p99 (ms). */
    public record Phase(long ok, long errors, long nanos, double p50Millis, double p99Millis) {
        public double perSecond() {
            return nanos == 0 ? 0 : ok / (nanos / 1e9);
        }
    }

    /**
     * A full scan: keys listed, pages, wall time, page latency p50/p99 (ms), and the first problem with
     * the order or names of the keys (null when every key was {@code key(0), key(1), ...} in order).
     */
    public record Scan(long keys, long pages, long nanos, double pageP50Millis, double pageP99Millis, String problem) {
        public double keysPerSecond() {
            return nanos == 0 ? 0 : keys / (nanos / 1e9);
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final byte[] payload;
    private final int concurrency;
    private final ExecutorService workers;
    private final LatencyHistogram latencies = new LatencyHistogram();
    private final AtomicLong printedErrors = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    /** {@code s3} must allow {@code concurrency} connections. */
    public MillionLoad(S3Client s3, String bucket, byte[] payload, int concurrency) {
        this.s3 = s3;
        this.bucket = bucket;
        this.payload = payload;
        this.concurrency = concurrency;
        this.workers = Executors.newFixedThreadPool(concurrency);
    }

    /** The key of ball {@code i}: {@code k/} and ten digits, so key order is index order. */
    public static String key(long i) {
        String digits = Long.toString(i);
        return "k/" + "0".repeat(Math.max(0, 10 - digits.length())) + digits;
    }

    /** PUTs balls {@code [from, to)}, each index taken once by whichever worker is free. */
    public Phase put(long from, long to) throws InterruptedException {
        AtomicLong next = new AtomicLong(from);
        return run(worker -> {
            for (long i; (i = next.getAndIncrement()) < to; ) {
                String k = key(i);
                timed("PUT " + k, () -> s3.putObject(b -> b.bucket(bucket).key(k).contentLength((long) payload.length),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(payload), payload.length,
                                "application/octet-stream")));
            }
        });
    }

    /** GETs random balls of {@code [0, balls)} for {@code nanos}; a body of the wrong length is an error. */
    public Phase get(long balls, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        byte[][] buffers = new byte[concurrency][64 * 1024];
        return run(worker -> {
            SplittableRandom random = new SplittableRandom(0x9e7L + worker);
            while (System.nanoTime() < deadline) {
                String k = key(random.nextLong(balls));
                timed("GET " + k, () -> {
                    long n;
                    try (var in = s3.getObject(b -> b.bucket(bucket).key(k))) {
                        n = LoadGenerator.drain(in, buffers[worker]);
                    }
                    if (n != payload.length) throw new IllegalStateException("GET " + k + " returned " + n + " bytes");
                });
            }
        });
    }

    /**
     * Lists the whole bucket with ListObjectsV2, {@code pageSize} keys per page, one page after the
     * other, checking that the keys are {@code key(0), key(1), ...} in order when {@code dense}
     * (every PUT succeeded) or merely ascending otherwise.
     */
    public Scan scan(int pageSize, boolean dense) {
        LatencyHistogram pages = new LatencyHistogram();
        long keys = 0;
        long pageCount = 0;
        String last = null;
        String problem = null;
        String token = null;
        long t0 = System.nanoTime();
        do {
            String from = token;
            long s = System.nanoTime();
            ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(pageSize).continuationToken(from));
            pages.add(System.nanoTime() - s);
            pageCount++;
            for (S3Object o : r.contents()) {
                if (problem == null) {
                    if (dense && !o.key().equals(key(keys))) {
                        problem = "key " + keys + " listed as '" + o.key() + "', expected '" + key(keys) + "'";
                    } else if (last != null && o.key().compareTo(last) <= 0) {
                        problem = "'" + o.key() + "' listed after '" + last + "'";
                    }
                }
                last = o.key();
                keys++;
            }
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
            if (Boolean.TRUE.equals(r.isTruncated()) && token == null) {
                problem = "page " + pageCount + " is truncated but has no NextContinuationToken";
            }
        } while (token != null);
        return new Scan(keys, pageCount, System.nanoTime() - t0, pages.percentileMillis(50), pages.percentileMillis(99), problem);
    }

    @FunctionalInterface
    private interface Work {
        void run(int worker) throws Exception;
    }

    @FunctionalInterface
    private interface Request {
        void run() throws Exception;
    }

    private void timed(String what, Request r) {
        long t = System.nanoTime();
        try {
            r.run();
            latencies.add(System.nanoTime() - t);
            ok.incrementAndGet();
        } catch (Exception e) {
            errors.incrementAndGet();
            if (printedErrors.incrementAndGet() <= 5) System.err.println("  error in " + what + ": " + e);
        }
    }

    /** Runs {@code work} on every worker and waits for all; the phase's figures. */
    private Phase run(Work work) throws InterruptedException {
        latencies.reset();
        ok.set(0);
        errors.set(0);
        long t0 = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            running.add(workers.submit(() -> {
                work.run(worker);
                return null;
            }));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("worker failed: " + e.getCause(), e.getCause());
            }
        }
        return new Phase(ok.get(), errors.get(), System.nanoTime() - t0, latencies.percentileMillis(50),
                latencies.percentileMillis(99));
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}

package org.mictlanx.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Closed-loop load: {@code concurrency} workers, each sending its next request as soon as the previous
 * one finished, until the deadline; requests started before the deadline run to completion.
 *
 * <p>Payloads come from one in-memory array per size, filled once from a seeded generator and handed to
 * the SDK as a stream over that array (no copy, no disk). GET bodies are streamed through a 64 KiB
 * buffer and discarded; a body shorter or longer than the object counts as an error.
 *
 * <p>Keys: GETs read the preloaded balls {@code get/SIZE/i}; PUTs overwrite the worker's own
 * {@code put/SIZE/wN}, so disk use stays bounded however long a cell runs.
 */
public final class LoadGenerator {

    /** Number of balls preloaded per size for GET and MIXED. */
    public static final int PRELOADED = 8;

    /**
     * Server-side encryption headers added to every PUT and GET ({@link #NONE}: none, so SSE-S3, the
     * default): how {@link SseBench} compares SSE-S3, SSE-C and SSE-KMS on the same server.
     */
    public record Encryption(String name,
                             java.util.function.Consumer<software.amazon.awssdk.services.s3.model.PutObjectRequest.Builder> put,
                             java.util.function.Consumer<software.amazon.awssdk.services.s3.model.GetObjectRequest.Builder> get) {
    }

    public static final Encryption NONE = new Encryption("sse-s3", b -> { }, b -> { });

    private final S3Client s3;
    private final String bucket;
    private final ProcCpu serverCpu;
    private final Encryption encryption;

    /** @param serverCpu the server process whose CPU is charged to each cell, or null when unknown */
    public LoadGenerator(S3Client s3, String bucket, ProcCpu serverCpu) {
        this(s3, bucket, serverCpu, NONE);
    }

    /** As above, with {@code encryption}'s headers on every request. */
    public LoadGenerator(S3Client s3, String bucket, ProcCpu serverCpu, Encryption encryption) {
        this.s3 = s3;
        this.bucket = bucket;
        this.serverCpu = serverCpu;
        this.encryption = encryption;
    }

    /** The payload of {@code size} bytes: same bytes for the same size in every run and process. */
    public static byte[] payload(int size) {
        byte[] b = new byte[size];
        new SplittableRandom(size).nextBytes(b);
        return b;
    }

    /** Writes the {@link #PRELOADED} balls that GET and MIXED read. */
    public void preload(byte[] payload) {
        for (int i = 0; i < PRELOADED; i++) put(getKey(payload.length, i), payload);
    }

    public CellResult run(Cell cell, byte[] payload, long durationNanos) throws InterruptedException {
        if (payload.length != cell.sizeBytes()) throw new IllegalArgumentException("payload size differs from cell size");
        List<Latencies> latencies = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long cpuBefore = serverCpu == null ? -1 : serverCpu.cpuMillis();
        long start = System.nanoTime();
        long deadline = start + durationNanos;
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(cell.concurrency())) {
            for (int w = 0; w < cell.concurrency(); w++) {
                Latencies mine = new Latencies();
                latencies.add(mine);
                int worker = w;
                running.add(pool.submit(() -> work(cell, worker, payload, deadline, mine, errors, bytes)));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("worker failed: " + e.getCause(), e.getCause());
                }
            }
        }
        long elapsed = System.nanoTime() - start;
        long cpuAfter = serverCpu == null ? -1 : serverCpu.cpuMillis();
        long[] sorted = Latencies.merge(latencies);
        long cpu = cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore;
        return new CellResult(cell, sorted.length, errors.get(), bytes.get(), elapsed,
                Latencies.percentile(sorted, 50), Latencies.percentile(sorted, 99), cpu);
    }

    private void work(Cell cell, int worker, byte[] payload, long deadline, Latencies latencies,
                      AtomicLong errors, AtomicLong bytes) {
        SplittableRandom random = new SplittableRandom(31L * worker + cell.concurrency());
        int size = payload.length;
        while (System.nanoTime() < deadline) {
            boolean get = switch (cell.workload()) {
                case GET -> true;
                case PUT -> false;
                case MIXED -> random.nextDouble() < Workload.MIXED_GET_SHARE;
            };
            long t0 = System.nanoTime();
            try {
                if (get) {
                    long n = getAndDiscard(getKey(size, random.nextInt(PRELOADED)));
                    if (n != size) throw new IOException("GET returned " + n + " bytes, expected " + size);
                } else {
                    put("put/" + Sizes.format(size) + "/w" + worker, payload);
                }
                latencies.add(System.nanoTime() - t0);
                bytes.addAndGet(size);
            } catch (Exception e) {
                if (errors.incrementAndGet() <= 3) {
                    System.err.println("  error in " + cell.name() + ": " + e);
                }
            }
        }
    }

    private static String getKey(int size, int i) {
        return "get/" + Sizes.format(size) + "/" + i;
    }

    private void put(String key, byte[] payload) {
        s3.putObject(b -> encryption.put().accept(b.bucket(bucket).key(key).contentLength((long) payload.length)),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(payload), payload.length,
                        "application/octet-stream"));
    }

    /** Streams the body of {@code key} into a discard buffer; returns its length. */
    long getAndDiscard(String key) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> encryption.get().accept(b.bucket(bucket).key(key)))) {
            total = drain(in, buf);
        }
        return total;
    }

    static long drain(InputStream in, byte[] buf) throws IOException {
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) total += n;
        return total;
    }
}

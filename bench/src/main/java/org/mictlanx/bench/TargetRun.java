package org.mictlanx.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * One run of the matrix against one freshly started server: start it (empty data dir), create the
 * bucket, warm up (JIT, connection pools), then per size preload the GET balls and run that size's
 * cells; the server is stopped and its data deleted afterwards.
 */
public final class TargetRun {

    static final String BUCKET = "bench";

    private final Targets targets;
    private final Path tmp;
    private final String ak;
    private final String sk;
    private final List<String> extraJvm;

    public TargetRun(Targets targets, Path tmp, String ak, String sk, List<String> extraJvm) {
        this.targets = targets;
        this.tmp = tmp;
        this.ak = ak;
        this.sk = sk;
        this.extraJvm = List.copyOf(extraJvm);
    }

    public List<CellResult> run(Targets.Target target, Matrix matrix, long cellNanos, Consumer<CellResult> progress,
                                boolean keepDir) throws Exception {
        List<CellResult> results = new ArrayList<>();
        Map<Integer, S3Client> clients = new HashMap<>();
        try (ServerProcess server = targets.start(target, tmp, ak, sk, target.kind() == Targets.Kind.MICTLANX ? extraJvm : List.of(), keepDir)) {
            try {
                URI endpoint = server.endpoint();
                S3Client admin = client(clients, endpoint, matrix.maxConcurrency());
                admin.createBucket(b -> b.bucket(BUCKET));
                warmUp(clients, endpoint, server);
                for (int size : matrix.sizes()) {
                    byte[] payload = LoadGenerator.payload(size);
                    if (matrix.ofSize(size).stream().anyMatch(c -> c.workload() != Workload.PUT)) {
                        new LoadGenerator(admin, BUCKET, null).preload(payload);
                    }
                    for (Cell cell : matrix.ofSize(size)) {
                        LoadGenerator gen = new LoadGenerator(client(clients, endpoint, cell.concurrency()), BUCKET, server.cpu());
                        CellResult r = gen.run(cell, payload, cellNanos);
                        results.add(r);
                        progress.accept(r);
                        if (!server.isAlive()) throw new IllegalStateException(target.name() + " died:\n" + server.logTail());
                    }
                }
            } finally {
                clients.values().forEach(S3Client::close);
            }
        }
        return results;
    }

    private void warmUp(Map<Integer, S3Client> clients, URI endpoint, ServerProcess server) throws InterruptedException {
        for (int size : new int[] {4096, 1024 * 1024}) {
            byte[] payload = LoadGenerator.payload(size);
            LoadGenerator gen = new LoadGenerator(client(clients, endpoint, 8), BUCKET, server.cpu());
            gen.preload(payload);
            gen.run(new Cell(Workload.PUT, size, 8), payload, 1_500_000_000L);
            gen.run(new Cell(Workload.GET, size, 8), payload, 1_500_000_000L);
        }
    }

    private S3Client client(Map<Integer, S3Client> clients, URI endpoint, int concurrency) {
        return clients.computeIfAbsent(concurrency, c -> S3Clients.create(endpoint, ak, sk, c));
    }
}

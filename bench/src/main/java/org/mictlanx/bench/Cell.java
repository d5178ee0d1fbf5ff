package org.mictlanx.bench;

/**
 * One point of the benchmark matrix: a workload, an object size and a number of closed-loop workers
 * (each worker has at most one request in flight).
 */
public record Cell(Workload workload, int sizeBytes, int concurrency) {

    public Cell {
        if (sizeBytes <= 0) throw new IllegalArgumentException("size must be positive");
        if (concurrency <= 0) throw new IllegalArgumentException("concurrency must be positive");
    }

    /** A stable name such as {@code PUT 1MiB c8}, used to line up runs and targets. */
    public String name() {
        return workload + " " + Sizes.format(sizeBytes) + " c" + concurrency;
    }
}

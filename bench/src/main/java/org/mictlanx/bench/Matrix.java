package org.mictlanx.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The cells a comparison runs, grouped by object size (each size's balls are preloaded once).
 *
 * <ul>
 *   <li>default: PUT, GET, MIXED x 4 KiB and 1 MiB at c1, c8, c32, and 64 MiB at c1 and c8 (24 cells);
 *       64 MiB at c32 keeps 2 GiB in flight and needs 10 s or more per request on 2 cores, so it is
 *       left to {@code --full};</li>
 *   <li>{@code --quick}: the same workloads and sizes at c8 only (9 cells);</li>
 *   <li>{@code --full}: all 27 cells of the issue.</li>
 * </ul>
 */
public record Matrix(List<Cell> cells) {

    public static final int[] SIZES = {4 * 1024, 1024 * 1024, 64 * 1024 * 1024};

    public static Matrix of(String mode) {
        List<Cell> cells = new ArrayList<>();
        for (int size : SIZES) {
            int[] conc = switch (mode) {
                case "quick" -> new int[] {8};
                case "full" -> new int[] {1, 8, 32};
                case "default" -> size >= 64 * 1024 * 1024 ? new int[] {1, 8} : new int[] {1, 8, 32};
                default -> throw new IllegalArgumentException("unknown matrix '" + mode + "' (default, quick, full)");
            };
            for (Workload w : Workload.values()) {
                for (int c : conc) cells.add(new Cell(w, size, c));
            }
        }
        return new Matrix(List.copyOf(cells));
    }

    /** The sizes present, ascending. */
    public List<Integer> sizes() {
        return cells.stream().map(Cell::sizeBytes).distinct().sorted().toList();
    }

    public List<Cell> ofSize(int size) {
        return cells.stream().filter(c -> c.sizeBytes() == size).toList();
    }

    public int maxConcurrency() {
        return cells.stream().mapToInt(Cell::concurrency).max().orElse(1);
    }

    public Matrix filter(java.util.function.Predicate<Cell> keep) {
        return new Matrix(cells.stream().filter(keep).toList());
    }
}

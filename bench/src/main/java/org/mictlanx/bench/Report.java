package org.mictlanx.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Collects every run's {@link CellResult}s per system and cell, prints per-cell medians across runs,
 * the MictlanX/s3proxy ratios of median ops/s (equal to the MiB/s ratio: same object size), and the
 * issue's targets with met/missed.
 */
public final class Report {

    private final Map<String, Map<String, List<CellResult>>> byTarget = new LinkedHashMap<>();
    private final Map<String, Cell> cells = new LinkedHashMap<>();

    public void add(String target, CellResult r) {
        cells.putIfAbsent(r.cell().name(), r.cell());
        byTarget.computeIfAbsent(target, t -> new LinkedHashMap<>())
                .computeIfAbsent(r.cell().name(), c -> new ArrayList<>()).add(r);
    }

    public static String header() {
        return String.format(Locale.ROOT, "%-11s %-17s %9s %9s %9s %9s %7s %10s",
                "system", "cell", "ops/s", "MiB/s", "p50 ms", "p99 ms", "errors", "cpu ms/op");
    }

    public static String line(String target, CellResult r) {
        return String.format(Locale.ROOT, "%-11s %-17s %9.1f %9.1f %9.2f %9.2f %7d %10.3f",
                target, r.cell().name(), r.opsPerSecond(), r.mibPerSecond(), r.p50Millis(), r.p99Millis(),
                r.errors(), r.cpuMillisPerOp());
    }

    /** Median of {@code f} over the runs of {@code target} for {@code cell}, NaN when never run. */
    public double median(String target, String cell, ToDoubleFunction<CellResult> f) {
        List<CellResult> runs = byTarget.getOrDefault(target, Map.of()).getOrDefault(cell, List.of());
        if (runs.isEmpty()) return Double.NaN;
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private long errors(String target, String cell) {
        return byTarget.getOrDefault(target, Map.of()).getOrDefault(cell, List.of()).stream().mapToLong(CellResult::errors).sum();
    }

    private int runs(String target, String cell) {
        return byTarget.getOrDefault(target, Map.of()).getOrDefault(cell, List.of()).size();
    }

    public double ratio(String target, String cell) {
        return median(target, cell, CellResult::opsPerSecond) / median(Targets.S3PROXY.name(), cell, CellResult::opsPerSecond);
    }

    /** The medians table (one line per cell and system) and the ratio table. */
    public void printMedians(PrintStream out) {
        out.println("medians over runs (errors: sum over runs)");
        out.println(header() + " runs");
        for (String cell : cells.keySet()) {
            for (String t : byTarget.keySet()) {
                if (runs(t, cell) == 0) continue;
                out.printf(Locale.ROOT, "%-11s %-17s %9.1f %9.1f %9.2f %9.2f %7d %10.3f %4d%n", t, cell,
                        median(t, cell, CellResult::opsPerSecond), median(t, cell, CellResult::mibPerSecond),
                        median(t, cell, CellResult::p50Millis), median(t, cell, CellResult::p99Millis),
                        errors(t, cell), median(t, cell, CellResult::cpuMillisPerOp), runs(t, cell));
            }
        }
        out.println();
        List<String> others = byTarget.keySet().stream().filter(t -> !t.equals(Targets.S3PROXY.name())).toList();
        out.printf(Locale.ROOT, "%-17s%s%n", "ratio (ops/s)", String.join("", others.stream()
                .map(t -> String.format(Locale.ROOT, " %13s", t + "/s3p")).toList()));
        for (String cell : cells.keySet()) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-17s", cell));
            for (String t : others) sb.append(String.format(Locale.ROOT, " %12.2fx", ratio(t, cell)));
            out.println(sb);
        }
        for (String base : byTarget.keySet()) {
            if (!base.startsWith("baseline-")) continue;
            String build = "mictlanx-" + base.substring("baseline-".length());
            if (!byTarget.containsKey(build)) continue;
            out.println();
            out.printf(Locale.ROOT, "%-17s %14s %14s %14s%n", "change", build + "/base", "cpu/op base", "cpu/op build");
            for (String cell : cells.keySet()) {
                double ops = median(build, cell, CellResult::opsPerSecond) / median(base, cell, CellResult::opsPerSecond);
                out.printf(Locale.ROOT, "%-17s %13.2fx %14.3f %14.3f%n", cell, ops,
                        median(base, cell, CellResult::cpuMillisPerOp), median(build, cell, CellResult::cpuMillisPerOp));
            }
        }
    }

    /**
     * Issue 21's targets, each judged at every concurrency measured for its size: N=1 GET, MIXED and PUT
     * at least s3proxy's ops/s; N=3 GET at least 0.9x and PUT 64 MiB at least 0.6x; server CPU per GET at
     * 1 MiB and 64 MiB at most s3proxy's, per PUT at 1 MiB at most 1.3x s3proxy's.
     */
    public void printTargets(PrintStream out) {
        out.println();
        out.println("targets (ratio of median ops/s, judged at every concurrency measured)");
        String one = Targets.MICTLANX_1.name();
        String three = Targets.MICTLANX_3.name();
        for (Workload w : List.of(Workload.GET, Workload.MIXED, Workload.PUT))
            for (int size : Matrix.SIZES) target(out, one, w, size, 1.0);
        for (int size : Matrix.SIZES) target(out, three, Workload.GET, size, 0.9);
        target(out, three, Workload.PUT, 64 * 1024 * 1024, 0.6);
        out.println("CPU targets (server CPU ms/op relative to s3proxy's, judged at every concurrency measured)");
        cpuTarget(out, one, Workload.GET, 1024 * 1024, 1.0);
        cpuTarget(out, one, Workload.GET, 64 * 1024 * 1024, 1.0);
        cpuTarget(out, one, Workload.PUT, 1024 * 1024, 1.3);
    }

    private void cpuTarget(PrintStream out, String system, Workload w, int size, double limit) {
        List<String> parts = new ArrayList<>();
        boolean met = true;
        boolean any = false;
        for (Cell c : cells.values()) {
            if (c.workload() != w || c.sizeBytes() != size) continue;
            double r = median(system, c.name(), CellResult::cpuMillisPerOp)
                    / median(Targets.S3PROXY.name(), c.name(), CellResult::cpuMillisPerOp);
            if (Double.isNaN(r)) continue;
            any = true;
            met &= r <= limit;
            parts.add(String.format(Locale.ROOT, "c%d %.2fx", c.concurrency(), r));
        }
        String verdict = !any ? "not measured" : met ? "MET" : "MISSED";
        out.printf(Locale.ROOT, "  %-10s %-3s %-6s cpu/op <= %.1fx s3proxy's: %-12s (%s)%n", system, w, Sizes.format(size),
                limit, verdict, String.join(", ", parts));
    }

    private void target(PrintStream out, String system, Workload w, int size, double goal) {
        List<String> parts = new ArrayList<>();
        boolean met = true;
        boolean any = false;
        for (Cell c : cells.values()) {
            if (c.workload() != w || c.sizeBytes() != size) continue;
            double r = ratio(system, c.name());
            if (Double.isNaN(r)) continue;
            any = true;
            met &= r >= goal;
            parts.add(String.format(Locale.ROOT, "c%d %.2fx", c.concurrency(), r));
        }
        String verdict = !any ? "not measured" : met ? "MET" : "MISSED";
        out.printf(Locale.ROOT, "  %-10s %-3s %-6s >= %.1fx s3proxy: %-12s (%s)%n", system, w, Sizes.format(size), goal,
                verdict, String.join(", ", parts));
    }

}

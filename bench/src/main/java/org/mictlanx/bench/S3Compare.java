package org.mictlanx.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/mictlanx bench-s3}: MictlanX all-in-one (1 peer, N=1), MictlanX all-in-one with 3 peers
 * (N=3, W=2) and s3proxy (filesystem backend), each in its own JVM on loopback, driven by the same
 * closed-loop {@link LoadGenerator}; the systems alternate within each run (order rotated every run),
 * and the report gives medians over runs, the MictlanX/s3proxy ratios and the targets.
 *
 * <p>Options: {@code --classpath-file F} (required, see {@link Environment}), {@code --runs 3},
 * {@code --seconds 3} (per cell), {@code --quick} / {@code --full} (see {@link Matrix}),
 * {@code --systems mictlanx-1,s3proxy,mictlanx-3}, {@code --cells REGEX} (keep matching cell names),
 * {@code --jvm "-Xmx2g"} (every server JVM), {@code --mictlanx-jvm "..."} (MictlanX JVMs only, e.g. JFR),
 * {@code --tmp /tmp}, {@code --keep} (keep server data dirs and logs),
 * {@code --baseline-classpath-file F} with systems {@code baseline-1} / {@code baseline-3}: the same
 * configurations started from another build (F is that checkout's {@code bench/target/classpath.txt}),
 * so a change's before/after is measured in one run; the report adds mictlanx-N/baseline-N ratios.
 */
public final class S3Compare {

    private S3Compare() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Environment env = Environment.from(args);
        String mode = args.flag("quick") ? "quick" : args.flag("full") ? "full" : "default";
        Matrix matrix = Matrix.of(mode);
        String cellRegex = args.get("cells", null);
        if (cellRegex != null) matrix = matrix.filter(c -> c.name().matches(cellRegex));
        int runs = args.getInt("runs", 3);
        long cellNanos = (long) (args.getDouble("seconds", mode.equals("quick") ? 2 : 3) * 1e9);
        String baselineFile = args.get("baseline-classpath-file", null);
        String baseline = baselineFile == null ? null : Environment.mictlanxClasspath(Path.of(baselineFile));
        List<Targets.Target> systems = new ArrayList<>();
        for (String s : args.get("systems", "mictlanx-1,s3proxy,mictlanx-3").split(",")) {
            String name = s.strip();
            if (name.startsWith("baseline-") && baseline == null)
                throw new IllegalArgumentException("system '" + name + "' needs --baseline-classpath-file");
            systems.add(switch (name) {
                case "mictlanx-1" -> Targets.MICTLANX_1;
                case "mictlanx-3" -> Targets.MICTLANX_3;
                case "baseline-1" -> Targets.MICTLANX_1.withClasspath(name, baseline);
                case "baseline-3" -> Targets.MICTLANX_3.withClasspath(name, baseline);
                case "s3proxy" -> Targets.S3PROXY;
                default -> throw new IllegalArgumentException("unknown system '" + s + "'");
            });
        }
        List<String> jvm = words(args.get("jvm", "-Xmx2g"));
        Path tmp = Files.createDirectories(Path.of(args.get("tmp", System.getProperty("java.io.tmpdir"))));
        TargetRun runner = new TargetRun(env.targets(jvm), tmp, "benchaccesskey", "benchsecretkey0123456789",
                words(args.get("mictlanx-jvm", "")));

        System.out.printf(Locale.ROOT, "S3 benchmark: %d cells (%s), %.1f s each, %d runs, systems %s, server JVM %s%n",
                matrix.cells().size(), mode, cellNanos / 1e9, runs, systems.stream().map(Targets.Target::name).toList(), jvm);
        System.out.println(Report.header());
        Report report = new Report();
        long t0 = System.nanoTime();
        for (int run = 0; run < runs; run++) {
            for (int i = 0; i < systems.size(); i++) {
                Targets.Target t = systems.get((i + run) % systems.size());
                System.out.printf(Locale.ROOT, "-- run %d/%d: %s (%.0f s elapsed)%n", run + 1, runs, t.name(), (System.nanoTime() - t0) / 1e9);
                runner.run(t, matrix, cellNanos, r -> {
                    report.add(t.name(), r);
                    System.out.println(Report.line(t.name(), r));
                }, args.flag("keep"));
            }
        }
        System.out.println();
        report.printMedians(System.out);
        report.printTargets(System.out);
        System.out.printf(Locale.ROOT, "%ntotal time %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static List<String> words(String s) {
        return Arrays.stream(s.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}

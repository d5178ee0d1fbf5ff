package org.mictlanx.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * {@code bin/mictlanx bench-s3-big}: one PutObject of a generated {@code --size} (default 5 GiB, S3's
 * single-put limit) body to a server JVM with {@code --xmx} heap (default 256m), then a GetObject whose
 * SHA-256 must equal the generated body's. Neither side of the client holds the body: it streams from
 * {@link PseudoRandomInputStream}. Prints MiB/s each way, server CPU, and the server's peak RSS.
 * {@code --system s3proxy} runs the same against s3proxy; exits 1 on any failure.
 */
public final class BigObjectBench {

    private BigObjectBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Environment env = Environment.from(args);
        long size = Sizes.parse(args.get("size", "5GiB"));
        String xmx = args.get("xmx", "256m");
        Targets.Target target = switch (args.get("system", "mictlanx-1")) {
            case "mictlanx-1" -> Targets.MICTLANX_1;
            case "mictlanx-3" -> Targets.MICTLANX_3;
            case "s3proxy" -> Targets.S3PROXY;
            default -> throw new IllegalArgumentException("unknown --system");
        };
        long seed = 0x5eedL;
        Path tmp = Files.createDirectories(Path.of(args.get("tmp", System.getProperty("java.io.tmpdir"))));
        String ak = "benchaccesskey";
        String sk = "benchsecretkey0123456789";
        System.out.printf(Locale.ROOT, "big object: %s to %s, server JVM -Xmx%s%n", Sizes.format(size), target.name(), xmx);
        long t = System.nanoTime();
        String expected = sha256(new PseudoRandomInputStream(seed, size));
        System.out.printf(Locale.ROOT, "  generated body sha256 %s (%.1f s)%n", expected, (System.nanoTime() - t) / 1e9);
        boolean ok;
        try (ServerProcess server = env.targets(List.of("-Xmx" + xmx)).start(target, tmp, ak, sk, List.of(), false);
             S3Client s3 = S3Clients.create(server.endpoint(), ak, sk, 1)) {
            s3.createBucket(b -> b.bucket(TargetRun.BUCKET));
            long cpu0 = server.cpu().cpuMillis();
            t = System.nanoTime();
            try {
                s3.putObject(b -> b.bucket(TargetRun.BUCKET).key("big").contentLength(size),
                        RequestBody.fromContentProvider(() -> new PseudoRandomInputStream(seed, size), size,
                                "application/octet-stream"));
            } catch (RuntimeException e) {
                System.out.println("  PUT FAILED: " + e);
                System.out.println("  server alive: " + server.isAlive() + "; server log tail:\n" + server.logTail());
                System.exit(1);
            }
            double putS = (System.nanoTime() - t) / 1e9;
            long cpu1 = server.cpu().cpuMillis();
            System.out.printf(Locale.ROOT, "  PUT  %.1f s, %.1f MiB/s, server CPU %.1f s, server peak RSS %s%n",
                    putS, size / (double) Sizes.MIB / putS, (cpu1 - cpu0) / 1e3, peakRss(server.pid()));
            t = System.nanoTime();
            String got;
            long n;
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(TargetRun.BUCKET).key("big"))) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                n = LoadGenerator.drain(new DigestInputStream(in, md), new byte[256 * 1024]);
                got = HexFormat.of().formatHex(md.digest());
            }
            double getS = (System.nanoTime() - t) / 1e9;
            long cpu2 = server.cpu().cpuMillis();
            ok = n == size && got.equals(expected);
            System.out.printf(Locale.ROOT, "  GET  %.1f s, %.1f MiB/s, server CPU %.1f s, server peak RSS %s%n",
                    getS, size / (double) Sizes.MIB / getS, (cpu2 - cpu1) / 1e3, peakRss(server.pid()));
            System.out.printf(Locale.ROOT, "  GET  %d bytes, sha256 %s: %s%n", n, got, ok ? "MATCH" : "MISMATCH");
            if (!server.isAlive()) {
                System.out.println("  server died:\n" + server.logTail());
                ok = false;
            }
        }
        System.exit(ok ? 0 : 1);
    }

    static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[256 * 1024];
        try (in) {
            for (int r; (r = in.read(buf)) >= 0; ) md.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** VmHWM of /proc/PID/status (peak resident set), or "?" when not readable. */
    static String peakRss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> l.substring(6).strip()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}

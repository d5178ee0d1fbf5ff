package org.mictlanx.server.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mictlanx.server.Main;

/**
 * {@code Main server} (a router with its S3 front door) in a child JVM, same java binary and classpath
 * as the test, on an ephemeral loopback port. {@link #start} returns once the child printed its
 * endpoint ("MictlanX ready at ..."); its output is drained after that so it never blocks on a pipe.
 * Process tests of several routers over peer processes use it (the peers: {@code ChildPeer} or
 * {@code HttpPeerFixture}).
 */
public final class ChildServer implements AutoCloseable {

    private static final String READY = "MictlanX ready at ";

    private final Process process;
    private final URI endpoint;

    private ChildServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * The environment of a server over {@code peerUrls} ({@code id=url,...}) signing peer calls with
     * {@code clusterSecret}, with one S3 user ({@code accessKey}/{@code secretKey}) and an all-zero
     * master key (tests only).
     */
    public static Map<String, String> env(String clusterSecret, String accessKey, String secretKey, String peerUrls) {
        return Map.of("MICTLANX_CLUSTER_SECRET", clusterSecret,
                "MICTLANX_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                "MICTLANX_ACCESS_KEY", accessKey, "MICTLANX_SECRET_KEY", secretKey, "MICTLANX_PEER_URLS", peerUrls);
    }

    /**
     * Starts {@code Main server --host 127.0.0.1 --port 0 --data data} plus {@code extraArgs} with
     * {@code env} (see {@link #env}), a 256 MiB heap; waits at most {@code timeout} for it to be ready.
     */
    public static ChildServer start(Path data, Map<String, String> env, List<String> extraArgs, Duration timeout) throws Exception {
        Files.createDirectories(data);
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--host", "127.0.0.1", "--port", "0", "--data", data.toString()));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<URI> ready = CompletableFuture.supplyAsync(() -> {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith(READY)) {
                        Thread.ofVirtual().start(() -> {
                            try (r) {
                                r.lines().forEach(l -> { });
                            } catch (Exception ignored) {
                                // the child ended: nothing more to drain
                            }
                        });
                        return URI.create(line.substring(READY.length()).strip());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("server in " + data + " exited before it was ready");
        });
        try {
            return new ChildServer(p, ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (Exception e) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public Process process() {
        return process;
    }

    /** SIGKILL: no shutdown hook, no lease release, no last write; waits for the exit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** A graceful stop (SIGTERM), SIGKILL when it has not ended within 20 s. */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) kill();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

package org.mictlanx.bench;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mictlanx.peer.PeerMain;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.http.RequestSigner;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterBuilder;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.crypto.MasterKeys;

/**
 * Peer processes for the router-level benchmarks ({@link RouterBench}, {@link RepairBench}): {@link PeerMain}
 * in child JVMs (this JVM's classpath) on loopback ephemeral ports, each over its own directory under
 * one temporary root, signing with one cluster secret; a router builder over them (HTTP clients with a
 * 30 s timeout); and the {@code bench} bucket's put and read. {@link #close} stops every peer (SIGTERM,
 * SIGKILL after 20 s) and deletes the root.
 */
final class BenchPeers implements AutoCloseable {

    static final String BUCKET = "bench";
    private static final Pattern LISTENING = Pattern.compile("peer (\\S+) listening on (https?://\\S+)");

    private final Path root;
    private final String secret;
    private final String heap;
    private final List<Process> processes = new ArrayList<>();
    private final List<PeerDescriptor> descriptors = new ArrayList<>();

    private BenchPeers(Path root, String secret, String heap) {
        this.root = root;
        this.secret = secret;
        this.heap = heap;
    }

    /** Starts {@code count} peers named {@code prefix0..}, each with {@code heap} ({@code -Xmx} value), and waits until they listen. */
    static BenchPeers start(String prefix, int count, String secret, String heap) throws IOException {
        BenchPeers peers = new BenchPeers(Files.createTempDirectory(prefix + "-bench"), secret, heap);
        try {
            for (int i = 0; i < count; i++) {
                String id = prefix + i;
                Process p = peers.launch(id, 0);
                peers.processes.add(p);
                peers.descriptors.add(new PeerDescriptor(id, awaitListening(p).toString(), "default", 1));
            }
        } catch (IOException | RuntimeException e) {
            peers.close();
            throw e;
        }
        return peers;
    }

    List<PeerDescriptor> descriptors() {
        return List.copyOf(descriptors);
    }

    /** A router builder over these peers (layout, signed HTTP clients, a random master key) with {@code config}. */
    RouterBuilder router(RouterConfig config) {
        return Router.builder()
                .layout(ClusterLayout.of(1, descriptors), d -> new HttpPeerClient(d.id(), URI.create(d.url()),
                        new RequestSigner(secret), Duration.ofSeconds(30)))
                .masterKeys(MasterKeys.random("bench")).config(config);
    }

    /** Kills peer {@code i} (SIGKILL), deletes its data, and restarts it empty on the same port. */
    void wipeAndRestart(int i) throws IOException, InterruptedException {
        processes.get(i).destroyForcibly().waitFor();
        PeerDescriptor d = descriptors.get(i);
        deleteTree(root.resolve(d.id()));
        Process again = launch(d.id(), URI.create(d.url()).getPort());
        processes.set(i, again);
        awaitListening(again);
    }

    static void put(Router router, String key, byte[] data) {
        router.putBall(new PutBall(BUCKET, key, data.length, Map.of(), Map.of(), Set.of(), null), new ByteArrayInputStream(data));
    }

    /** Reads the whole ball {@code key}; returns its length. */
    static long readAll(Router router, String key) throws IOException {
        BallInfo info = router.headBall(BUCKET, key).orElseThrow();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        try (InputStream in = router.openBall(info, 0, -1)) {
            for (int r; (r = in.read(buf)) > 0; ) total += r;
        }
        return total;
    }

    private Process launch(String id, int port) throws IOException {
        return launch(id, root.resolve(id), port, secret, heap);
    }

    /** Starts one peer process ({@code PeerMain}) over {@code data}; {@link #awaitListening} waits for it. */
    static Process launch(String id, Path data, int port, String secret, String heap) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx" + heap, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                PeerMain.class.getName(), "--id", id, "--port", Integer.toString(port), "--data", data.toString(),
                "--secret", secret);
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The URL peer process {@code p} announces; its output is drained from then on. */
    static URI awaitListening(Process p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> {
                    try (r) {
                        r.lines().forEach(l -> { });
                    } catch (IOException | java.io.UncheckedIOException ignored) {
                        // peer exited
                    }
                });
                return URI.create(m.group(2));
            }
        }
        throw new IOException("peer exited before listening");
    }

    @Override
    public void close() throws IOException {
        try {
            for (Process p : processes) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            processes.forEach(Process::destroyForcibly);
            Thread.currentThread().interrupt();
        } finally {
            deleteTree(root);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}

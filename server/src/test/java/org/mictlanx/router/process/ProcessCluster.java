package org.mictlanx.router.process;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.http.RequestSigner;
import org.mictlanx.peer.testing.ChildPeer;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.crypto.MasterKeys;

/**
 * Peer processes ({@link ChildPeer}: RocksDB, signed HTTP, each its own JVM) and one in-process router
 * over them (N=3, W=2, R=2, background work on, no periodic full repair pass or GC), for the router
 * process tests. {@link #close} stops the router, the clients and every peer.
 *
 * <p>Timeouts scale with the machine's load ({@link #scaled}): these tests share two cores with other
 * builds, and a peer JVM starved of CPU for longer than a 3 s call timeout reads to the router as a
 * failed peer, which is not what they test (a frozen peer is FrozenPeerTest's subject). On a quiet
 * machine the timeouts are the base values.
 */
final class ProcessCluster implements AutoCloseable {

    private final Path dir;
    private final String secret;
    private final List<ChildPeer> children = new ArrayList<>();
    private final List<HttpPeerClient> clients = new ArrayList<>();
    private Router router;

    ProcessCluster(Path dir, String secret) {
        this.dir = dir;
        this.secret = secret;
    }

    /**
     * How much longer than on an idle machine waits may take now: the one-minute load average per
     * core, at least 1, at most 10 (read once per test, when it starts).
     */
    static double loadFactor() {
        double perCore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                / Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(10, perCore));
    }

    /** {@code base} times {@link #loadFactor()}. */
    static Duration scaled(Duration base) {
        return Duration.ofMillis((long) (base.toMillis() * loadFactor()));
    }

    /** Starts peer {@code id} over {@code dir/sub} with extra {@code PeerMain} options. */
    ChildPeer start(String id, String sub, List<String> extraArgs) throws Exception {
        ChildPeer c = ChildPeer.start(id, dir.resolve(sub), secret, scaled(Duration.ofSeconds(60)).toSeconds(), extraArgs);
        children.add(c);
        return c;
    }

    /** The peer processes started so far, in order. */
    List<ChildPeer> children() {
        return children;
    }

    /** A signed HTTP client of peer {@code d} (request timeout 5 s, scaled); the caller closes it. */
    HttpPeerClient client(PeerDescriptor d) {
        return new HttpPeerClient(d.id(), URI.create(d.url()), new RequestSigner(secret), scaled(Duration.ofSeconds(5)));
    }

    /** A client of each peer of {@code peers}, closed with this cluster. */
    List<HttpPeerClient> clients(List<PeerDescriptor> peers) {
        List<HttpPeerClient> out = new ArrayList<>();
        for (PeerDescriptor d : peers) out.add(client(d));
        clients.addAll(out);
        return out;
    }

    /** Starts the router over {@code peers} with {@code chunkSize} chunks and a 3 s call timeout (scaled). */
    Router router(List<PeerDescriptor> peers, int chunkSize) {
        RouterConfig cfg = RouterConfig.builder().chunkSize(chunkSize).replication(3).writeQuorum(2).readQuorum(2)
                .callTimeout(scaled(Duration.ofSeconds(3))).probeInterval(Duration.ofMillis(200)).repairInterval(Duration.ofHours(1))
                .gcInterval(Duration.ofHours(1)).repairBytesPerSecond(1L << 30).inlineMaxBytes(0).build();
        router = Router.builder().layout(ClusterLayout.of(1, peers), this::client)
                .masterKeys(MasterKeys.random("k1")).config(cfg).build();
        return router;
    }

    /** The whole ball {@code key} of bucket {@code b}, read through the router. */
    byte[] read(String key) throws Exception {
        BallInfo info = router.headBall("b", key).orElseThrow();
        try (InputStream in = router.openBall(info, 0, -1)) {
            return in.readAllBytes();
        }
    }

    /** Waits until {@code cond} holds, at most {@code timeout} (scaled); polls every 10 ms. */
    static void await(String what, Duration timeout, BooleanSupplier cond) {
        long deadline = System.nanoTime() + scaled(timeout).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            LockSupport.parkNanos(10_000_000);
        }
    }

    @Override
    public void close() {
        if (router != null) router.close();
        for (HttpPeerClient c : clients) c.close();
        for (ChildPeer c : children) c.close();
    }
}

package org.mictlanx.router.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.http.RequestSigner;
import org.mictlanx.peer.testing.ChildPeer;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.crypto.MasterKeys;

/**
 * With three real peer processes and the full 30 s call timeout: a peer process frozen with SIGSTOP
 * holds no GET or PUT for the timeout (reads hedge, writes return at W answers, the probe marks it
 * down), and two routers racing CreateBucket over the same peers have exactly one winner.
 */
class FrozenPeerProcessTest {

    private static final String SECRET = "frozen-process-test";
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private final List<ChildPeer> children = new ArrayList<>();
    private final List<Router> routers = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (ChildPeer c : children) signal(c, "CONT"); // a stopped process does not act on SIGTERM
        routers.forEach(Router::close);
        children.forEach(ChildPeer::close);
    }

    private static void signal(ChildPeer c, String sig) throws Exception {
        if (c.process().isAlive()) new ProcessBuilder("kill", "-" + sig, Long.toString(c.process().pid())).start().waitFor(10, TimeUnit.SECONDS);
    }

    private List<PeerDescriptor> peers() throws Exception {
        List<PeerDescriptor> ds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChildPeer c = ChildPeer.start("p" + i, dir.resolve("p" + i), SECRET, 60, List.of("--scrub-bytes-per-second", "0"));
            children.add(c);
            ds.add(new PeerDescriptor("p" + i, c.uri().toString(), "default", 1));
        }
        return ds;
    }

    private Router router(List<PeerDescriptor> ds, MasterKeys keys) {
        RouterConfig cfg = RouterConfig.builder().chunkSize(CHUNK).callTimeout(Duration.ofSeconds(30)).repairInterval(Duration.ofHours(1))
                .gcInterval(Duration.ofHours(1)).inlineMaxBytes(0).build();
        Router r = Router.builder().layout(ClusterLayout.of(1, ds), d -> new HttpPeerClient(d.id(), URI.create(d.url()),
                new RequestSigner(SECRET), Duration.ofSeconds(30))).masterKeys(keys).config(cfg).build();
        routers.add(r);
        return r;
    }

    private static byte[] body(int i) {
        byte[] b = new byte[5 * CHUNK + i];
        new Random(i).nextBytes(b);
        return b;
    }

    private static byte[] read(Router router, String key) throws Exception {
        BallInfo info = router.headBall("b", key).orElseThrow();
        try (InputStream in = router.openBall(info, 0, -1)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aStoppedPeerProcessHoldsNoGetOrPut() throws Exception {
        Router router = router(peers(), MasterKeys.random("k1"));
        router.createBucket("b", "o", "r");
        for (int i = 0; i < 12; i++) {
            byte[] d = body(i);
            router.putBall(new PutBall("b", "k" + i, d.length, Map.of(), Map.of(), Set.of(), null), new ByteArrayInputStream(d));
        }
        for (int i = 0; i < 12; i++) assertArrayEquals(body(i), read(router, "k" + i));
        signal(children.get(0), "STOP");
        long[] gets = new long[36];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 12; i++) {
                long t0 = System.nanoTime();
                assertArrayEquals(body(i), read(router, "k" + i));
                gets[round * 12 + i] = System.nanoTime() - t0;
            }
        }
        long worstPut = 0;
        for (int i = 0; i < 5; i++) {
            byte[] d = body(100 + i);
            long t0 = System.nanoTime();
            router.putBall(new PutBall("b", "w" + i, d.length, Map.of(), Map.of(), Set.of(), null), new ByteArrayInputStream(d));
            worstPut = Math.max(worstPut, System.nanoTime() - t0);
        }
        Arrays.sort(gets);
        long p99 = gets[(int) Math.ceil(gets.length * 0.99) - 1];
        System.out.printf("frozen peer process: GET p50 %d ms, p99 %d ms, slowest PUT %d ms%n", gets[gets.length / 2] / 1_000_000,
                p99 / 1_000_000, worstPut / 1_000_000);
        assertTrue(p99 < Duration.ofSeconds(3).toNanos(), "GET p99 " + p99 / 1_000_000 + " ms, not the 30 s call timeout");
        assertTrue(worstPut < Duration.ofSeconds(3).toNanos(), "slowest PUT " + worstPut / 1_000_000 + " ms");
        signal(children.get(0), "CONT");
        for (int i = 0; i < 5; i++) assertArrayEquals(body(100 + i), read(router, "w" + i));
    }

    @Test
    void racingCreateBucketThroughTwoRoutersHasExactlyOneWinner() throws Exception {
        List<PeerDescriptor> ds = peers();
        MasterKeys keys = MasterKeys.random("k1");
        Router a = router(ds, keys), b = router(ds, keys);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String name = "race-" + round;
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<String>> outcomes = new ArrayList<>();
                for (Router r : List.of(a, b)) {
                    String owner = r == a ? "owner-a" : "owner-b";
                    outcomes.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        try {
                            r.createBucket(name, owner, "us-east-1");
                            return "won:" + owner;
                        } catch (RouterException e) {
                            return e.kind().name();
                        }
                    }));
                }
                List<String> results = new ArrayList<>();
                for (Future<String> f : outcomes) results.add(f.get(120, TimeUnit.SECONDS));
                List<String> winners = results.stream().filter(s -> s.startsWith("won:")).toList();
                assertEquals(1, winners.size(), name + ": " + results);
                String owner = winners.get(0).substring(4);
                for (Router r : List.of(a, b)) {
                    assertEquals(owner, r.listBuckets().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow().owner(),
                            "the winner owns " + name + ": " + results);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

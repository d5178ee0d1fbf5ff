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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
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
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.router.meta.BallRecord;

/**
 * Three real peer processes (RocksDB, HTTP), N=3, W=2: a peer is SIGKILLed during a write/read
 * loop, an empty peer replaces it and repair refills it, and a silently damaged replica is never
 * served and gets replaced.
 */
class RouterProcessTest {

    private static final String SECRET = "router-process-test";
    private static final int CHUNK = 256 * 1024;

    @TempDir
    Path dir;

    private final List<ChildPeer> children = new ArrayList<>();
    private Router router;

    @AfterEach
    void tearDown() throws Exception {
        if (router != null) router.close();
        for (ChildPeer c : children) c.close();
    }

    private ChildPeer start(String id, String sub) throws Exception {
        ChildPeer c = ChildPeer.start(id, dir.resolve(sub), SECRET, 60);
        children.add(c);
        return c;
    }

    private static HttpPeerClient client(PeerDescriptor d) {
        return new HttpPeerClient(d.id(), URI.create(d.url()), new RequestSigner(SECRET), Duration.ofSeconds(5));
    }

    private static byte[] body(String key) {
        Random r = new Random(key.hashCode());
        byte[] b = new byte[r.nextInt(3 * CHUNK)];
        r.nextBytes(b);
        return b;
    }

    @Test
    void killReplaceAndCorruptWithThreeRealPeers() throws Exception {
        List<PeerDescriptor> ds = new ArrayList<>();
        for (int i = 0; i < 3; i++) ds.add(new PeerDescriptor("p" + i, start("p" + i, "p" + i).uri().toString(), "default", 1));
        RouterConfig cfg = RouterConfig.builder().chunkSize(CHUNK).replication(3).writeQuorum(2).readQuorum(2)
                .callTimeout(Duration.ofSeconds(3)).probeInterval(Duration.ofMillis(200)).repairInterval(Duration.ofHours(1))
                .gcInterval(Duration.ofHours(1)).repairBytesPerSecond(1L << 30).inlineMaxBytes(0).build();
        router = Router.builder().layout(ClusterLayout.of(1, ds), RouterProcessTest::client)
                .masterKeys(MasterKeys.random("k1")).config(cfg).build();
        router.createBucket("b", "o", "r");

        Map<String, Boolean> acked = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger seq = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            workers.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    String key = "k" + seq.incrementAndGet();
                    byte[] data = body(key);
                    try {
                        router.putBall(new PutBall("b", key, data.length, Map.of(), Map.of(), Set.of(), null),
                                new ByteArrayInputStream(data));
                        acked.put(key, true);
                        assertArrayEquals(data, read(key));
                    } catch (Throwable t) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, t);
                    }
                }
            }));
        }
        awaitCount(acked, 30);
        children.get(1).kill();
        int atKill = acked.size();
        awaitCount(acked, atKill + 30);
        stop.set(true);
        for (Thread t : workers) t.join();
        assertEquals(0, failures.get(), () -> "failed operations, first: " + firstFailure.get());
        for (String key : acked.keySet()) assertArrayEquals(body(key), read(key), key);

        // an empty peer takes p1's place; repair restores three replicas of everything
        ChildPeer fresh = start("p1", "p1-new");
        router.replacePeer(new PeerDescriptor("p1", fresh.uri().toString(), "default", 1));
        router.repairNow(false);
        List<HttpPeerClient> clients = new ArrayList<>();
        for (PeerDescriptor p : router.layout().peers()) clients.add(client(p));
        try {
            for (String key : acked.keySet()) {
                BallRecord ball = (BallRecord) router.headBall("b", key).orElseThrow().layout();
                for (long i = 0; i < ball.chunkCount(); i++) {
                    String id = ball.chunkId(i);
                    assertEquals(3, clients.stream().filter(c -> c.headChunk(id).isPresent()).count(), id);
                }
            }
            // damage one replica of a chunk (valid peer checksum, wrong bytes): reads stay correct
            String key = acked.keySet().stream().filter(k -> body(k).length > 0).findFirst().orElseThrow();
            BallRecord ball = (BallRecord) router.headBall("b", key).orElseThrow().layout();
            String id = ball.chunkId(0);
            HttpPeerClient victim = clients.get(0);
            byte[] good = victim.getChunk(id, 0, -1);
            byte[] bad = good.clone();
            bad[bad.length / 2] ^= 0x40;
            CRC32C crc = new CRC32C();
            crc.update(bad);
            victim.putChunk(id, bad, (int) crc.getValue());
            for (int i = 0; i < 5; i++) assertArrayEquals(body(key), read(key));
            router.repairNow(false);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!java.util.Arrays.equals(good, victim.getChunk(id, 0, -1))) {
                assertTrue(System.nanoTime() < deadline, "bad replica replaced");
                read(key);
                router.repairNow(false);
            }
        } finally {
            for (HttpPeerClient c : clients) c.close();
        }
    }

    private byte[] read(String key) throws Exception {
        BallInfo info = router.headBall("b", key).orElseThrow();
        try (InputStream in = router.openBall(info, 0, -1)) {
            return in.readAllBytes();
        }
    }

    private static void awaitCount(Map<String, Boolean> acked, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (acked.size() < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("only " + acked.size() + " puts acknowledged");
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }
}

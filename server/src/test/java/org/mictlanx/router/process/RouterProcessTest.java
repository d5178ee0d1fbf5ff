package org.mictlanx.router.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
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
import org.mictlanx.peer.testing.ChildPeer;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.Router;
import org.mictlanx.router.cluster.PeerDescriptor;
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

    private ProcessCluster cluster;
    private Router router;

    @AfterEach
    void tearDown() {
        if (cluster != null) cluster.close();
    }

    private static byte[] body(String key) {
        Random r = new Random(key.hashCode());
        byte[] b = new byte[r.nextInt(3 * CHUNK)];
        r.nextBytes(b);
        return b;
    }

    @Test
    void killReplaceAndCorruptWithThreeRealPeers() throws Exception {
        cluster = new ProcessCluster(dir, SECRET);
        List<PeerDescriptor> ds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ds.add(new PeerDescriptor("p" + i, cluster.start("p" + i, "p" + i, List.of()).uri().toString(), "default", 1));
        }
        router = cluster.router(ds, CHUNK);
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
                        assertArrayEquals(data, cluster.read(key));
                    } catch (Throwable t) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, t);
                    }
                }
            }));
        }
        ProcessCluster.await("30 puts acknowledged", Duration.ofSeconds(90), () -> acked.size() >= 30);
        cluster.children().get(1).kill();
        int atKill = acked.size();
        ProcessCluster.await("30 more puts acknowledged with p1 killed", Duration.ofSeconds(90), () -> acked.size() >= atKill + 30);
        stop.set(true);
        for (Thread t : workers) t.join();
        assertEquals(0, failures.get(), () -> "failed operations, first: " + firstFailure.get());
        for (String key : acked.keySet()) assertArrayEquals(body(key), cluster.read(key), key);

        // an empty peer takes p1's place; repair restores three replicas of everything
        ChildPeer fresh = cluster.start("p1", "p1-new", List.of());
        router.replacePeer(new PeerDescriptor("p1", fresh.uri().toString(), "default", 1));
        router.repairNow(false);
        List<HttpPeerClient> clients = cluster.clients(router.layout().peers());
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
        for (int i = 0; i < 5; i++) assertArrayEquals(body(key), cluster.read(key));
        router.repairNow(false);
        ProcessCluster.await("bad replica replaced", Duration.ofSeconds(30), () -> {
            try {
                if (java.util.Arrays.equals(good, victim.getChunk(id, 0, -1))) return true;
                cluster.read(key);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            router.repairNow(false);
            return false;
        });
    }
}

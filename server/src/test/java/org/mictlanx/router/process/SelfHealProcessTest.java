package org.mictlanx.router.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.testing.ChildPeer;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.Router;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.meta.BallRecord;

/**
 * Self-healing with three real peer processes (RocksDB, HTTP), N=3, W=2, and no admin command:
 * a peer down under load gets every replica it missed back soon after it returns (hinted handoff
 * kept until delivered), and bit rot in one peer's blob files is found by its background scrub and
 * repaired from the other replicas. The outage length is {@code -Dmictlanx.heal.outageSeconds}
 * (default 10, longer than the old repair queue's ~8 s of retries); run with 20 to reproduce the
 * figure in docs/operations.md: the test prints the time to full redundancy.
 */
class SelfHealProcessTest {

    private static final String SECRET = "self-heal-test";
    private static final int CHUNK = 64 * 1024;
    private static final long PUT_PAUSE_NANOS = 100_000_000L;

    @TempDir
    Path dir;

    private ProcessCluster cluster;
    private final List<HttpPeerClient> clients = new ArrayList<>();
    private Router router;

    @AfterEach
    void tearDown() {
        if (cluster != null) cluster.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private ChildPeer start(String id, int port) throws Exception {
        return cluster.start(id, id, List.of("--port", Integer.toString(port), "--scrub-bytes-per-second", Long.toString(256L << 20)));
    }

    private static byte[] body(String key) {
        Random r = new Random(key.hashCode());
        byte[] b = new byte[CHUNK + r.nextInt(2 * CHUNK)];
        r.nextBytes(b);
        return b;
    }

    /** Three peers on fixed ports (so one can come back at its address), a router with background work on. */
    private int[] cluster() throws Exception {
        cluster = new ProcessCluster(dir, SECRET);
        int[] ports = new int[3];
        List<PeerDescriptor> ds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ports[i] = freePort();
            ds.add(new PeerDescriptor("p" + i, start("p" + i, ports[i]).uri().toString(), "default", 1));
        }
        // no periodic full pass: everything below must come from hints, probes and scrub findings
        router = cluster.router(ds, CHUNK);
        createBucketOnFreshPeers();
        clients.addAll(cluster.clients(ds));
        return ports;
    }

    /**
     * Creates bucket b. A guard round the router abandoned (fresh peer processes on a loaded machine
     * answering after the call timeout) no longer reads as a concurrent create: the router recognises
     * its own votes (KeyGuard), so no CONFLICT/OperationAborted is retried here. Only QUORUM_FAILED (a
     * majority of the just-started peers not answering within three call timeouts) is retried, within
     * a deadline: that is the peers starting, not CreateBucket.
     */
    private void createBucketOnFreshPeers() {
        ProcessCluster.await("bucket b created on the fresh peers", Duration.ofSeconds(60), () -> {
            try {
                router.createBucket("b", "o", "r");
                return true;
            } catch (org.mictlanx.router.RouterException e) {
                if (e.kind() != org.mictlanx.router.RouterException.Kind.QUORUM_FAILED) throw e;
                return router.bucket("b").isPresent();
            }
        });
    }

    private void put(String key) {
        byte[] data = body(key);
        router.putBall(new PutBall("b", key, data.length, Map.of(), Map.of(), Set.of(), null), new ByteArrayInputStream(data));
    }

    /** Chunks with fewer than three peer-verified replicas (each read back). */
    private long underReplicated(Set<String> keys) {
        return underReplicated(keys, true);
    }

    /** Chunks with fewer than three replicas; {@code verify}: read each back (else HEAD only). */
    private long underReplicated(Set<String> keys, boolean verify) {
        long n = 0;
        for (String key : keys) {
            BallRecord ball = (BallRecord) router.headBall("b", key).orElseThrow().layout();
            for (long i = 0; i < ball.chunkCount(); i++) {
                String id = ball.chunkId(i);
                int good = 0;
                for (HttpPeerClient c : clients) {
                    try {
                        if (verify) c.getChunk(id, 0, 1);
                        else if (c.headChunk(id).isEmpty()) continue;
                        good++;
                    } catch (PeerException e) {
                        // missing or corrupt on this peer
                    }
                }
                if (good < 3) n++;
            }
        }
        return n;
    }

    @Test
    void peerDownUnderLoadGetsEveryMissedReplicaBackWithoutAnAdminCommand() throws Exception {
        long outageSeconds = Long.getLong("mictlanx.heal.outageSeconds", 10);
        int[] ports = cluster();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger seq = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            writers.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    String key = "k" + seq.incrementAndGet();
                    try {
                        put(key);
                        acked.add(key);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                    // a steady, modest load: the repair queue stays short, so what decides whether the
                    // missed replicas come back is whether a hint survives the outage, not queue length
                    LockSupport.parkNanos(PUT_PAUSE_NANOS);
                }
            }));
        }
        ProcessCluster.await("puts before the outage", Duration.ofSeconds(60), () -> acked.size() >= 20);
        cluster.children().get(2).kill();
        long downAt = System.nanoTime();
        while (System.nanoTime() - downAt < Duration.ofSeconds(outageSeconds).toNanos()) LockSupport.parkNanos(50_000_000);
        ChildPeer back = start("p2", ports[2]);
        long upAt = System.nanoTime();
        int atReturn = acked.size();
        ProcessCluster.await("puts after the return", Duration.ofSeconds(30), () -> acked.size() >= atReturn + 10);
        stop.set(true);
        for (Thread t : writers) t.join();
        assertEquals(null, failure.get(), "no put failed with one peer down");
        long missed = underReplicated(acked, false);
        ProcessCluster.await("every chunk back at three replicas", Duration.ofSeconds(60),
                () -> router.stats().maintenance().repairQueued() == 0 && underReplicated(acked, false) == 0);
        double seconds = (System.nanoTime() - upAt) / 1e9;
        assertEquals(0, underReplicated(acked, true), "and every copy reads back");
        var m = router.stats().maintenance();
        System.out.printf("self-heal: %d-s outage, %d balls, %d chunks under-replicated at check, full redundancy %.1f s after the"
                        + " peer returned (%d replicas restored, %d bytes copied)%n", outageSeconds, acked.size(), missed, seconds,
                m.replicasRestored(), m.bytesCopied());
        assertTrue(m.replicasRestored() > 0, "the outage made repair work");
        assertEquals(0, m.unrepairable());
        assertTrue(back.process().isAlive());
        for (String key : acked) assertArrayEquals(body(key), cluster.read(key), key);
    }

    @Test
    void bitRotInOnePeersBlobFilesIsScrubbedAndRepaired() throws Exception {
        int[] ports = cluster();
        Set<String> keys = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 40; i++) {
            put("r" + i);
            keys.add("r" + i);
        }
        assertEquals(0, underReplicated(keys));
        // clean stop and restart (recovery flushes the WAL into table and blob files), stop again, then rot its blob files
        cluster.children().get(1).close();
        start("p1", ports[1]).close();
        int flipped = 0;
        try (Stream<Path> files = Files.list(dir.resolve("p1"))) {
            for (Path blob : files.filter(p -> p.toString().endsWith(".blob")).toList()) {
                long size = Files.size(blob);
                try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    for (long at = 4096; at < size - 4096; at += 300_000) {
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
                        ch.read(b, at);
                        b.put(0, (byte) (b.get(0) ^ 0x04)).rewind();
                        ch.write(b, at);
                        flipped++;
                    }
                }
            }
        }
        assertTrue(flipped > 0, "blob files damaged");
        start("p1", ports[1]);
        ProcessCluster.await("damage visible", Duration.ofSeconds(30),
                () -> underReplicated(keys) > 0 || router.stats().maintenance().replicasRestored() > 0);
        ProcessCluster.await("every damaged replica re-created", Duration.ofSeconds(60), () -> underReplicated(keys) == 0);
        var m = router.stats().maintenance();
        assertTrue(m.replicasRestored() > 0, "repair copied: " + m);
        assertEquals(0, m.unrepairable());
        for (String key : keys) assertArrayEquals(body(key), cluster.read(key), key);
    }

    /**
     * Bit rot in one peer's records table file: the restarted peer finds it, quarantines that file's
     * key range and reports a damaged store; the router's probe alone starts the online rebuild (the
     * peer salvages its store, the router refills it), after which every ball record and every chunk
     * is back on it, each chunk at three verified replicas.
     */
    @Test
    void bitRotInOnePeersTableFileIsQuarantinedRebuiltAndRefilled() throws Exception {
        int[] ports = cluster();
        Set<String> keys = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 40; i++) {
            put("tablerot-" + i);
            keys.add("tablerot-" + i);
        }
        assertEquals(0, underReplicated(keys));
        // clean stop and restart (recovery flushes the WAL into table files), stop again, then rot the records table
        cluster.children().get(1).close();
        start("p1", ports[1]).close();
        Path table = null;
        try (Stream<Path> files = Files.list(dir.resolve("p1"))) {
            for (Path sst : files.filter(p -> p.toString().endsWith(".sst")).toList()) {
                if (new String(Files.readAllBytes(sst), java.nio.charset.StandardCharsets.ISO_8859_1).contains("tablerot-")) table = sst;
            }
        }
        assertTrue(table != null, "the records table file");
        try (FileChannel ch = FileChannel.open(table, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32);
            ch.read(b, 64);
            for (int i = 0; i < 32; i++) b.put(i, (byte) (b.get(i) ^ 0x5a));
            b.rewind();
            ch.write(b, 64);
        }
        start("p1", ports[1]);
        ProcessCluster.await("the router rebuilds the damaged peer by itself", Duration.ofSeconds(90),
                () -> router.stats().rebuild() != null && "done".equals(router.stats().rebuild().state()));
        var s = router.stats().rebuild();
        assertEquals("p1", s.peer());
        assertTrue(s.storeRebuild() != null && s.recordsWritten() > 0, s.toString());
        assertTrue(clients.get(1).health().ready(), clients.get(1).health().detail());
        for (String key : keys) assertTrue(clients.get(1).getRecord("b", key).isPresent(), key + " back on the rebuilt peer");
        ProcessCluster.await("every chunk at three verified replicas", Duration.ofSeconds(60), () -> underReplicated(keys) == 0);
        assertEquals(0, router.stats().maintenance().unrepairable());
        for (String key : keys) assertArrayEquals(body(key), cluster.read(key), key);
    }
}

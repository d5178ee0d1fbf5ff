package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.CHUNK;
import static org.mictlanx.router.fake.TestCluster.get;
import static org.mictlanx.router.fake.TestCluster.put;
import static org.mictlanx.router.fake.TestCluster.random;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.BallRecord;

class RouterMaintenanceTest {

    private final List<Router> routers = new ArrayList<>();
    private TestCluster cluster;

    @AfterEach
    void tearDown() {
        routers.forEach(Router::close);
        if (cluster != null) cluster.close();
    }

    /**
     * The batched full pass compares each listed copy's size with the record: a copy of the wrong size
     * (truncated on one peer, its own checksum consistent, so only the size gives it away) is replaced
     * from an authentic replica and counted; the ball reads back whole from any replica.
     */
    @Test
    void fullPassReplacesACopyOfTheWrongSize() {
        cluster = new TestCluster(3);
        Router router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)));
        router.createBucket("b", "o", "r");
        byte[] data = random(3 * CHUNK, 4);
        put(router, "b", "k", data);
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: let the third replicas land (p2's copy is read below)
        String id = ((BallRecord) router.headBall("b", "k").orElseThrow().layout()).chunkId(1);
        FaultyPeer p = cluster.peers.get(2);
        byte[] good = p.chunkBytes().get(id);
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 100);
        CRC32C c = new CRC32C();
        c.update(cut);
        p.putChunk(id, cut, (int) c.getValue());
        router.repairNow(false);
        assertArrayEquals(good, p.chunkBytes().get(id), "the truncated copy was replaced");
        assertEquals(1, router.stats().maintenance().wrongSizeFound());
        router.repairNow(false);
        assertEquals(1, router.stats().maintenance().wrongSizeFound(), "nothing left to find");
        BallInfo info = router.headBall("b", "k").orElseThrow();
        for (FaultyPeer other : cluster.peers.subList(0, 2)) other.down(true);
        assertArrayEquals(data, TestCluster.readAll(router, info, 0, -1), "the repaired copies serve alone");
    }

    @Test
    void gcDeletesOnlyUnreferencedChunksOlderThanTheGrace() {
        cluster = new TestCluster(3);
        Router router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofMinutes(10)));
        router.createBucket("b", "o", "r");
        put(router, "b", "live", random(2 * CHUNK, 1));
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: let the third replicas land before counting
        byte[] junk = {1, 2, 3};
        CRC32C c = new CRC32C();
        c.update(junk);
        String oldOrphan = "000000000001aaaaaaaaaaaa.0"; // ball id from 1970: far past the grace period
        String youngOrphan = String.format("%012x", System.currentTimeMillis()) + "bbbbbbbbbbbb.0";
        FaultyPeer p = cluster.peers.get(1);
        p.putChunk(oldOrphan, junk, (int) c.getValue());
        p.putChunk(youngOrphan, junk, (int) c.getValue());
        p.putChunk("not-ours", junk, (int) c.getValue());
        long before = cluster.totalChunks();
        router.gcNow();
        assertFalse(p.hasChunk(oldOrphan));
        assertTrue(p.hasChunk(youngOrphan), "inside the grace period");
        assertTrue(p.hasChunk("not-ours"));
        assertEquals(before - 1, cluster.totalChunks());
        assertEquals(1, router.stats().maintenance().gcChunksDeleted());
        assertArrayEquals(random(2 * CHUNK, 1), get(router, "b", "live"));
    }

    @Test
    void gcWithZeroGraceKeepsReferencedChunksAndDropsAbandonedPuts() {
        cluster = new TestCluster(3);
        Router router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ZERO));
        router.createBucket("b", "o", "r");
        put(router, "b", "k", random(3 * CHUNK, 2));
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: let the third replicas land before counting
        long live = cluster.totalChunks();
        // a put whose router crashed after its chunks: chunks without a committed ball
        FaultyPeer p = cluster.peers.get(0);
        byte[] junk = new byte[16];
        CRC32C c = new CRC32C();
        c.update(junk);
        p.putChunk(String.format("%012x", System.currentTimeMillis() - 5) + "cccccccccccc.0", junk, (int) c.getValue());
        router.gcNow();
        assertEquals(live, cluster.totalChunks());
    }

    @Test
    void addPeerMovesItsShareAndDrainEmptiesAPeer() {
        cluster = new TestCluster(4);
        Map<String, FaultyPeer> byId = new LinkedHashMap<>();
        cluster.peers.forEach(p -> byId.put(p.id(), p));
        ClusterLayout initial = ClusterLayout.of(1, cluster.peers.subList(0, 3).stream().map(p -> PeerDescriptor.local(p.id())).toList());
        Router a = router(initial, byId);
        Router b = router(initial, byId);
        a.createBucket("b", "o", "r");
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            bodies.add(random(2 * CHUNK, 100 + i));
            put(a, "b", "k" + i, bodies.get(i));
        }
        TestCluster.awaitChunkWrites(a); // the puts returned at W = 2 of 3: let the third replicas land
        a.addPeer(PeerDescriptor.local("p3"));
        a.repairNow(false);
        a.gcNow();
        FaultyPeer p3 = cluster.peers.get(3);
        assertTrue(p3.chunkBytes().size() > 0, "new peer received data");
        for (int i = 0; i < 12; i++) assertEquals(3, replicasOf(a, "k" + i, 0));
        // the other router converges on the new layout
        b.probeNow();
        assertEquals(a.layout().version(), b.layout().version());
        for (int i = 0; i < 12; i++) assertArrayEquals(bodies.get(i), get(b, "b", "k" + i));
        a.drainPeer("p1");
        assertFalse(a.layout().peer("p1").isPresent());
        FaultyPeer p1 = cluster.peers.get(1);
        p1.down(true); // drained: nothing may depend on it any more
        a.probeNow();
        for (int i = 0; i < 12; i++) {
            assertArrayEquals(bodies.get(i), get(a, "b", "k" + i));
            BallRecord ball = (BallRecord) a.headBall("b", "k" + i).orElseThrow().layout();
            for (long c = 0; c < ball.chunkCount(); c++) {
                String id = ball.chunkId(c);
                long onOthers = cluster.peers.stream().filter(p -> p != p1 && p.hasChunk(id)).count();
                assertEquals(3, onOthers);
            }
        }
    }

    @Test
    void removedDeadPeerIsReplacedByRepair() {
        cluster = new TestCluster(4);
        Map<String, FaultyPeer> byId = new LinkedHashMap<>();
        cluster.peers.forEach(p -> byId.put(p.id(), p));
        Router a = router(ClusterLayout.of(1, cluster.peers.stream().map(p -> PeerDescriptor.local(p.id())).toList()), byId);
        a.createBucket("b", "o", "r");
        byte[] data = random(4 * CHUNK, 3);
        put(a, "b", "k", data);
        TestCluster.awaitChunkWrites(a); // the put returned at W = 2 of 3: let the third replicas land
        cluster.peers.get(2).down(true);
        a.probeNow();
        a.removePeer("p2");
        a.repairNow(false);
        BallRecord ball = (BallRecord) a.headBall("b", "k").orElseThrow().layout();
        for (long c = 0; c < ball.chunkCount(); c++) {
            String id = ball.chunkId(c);
            assertEquals(3, cluster.peers.stream().filter(p -> !p.id().equals("p2") && p.hasChunk(id)).count());
        }
        assertArrayEquals(data, get(a, "b", "k"));
    }

    private int replicasOf(Router r, String key, long index) {
        BallRecord ball = (BallRecord) r.headBall("b", key).orElseThrow().layout();
        return cluster.replicas(ball.chunkId(index));
    }

    private Router router(ClusterLayout layout, Map<String, FaultyPeer> byId) {
        Router r = Router.builder().layout(layout, d -> byId.get(d.id())).masterKeys(cluster.keys)
                .config(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1))).background(false).build();
        routers.add(r);
        return r;
    }
}

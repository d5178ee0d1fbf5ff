package org.mictlanx.router.maint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.CHUNK;
import static org.mictlanx.router.fake.TestCluster.put;
import static org.mictlanx.router.fake.TestCluster.random;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.Partitions;

/**
 * Repair hints outlive the router that wrote them: router A acknowledges writes while a peer is
 * down (each under-replicated segment leaves a hint in the replicated metadata), A is stopped for
 * good, the peer returns, and router B, which never saw those writes and runs no full pass (its
 * interval is an hour), restores every chunk to N replicas from the hints and deletes them.
 */
class RepairHintsTest {

    private final List<Router> routers = new ArrayList<>();
    private TestCluster cluster;
    private FaultyPeer gone;

    @AfterEach
    void tearDown() {
        routers.forEach(Router::close);
        if (cluster != null) cluster.close();
    }

    private Router router() {
        RouterConfig c = RouterConfig.builder().chunkSize(CHUNK).callTimeout(Duration.ofSeconds(2))
                .probeInterval(Duration.ofMillis(200)).repairInterval(Duration.ofHours(1)).gcInterval(Duration.ofHours(1))
                .gcGrace(Duration.ofHours(1)).inlineMaxBytes(0).build();
        Router r = Router.builder().peers(cluster.peers).masterKeys(cluster.keys).config(c).background(true).build();
        routers.add(r);
        return r;
    }

    private long liveHints() {
        return cluster.peers.stream().filter(p -> p != gone).mapToLong(p -> p.scanRecords(Partitions.REPAIR_HINTS, null, null, 10_000).stream()
                .filter(r -> !r.tombstone()).count()).max().orElse(0);
    }

    @Test
    void anotherRouterRestoresWhatADeadRouterAcknowledged() {
        cluster = new TestCluster(3);
        Router a = router();
        Router b = router();
        a.createBucket("b", "o", "r");
        gone = cluster.peers.get(2);
        gone.down(true);
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            put(a, "b", "k" + i, random(3 * CHUNK, i));
            BallRecord ball = (BallRecord) a.headBall("b", "k" + i).orElseThrow().layout();
            for (long c = 0; c < ball.chunkCount(); c++) chunks.add(ball.chunkId(c));
        }
        assertTrue(chunks.stream().allMatch(id -> cluster.replicas(id) == 2), "written while a peer was down");
        assertTrue(liveHints() >= 6, "one hint per under-replicated segment, stored before the acknowledgement");
        a.close(); // its queue dies with it
        gone.down(false);
        gone = null;
        long t0 = System.nanoTime();
        TestCluster.await("router B restores N replicas", () -> chunks.stream().allMatch(id -> cluster.replicas(id) == 3));
        long took = System.nanoTime() - t0;
        TestCluster.await("settled hints deleted", () -> liveHints() == 0);
        assertEquals(0, b.stats().maintenance().repairPasses(), "no full pass ran: the hints did it");
        System.out.printf("repair hints: %d chunks back to 3 replicas through router B in %d ms%n", chunks.size(), took / 1_000_000);
    }

    @Test
    void hintsRoundTripTheirBallName() {
        String[] bk = RepairHints.decode(RepairHints.encode("bucket", "a/ké y\u0000"));
        assertEquals("bucket", bk[0]);
        assertEquals("a/ké y\u0000", bk[1]);
        assertTrue(MetaRecord.class.isRecord());
    }
}

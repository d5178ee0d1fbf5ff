package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mictlanx.router.fake.TestCluster.CHUNK;
import static org.mictlanx.router.fake.TestCluster.get;
import static org.mictlanx.router.fake.TestCluster.random;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.BallRecord;

/** Reduced redundancy (S3's REDUCED_REDUNDANCY): N - 1 replicas per chunk, at least 1, kept by repair. */
class RouterRedundancyTest {

    private TestCluster cluster;
    private Router router;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3);
        router = cluster.router();
        router.createBucket("b", "alice", "mx-1");
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private BallInfo put(String key, byte[] data, Redundancy redundancy) {
        return router.putBall(new PutBall("b", key, data.length, Map.of(), Map.of(), Set.of(), null, null, Map.of(),
                redundancy), new ByteArrayInputStream(data));
    }

    @Test
    void reducedBallsHaveOneReplicaFewerAndRepairKeepsItSo() {
        byte[] data = random(2 * CHUNK, 1);
        BallInfo reduced = put("rrs", data, Redundancy.REDUCED);
        assertEquals(4, cluster.totalChunks(), "two chunks, two replicas each");
        assertEquals(2, ((BallRecord) reduced.layout()).soleSegment().replication());
        assertArrayEquals(data, get(router, "b", "rrs"));
        put("std", data, Redundancy.STANDARD);
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: let the third replicas land before counting
        assertEquals(4 + 6, cluster.totalChunks(), "two chunks, three replicas each");
        router.repairNow(false);
        assertEquals(10, cluster.totalChunks(), "repair restores each segment's own count, no more");
    }

    @Test
    void reducedUploadsWriteTheirPartsWithOneReplicaFewer() {
        String id = router.createUpload("b", "mp", Map.of(), Map.of(), Map.of(), Set.of(), null, Redundancy.REDUCED);
        byte[] data = random(CHUNK + 10, 2);
        PartInfo p = router.putPart("b", "mp", id, 1, new ByteArrayInputStream(data), data.length, Set.of(), null);
        assertEquals(4, cluster.totalChunks(), "two chunks, two replicas each");
        router.completeUpload("b", "mp", id, List.of(new CompletedPart(1, p.etag(), Map.of())), null);
        assertArrayEquals(data, get(router, "b", "mp"));
    }

    @Test
    void reducedIsNMinusOneButNeverZero() {
        assertEquals(2, Redundancy.REDUCED.replicas(3));
        assertEquals(1, Redundancy.REDUCED.replicas(2));
        assertEquals(1, Redundancy.REDUCED.replicas(1));
        assertEquals(3, Redundancy.STANDARD.replicas(3));
    }
}

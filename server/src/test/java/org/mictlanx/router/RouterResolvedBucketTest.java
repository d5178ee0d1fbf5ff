package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.Partitions;

/**
 * The ball reads that take a bucket the caller already resolved ({@code headBall(BucketInfo, key)},
 * {@code listBalls(BucketInfo, ...)}) read only the ball records, not the bucket record again; the
 * name forms still check the bucket by quorum. The same holds for the version reads
 * ({@code headBallVersion}, {@code listBallVersions}, {@code versionPosition}); deletes always read the
 * bucket by quorum (its versioning state decides what they do).
 */
class RouterResolvedBucketTest {

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

    @Test
    void aResolvedBucketIsNotReadAgain() {
        BallInfo put = TestCluster.put(router, "b", "k", TestCluster.random(100, 1));
        BucketInfo resolved = router.bucket("b").orElseThrow();
        // the bucket record vanishes from every peer: only a read of it can notice
        for (FaultyPeer p : cluster.peers) p.removeRecord(Partitions.BUCKETS, "b");

        assertEquals(put.etag(), router.headBall(resolved, "k").orElseThrow().etag());
        BallPage page = router.listBalls(resolved, null, null, 10);
        assertEquals(List.of("k"), page.balls().stream().map(BallInfo::key).toList());

        assertEquals(RouterException.Kind.NO_SUCH_BUCKET,
                assertThrows(RouterException.class, () -> router.headBall("b", "k")).kind());
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET,
                assertThrows(RouterException.class, () -> router.listBalls("b", null, null, 10)).kind());
    }

    @Test
    void versionReadsInAResolvedBucketDoNotReadItAgainButDeletesDo() {
        router.setBucketVersioning("b", VersioningState.ENABLED);
        BallInfo v = TestCluster.put(router, "b", "k", TestCluster.random(100, 2));
        BucketInfo resolved = router.bucket("b").orElseThrow();
        for (FaultyPeer p : cluster.peers) p.removeRecord(Partitions.BUCKETS, "b");

        assertEquals(v.etag(), router.headBallVersion(resolved, "k", v.versionId()).orElseThrow().etag());
        assertEquals(List.of(v.versionId()), router.listBallVersions(resolved, null, null, 10).entries().stream()
                .map(e -> e.ball().versionId()).toList());
        assertTrue(router.versionPosition(resolved, "k", "null").isEmpty(), "no null version");

        assertEquals(RouterException.Kind.NO_SUCH_BUCKET, assertThrows(RouterException.class,
                () -> router.headBallVersion("b", "k", v.versionId())).kind());
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET, assertThrows(RouterException.class,
                () -> router.listBallVersions("b", null, null, 10)).kind());
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET, assertThrows(RouterException.class,
                () -> router.versionPosition("b", "k", "null")).kind());
        // a delete takes its versioning state from a quorum read, as a put's commit does
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET, assertThrows(RouterException.class,
                () -> router.deleteBallVersion("b", "k", null)).kind());
    }

    @Test
    void aMissingBallInAResolvedBucketIsEmpty() {
        BucketInfo resolved = router.bucket("b").orElseThrow();
        assertTrue(router.headBall(resolved, "absent").isEmpty());
        assertTrue(router.listBalls(resolved, "x", null, 10).balls().isEmpty());
    }
}

package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.put;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.fake.TestClock;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.io.BucketService;

/**
 * The front door's bucket lookup may answer from a quorum read up to {@link BucketService#RECENT_TTL}
 * old, but never hides this router's own changes, never remembers absence, and never lets a write
 * commit into a bucket deleted elsewhere.
 */
class RouterBucketLookupTest {

    private final TestClock clock = new TestClock();
    private TestCluster cluster;
    private Router a;
    private Router b;

    @BeforeEach
    void setUp() {
        clock.freeze();
        cluster = new TestCluster(3);
        a = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)), clock);
        b = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)), clock);
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void createdElsewhereIsVisibleAtOnceAndOwnDeleteIsSeenAtOnce() {
        assertTrue(a.bucket("x").isEmpty());
        b.createBucket("x", "o", "r");
        assertTrue(a.bucket("x").isPresent(), "absence is never remembered");
        a.deleteBucket("x");
        assertTrue(a.bucket("x").isEmpty());
    }

    @Test
    void deleteElsewhereIsSeenAfterTheTtlAndWritesFailMeanwhile() {
        a.createBucket("x", "o", "r");
        assertEquals("o", a.bucket("x").orElseThrow().owner());
        b.deleteBucket("x");
        assertTrue(a.bucket("x").isPresent(), "within the TTL the remembered read may answer");
        RouterException e = assertThrows(RouterException.class, () -> put(a, "x", "k", new byte[10]));
        assertEquals(RouterException.Kind.NO_SUCH_BUCKET, e.kind());
        clock.advance(BucketService.RECENT_TTL);
        assertTrue(a.bucket("x").isEmpty());
    }

    @Test
    void recreatedElsewhereWithAnotherOwnerIsSeenAfterTheTtl() {
        a.createBucket("x", "o1", "r");
        a.bucket("x");
        b.deleteBucket("x");
        b.createBucket("x", "o2", "r");
        clock.advance(BucketService.RECENT_TTL);
        assertEquals("o2", a.bucket("x").orElseThrow().owner());
    }
}

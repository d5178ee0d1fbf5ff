package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mictlanx.router.fake.TestCluster.CHUNK;
import static org.mictlanx.router.fake.TestCluster.get;
import static org.mictlanx.router.fake.TestCluster.random;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.fake.TestClock;
import org.mictlanx.router.fake.TestCluster;

/** A completion retried (through another router) after it succeeded answers the committed ball, and GC keeps it. */
class RouterCompleteRetryTest {

    private static final Duration GRACE = Duration.ofHours(1);
    private final TestClock clock = new TestClock();
    private TestCluster cluster;
    private Router a;
    private Router b;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3);
        a = cluster.router(TestCluster.config(Duration.ofSeconds(2), GRACE), clock);
        b = cluster.router(TestCluster.config(Duration.ofSeconds(2), GRACE), clock);
        a.createBucket("bk", "o", "r");
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void retriedCompletionAnswersTheSameBallAndNothingIsReleased() {
        String id = a.createUpload("bk", "k", Map.of(), Map.of(), Set.of(Digest.CRC32), null);
        byte[] data = random(CHUNK + 5, 1);
        PartInfo p = a.putPart("bk", "k", id, 1, new ByteArrayInputStream(data), data.length, Set.of(), null);
        List<CompletedPart> parts = List.of(new CompletedPart(1, p.etag(), Map.of()));
        BallInfo first = a.completeUpload("bk", "k", id, parts, null);
        long chunks = cluster.totalChunks();
        BallInfo again = b.completeUpload("bk", "k", id, parts, null);
        assertEquals(first.etag(), again.etag());
        assertEquals(first.version(), again.version(), "nothing was committed again");
        assertArrayEquals(first.digests().get(Digest.CRC32), again.digests().get(Digest.CRC32));
        assertEquals(RouterException.Kind.NO_SUCH_UPLOAD, assertThrows(RouterException.class,
                () -> b.completeUpload("bk", "k", id, List.of(new CompletedPart(1, "00", Map.of())), null)).kind());
        assertEquals(RouterException.Kind.NO_SUCH_UPLOAD, assertThrows(RouterException.class,
                () -> b.completeUpload("bk", "k", "0123456789abcdef0123456789abcdef", parts, null)).kind());
        clock.advance(GRACE.plusMinutes(1));
        a.gcNow();
        assertEquals(chunks, cluster.totalChunks(), "the completed ball's chunks are kept");
        assertArrayEquals(data, get(b, "bk", "k"));
    }
}

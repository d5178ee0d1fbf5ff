package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.get;
import static org.mictlanx.router.fake.TestCluster.random;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.fake.TestCluster;

class RouterConditionalTest {

    private TestCluster cluster;
    private Router a;
    private Router b;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3);
        a = cluster.router();
        b = cluster.router();
        a.createBucket("b", "alice", "mx-1");
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static BallInfo putIf(Router r, String key, byte[] data, WriteCondition c) {
        return r.putBall(TestCluster.put("b", key, data.length).withCondition(c), new ByteArrayInputStream(data));
    }

    @Test
    void ifAbsentAndIfMatchHoldOrFailPrecisely() {
        byte[] one = random(1000, 1);
        BallInfo first = putIf(a, "k", one, WriteCondition.IF_ABSENT);
        assertEquals(RouterException.Kind.PRECONDITION_FAILED,
                assertThrows(RouterException.class, () -> putIf(b, "k", random(10, 2), WriteCondition.IF_ABSENT)).kind());
        assertEquals(RouterException.Kind.PRECONDITION_FAILED,
                assertThrows(RouterException.class, () -> putIf(b, "k", random(10, 2), WriteCondition.ifMatch("0000"))).kind());
        assertArrayEquals(one, get(a, "b", "k"));
        byte[] two = random(2000, 3);
        putIf(b, "k", two, WriteCondition.ifMatch("\"" + first.etag() + "\""));
        assertArrayEquals(two, get(a, "b", "k"));
        assertEquals(RouterException.Kind.NO_SUCH_BALL, assertThrows(RouterException.class,
                () -> putIf(a, "absent", one, WriteCondition.ifMatch(first.etag()))).kind(), "If-Match on no ball says so");
        assertTrue(a.deleteBall("b", "k"));
        assertEquals(RouterException.Kind.NO_SUCH_BALL, assertThrows(RouterException.class,
                () -> putIf(b, "k", one, WriteCondition.ifMatch(first.etag()))).kind(), "a deleted ball is no ball");
        putIf(a, "k", one, WriteCondition.IF_ABSENT); // a deleted key is absent again
    }

    @Test
    void racingConditionalWritersThroughTwoRoutersExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 15; round++) {
                String key = "race-" + round;
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<Object>> results = new ArrayList<>();
                List<byte[]> bodies = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    Router r = w % 2 == 0 ? a : b;
                    byte[] body = random(500 + w, round * 10L + w);
                    bodies.add(body);
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            return putIf(r, key, body, WriteCondition.IF_ABSENT);
                        } catch (RouterException e) {
                            return e.kind();
                        }
                    }));
                }
                int wins = 0;
                byte[] winner = null;
                for (int w = 0; w < 4; w++) {
                    Object o = results.get(w).get();
                    if (o instanceof BallInfo) {
                        wins++;
                        winner = bodies.get(w);
                    } else {
                        assertTrue(o == RouterException.Kind.PRECONDITION_FAILED || o == RouterException.Kind.CONFLICT, "got " + o);
                    }
                }
                assertEquals(1, wins, "round " + round);
                assertArrayEquals(winner, get(b, "b", key));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void conditionalCompleteAndCopy() {
        String id = a.createUpload("b", "m", Map.of(), Map.of(), Set.of(), null);
        a.putPart("b", "m", id, 1, new ByteArrayInputStream(new byte[] {1, 2, 3}), 3, Set.of(), null);
        BallInfo existing = TestCluster.put(a, "b", "m", new byte[] {9});
        assertEquals(RouterException.Kind.PRECONDITION_FAILED, assertThrows(RouterException.class,
                () -> b.completeUpload("b", "m", id, List.of(CompletedPart.of(1)), WriteCondition.IF_ABSENT)).kind());
        BallInfo done = b.completeUpload("b", "m", id, List.of(CompletedPart.of(1)), WriteCondition.ifMatch(existing.etag()));
        assertArrayEquals(new byte[] {1, 2, 3}, get(a, "b", "m"));
        assertEquals(RouterException.Kind.PRECONDITION_FAILED, assertThrows(RouterException.class,
                () -> a.copyBall(done, "b", "m", Map.of(), Map.of(), WriteCondition.IF_ABSENT)).kind());
        a.copyBall(done, "b", "m2", Map.of(), Map.of(), WriteCondition.IF_ABSENT);
        assertArrayEquals(new byte[] {1, 2, 3}, get(b, "b", "m2"));
    }
}

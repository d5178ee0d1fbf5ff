package org.mictlanx.router.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class QuorumTrackerTest {

    @Test
    void succeedsAsSoonAsRequiredSuccessesArrive() {
        QuorumTracker t = new QuorumTracker(3, 2);
        assertEquals(QuorumTracker.State.PENDING, t.success());
        assertEquals(QuorumTracker.State.SUCCEEDED, t.success());
        assertFalse(t.complete());
        assertEquals(QuorumTracker.State.SUCCEEDED, t.failure());
        assertTrue(t.complete());
    }

    @Test
    void failsAsSoonAsQuorumIsUnreachable() {
        QuorumTracker t = new QuorumTracker(3, 2);
        assertEquals(QuorumTracker.State.PENDING, t.failure());
        assertEquals(QuorumTracker.State.FAILED, t.failure());
        assertEquals(QuorumTracker.State.FAILED, t.success());
    }

    @Test
    void allOfNAndOneOfN() {
        QuorumTracker all = new QuorumTracker(3, 3);
        all.success();
        all.success();
        assertEquals(QuorumTracker.State.FAILED, all.failure());
        QuorumTracker one = new QuorumTracker(3, 1);
        one.failure();
        one.failure();
        assertEquals(QuorumTracker.State.SUCCEEDED, one.success());
    }

    @Test
    void rejectsImpossibleQuorumsAndExtraReplies() {
        assertThrows(IllegalArgumentException.class, () -> new QuorumTracker(2, 3));
        assertThrows(IllegalArgumentException.class, () -> new QuorumTracker(2, 0));
        QuorumTracker t = new QuorumTracker(1, 1);
        t.success();
        assertThrows(IllegalStateException.class, t::failure);
        assertEquals(2, QuorumTracker.majority(3));
        assertEquals(3, QuorumTracker.majority(4));
        assertEquals(1, QuorumTracker.majority(1));
    }

    @Test
    void fanoutReturnsOnQuorumWithoutWaitingForAStraggler() throws Exception {
        ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
        CountDownLatch straggler = new CountDownLatch(1);
        try {
            Fanout f = new Fanout(exec, Duration.ofMinutes(1));
            Fanout.Result<String, String> r = f.call(List.of("a", "b", "c"), 2, k -> {
                if (k.equals("c")) {
                    try {
                        straggler.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return k;
            });
            assertTrue(r.succeeded());
            assertEquals(2, r.successes().size());
            assertFalse(r.all().isDone());
            straggler.countDown();
            r.all().get();
            assertEquals(3, r.successes().size());
        } finally {
            exec.shutdownNow();
        }
    }

    @Test
    void fanoutTimesOutAHungCallAndFails() {
        ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Fanout f = new Fanout(exec, Duration.ofMillis(100));
            Fanout.Result<String, String> r = f.call(List.of("a", "b"), 2, k -> {
                if (k.equals("b")) {
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException("interrupted");
                    }
                }
                return k;
            });
            assertFalse(r.succeeded());
            assertTrue(r.failures().get("b") instanceof Fanout.CallTimeoutException);
        } finally {
            exec.shutdownNow();
        }
    }
}

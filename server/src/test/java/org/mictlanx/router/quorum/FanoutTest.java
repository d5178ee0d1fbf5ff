package org.mictlanx.router.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fanout decisions, with a single target called on the caller's thread and several in parallel. */
class FanoutTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Fanout fanout = new Fanout(executor, Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void aSingleTargetIsCalledOnTheCallersThreadAndIsCompleteOnReturn() {
        Thread caller = Thread.currentThread();
        Map<String, Thread> ranOn = new ConcurrentHashMap<>();
        Fanout.Result<String, Integer> ok = fanout.call(List.of("a"), 1, t -> {
            ranOn.put(t, Thread.currentThread());
            return 7;
        });
        assertSame(caller, ranOn.get("a"));
        assertTrue(ok.succeeded());
        assertEquals(Map.of("a", 7), ok.successes());
        assertTrue(ok.all().isDone());

        IllegalStateException boom = new IllegalStateException("boom");
        Fanout.Result<String, Integer> failed = fanout.call(List.of("a"), 1, t -> {
            throw boom;
        });
        assertFalse(failed.succeeded());
        assertSame(boom, failed.failures().get("a"));
        assertTrue(failed.all().isDone());
        assertTrue(failed.failureSummary().startsWith("0 of 1 succeeded, 1 required"), failed.failureSummary());
    }

    @Test
    void severalTargetsRunElsewhereAndDecideAtTheQuorum() throws Exception {
        Thread caller = Thread.currentThread();
        Map<String, Thread> ranOn = new ConcurrentHashMap<>();
        Fanout.Result<String, String> r = fanout.call(List.of("a", "b", "c"), 2, t -> {
            ranOn.put(t, Thread.currentThread());
            if (t.equals("c")) throw new IllegalStateException("down");
            return t;
        });
        assertTrue(r.succeeded());
        r.all().get();
        assertEquals(3, ranOn.size());
        assertFalse(ranOn.containsValue(caller));
        assertEquals(Map.of("a", "a", "b", "b"), r.successes());
        assertEquals(1, r.failures().size());
    }
}

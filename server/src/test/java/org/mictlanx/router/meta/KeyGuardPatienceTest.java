package org.mictlanx.router.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.quorum.Fanout;

/**
 * Writers S3 never refuses because of a concurrent one wait their turn for a key's guard: with the
 * guard held longer than a conditional writer's attempts last, the conditional acquire answers CONFLICT
 * (409 ConditionalRequestConflict) while an unconditional one gets the guard once the holder lets go;
 * an unconditional writer still busy past its patience gets QUORUM_FAILED (503, retried), never CONFLICT.
 */
class KeyGuardPatienceTest {

    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private final List<FaultyPeer> peers = List.of(new FaultyPeer("p0"), new FaultyPeer("p1"), new FaultyPeer("p2"));

    @AfterEach
    void tearDown() {
        io.shutdownNow();
    }

    private KeyGuard guard() {
        Map<String, FaultyPeer> byId = peers.stream().collect(Collectors.toMap(FaultyPeer::id, Function.identity()));
        PeerPool pool = new PeerPool(ClusterLayout.of(1, peers.stream().map(p -> PeerDescriptor.local(p.id())).toList()),
                d -> byId.get(d.id()), false);
        Fanout fanout = new Fanout(io, Duration.ofSeconds(2));
        ReplicatedTable table = new ReplicatedTable(pool, fanout, io, new HybridClock());
        return new KeyGuard(table, fanout, 60_000, 3);
    }

    @Test
    void anUnconditionalWriterWaitsForTheHolderWhereAConditionalOneStepsBack() throws Exception {
        KeyGuard guard = guard();
        KeyGuard.Lease held = guard.acquire("b", "k");
        assertEquals(RouterException.Kind.CONFLICT,
                assertThrows(RouterException.class, () -> guard.acquire("b", "k")).kind());
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<KeyGuard.Lease> waiting = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            return guard.acquireUnconditional("b", "k", Duration.ofSeconds(30));
        }, io);
        started.await();
        // the waiter has outlasted the conditional writer's attempts and still waits
        assertFalse(waiting.isDone());
        assertEquals(RouterException.Kind.CONFLICT,
                assertThrows(RouterException.class, () -> guard.acquire("b", "k")).kind());
        assertFalse(waiting.isDone(), "still waiting while the guard is held");
        guard.release(held);
        guard.release(waiting.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aKeyBusyPastThePatienceIsA503NotA409() {
        KeyGuard guard = guard();
        KeyGuard.Lease held = guard.acquire("b", "k");
        RouterException e = assertThrows(RouterException.class,
                () -> guard.acquireUnconditional("b", "k", Duration.ofMillis(300)));
        assertEquals(RouterException.Kind.QUORUM_FAILED, e.kind());
        guard.release(held);
    }
}

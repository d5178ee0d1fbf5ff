package org.mictlanx.router.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.quorum.Fanout;

/**
 * A router's own abandoned guard votes (left on the replicas with no round in progress and no lease:
 * a vote that answered after the call timeout, or whose free failed) do not make its next acquire of
 * the same key read as a concurrent writer, while another router still sees them held. This is what
 * made a client's CreateBucket retry answer 409 OperationAborted on a loaded machine.
 */
class KeyGuardOwnRoundTest {

    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private final List<FaultyPeer> peers = List.of(new FaultyPeer("p0"), new FaultyPeer("p1"), new FaultyPeer("p2"));

    @AfterEach
    void tearDown() {
        io.shutdownNow();
    }

    private KeyGuard guard(ReplicatedTable table, Fanout fanout) {
        return new KeyGuard(table, fanout, 60_000, 3);
    }

    @Test
    void ownAbandonedVotesAreTakenOverAnotherRoutersAreNot() {
        Map<String, FaultyPeer> byId = peers.stream().collect(Collectors.toMap(FaultyPeer::id, Function.identity()));
        PeerPool pool = new PeerPool(ClusterLayout.of(1, peers.stream().map(p -> PeerDescriptor.local(p.id())).toList()),
                d -> byId.get(d.id()), false);
        Fanout fanout = new Fanout(io, Duration.ofSeconds(2));
        ReplicatedTable table = new ReplicatedTable(pool, fanout, io, new HybridClock());
        KeyGuard routerA = guard(table, fanout);
        KeyGuard routerB = guard(table, fanout);

        KeyGuard.Lease lease = routerA.acquire(Partitions.BUCKETS, "b");
        // acquire returned once W = 2 of 3 voted: the third vote may still be on its way, and would take the
        // injected error itself (leaving no vote there to free): wait until every replica holds A's vote
        TestCluster.await("every replica voted", () -> peers.stream()
                .allMatch(p -> p.storedRecord(KeyGuard.partition(Partitions.BUCKETS), "b").isPresent()));
        for (FaultyPeer p : peers) p.inject(FaultyPeer.Op.PUT_RECORD_IF, FaultyPeer.Fault.ERROR, 1);
        routerA.release(lease); // every free fails: A's votes stay on the replicas, with no lease behind them
        TestCluster.await("the frees were tried", () -> peers.stream().allMatch(p -> p.calls(FaultyPeer.Op.PUT_RECORD_IF) >= 2));

        RouterException other = assertThrows(RouterException.class, () -> routerB.acquire(Partitions.BUCKETS, "b"));
        assertEquals(RouterException.Kind.CONFLICT, other.kind(), "another router waits for the votes to expire");

        KeyGuard.Lease again = routerA.acquire(Partitions.BUCKETS, "b");
        assertTrue(again.valid(1000), "the router's own retry takes its abandoned votes over at once");
        assertThrows(RouterException.class, () -> routerB.acquire(Partitions.BUCKETS, "b"), "and holds the guard alone");
        routerA.release(again);
        KeyGuard.Lease b = routerB.acquire(Partitions.BUCKETS, "b");
        routerB.release(b);
    }

    @Test
    void aLiveLeaseOfTheSameRouterIsNotTakenOver() {
        Map<String, FaultyPeer> byId = peers.stream().collect(Collectors.toMap(FaultyPeer::id, Function.identity()));
        PeerPool pool = new PeerPool(ClusterLayout.of(1, peers.stream().map(p -> PeerDescriptor.local(p.id())).toList()),
                d -> byId.get(d.id()), false);
        Fanout fanout = new Fanout(io, Duration.ofSeconds(2));
        ReplicatedTable table = new ReplicatedTable(pool, fanout, io, new HybridClock());
        KeyGuard router = guard(table, fanout);
        KeyGuard.Lease held = router.acquire(Partitions.BUCKETS, "b");
        RouterException e = assertThrows(RouterException.class, () -> router.acquire(Partitions.BUCKETS, "b"),
                "a second thread of the same router waits for the holder");
        assertEquals(RouterException.Kind.CONFLICT, e.kind());
        router.release(held);
        router.release(router.acquire(Partitions.BUCKETS, "b"));
    }
}

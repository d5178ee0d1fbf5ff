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

    /** Chunk ids every peer holds now (the union). */
    private java.util.Set<String> allChunks() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        cluster.peers.forEach(p -> out.addAll(p.chunkBytes().keySet()));
        return out;
    }

    /**
     * A multipart part acknowledged with a peer down leaves a stored hint naming the part: router B
     * restores the part's chunks from it before the upload completes (no ball refers to them yet),
     * and the completed ball reads back whole.
     */
    @Test
    void aPartAcknowledgedWithAPeerDownIsRestoredFromItsHint() throws Exception {
        cluster = new TestCluster(3);
        Router a = router();
        Router b = router();
        a.createBucket("b", "o", "r");
        String upload = a.createUpload("b", "mp", java.util.Map.of(), java.util.Map.of(), java.util.Set.of(), null);
        gone = cluster.peers.get(2);
        gone.down(true);
        java.util.Set<String> before = allChunks();
        byte[] part = random(3 * CHUNK, 7);
        a.putPart("b", "mp", upload, 1, new java.io.ByteArrayInputStream(part), part.length, java.util.Set.of(), null);
        java.util.Set<String> partChunks = allChunks();
        partChunks.removeAll(before);
        assertEquals(3, partChunks.size());
        assertTrue(partChunks.stream().allMatch(id -> cluster.replicas(id) == 2), "written while a peer was down");
        assertTrue(liveHints() >= 1, "the part's hint is stored before the part is acknowledged");
        a.close();
        gone.down(false);
        gone = null;
        TestCluster.await("router B restores the part's chunks", () -> partChunks.stream().allMatch(id -> cluster.replicas(id) == 3));
        TestCluster.await("the part's hint is settled and deleted", () -> liveHints() == 0);
        // the counters follow the hint's tombstone (written first): wait for them, do not race the sweep
        TestCluster.await("router B counts the hint swept and restored", () -> {
            RepairHints.Stats st = b.stats().hints();
            return st.swept() >= 1 && st.restored() >= 1;
        });
        assertEquals(0, b.stats().maintenance().repairPasses(), "no full pass ran: the hint did it");
        var ball = b.completeUpload("b", "mp", upload, List.of(org.mictlanx.router.CompletedPart.of(1)),
                org.mictlanx.router.WriteCondition.NONE);
        assertTrue(java.util.Arrays.equals(part, TestCluster.readAll(b, ball, 0, -1)));
    }

    /**
     * The periodic full pass covers multipart uploads too, without hints: a part acknowledged while a
     * peer was down, its writing router gone, is restored by router B's full pass (B runs no hint sweep:
     * background off), chunks and the part record on the returned peer; only what the peer lacked is written.
     */
    @Test
    void aPartWrittenWhileAPeerWasDownIsRestoredByAFullPass() throws Exception {
        cluster = new TestCluster(3);
        Router a = router();
        a.createBucket("b", "o", "r");
        for (int i = 0; i < 4; i++) put(a, "b", "whole" + i, random(CHUNK, i)); // records every replica holds already
        TestCluster.awaitChunkWrites(a); // the puts returned at W = 2 of 3: the third replicas land before the peer goes down
        String upload = a.createUpload("b", "mp", java.util.Map.of(), java.util.Map.of(), java.util.Set.of(), null);
        gone = cluster.peers.get(2);
        FaultyPeer returned = gone;
        gone.down(true);
        java.util.Set<String> before = allChunks();
        byte[] part = random(3 * CHUNK, 9);
        a.putPart("b", "mp", upload, 1, new java.io.ByteArrayInputStream(part), part.length, java.util.Set.of(), null);
        java.util.Set<String> partChunks = allChunks();
        partChunks.removeAll(before);
        assertEquals(3, partChunks.size());
        a.close(); // its queue dies with it
        gone.down(false);
        gone = null;
        String parts = org.mictlanx.router.meta.UploadRecord.partsPartition(upload);
        String partKey = org.mictlanx.router.meta.PartRecord.sortKey(1);
        assertTrue(partChunks.stream().allMatch(id -> cluster.replicas(id) == 2), "written while the peer was down");
        assertTrue(returned.getRecord(parts, partKey).isEmpty(), "the part record missed the peer too");
        RouterConfig c = RouterConfig.builder().chunkSize(CHUNK).callTimeout(Duration.ofSeconds(2)).inlineMaxBytes(0).build();
        Router b = Router.builder().peers(cluster.peers).masterKeys(cluster.keys).config(c).background(false).build();
        routers.add(b);
        long hints = liveHints();
        assertTrue(hints >= 1, "the part's hint is stored");
        b.repairNow(false);
        assertTrue(partChunks.stream().allMatch(id -> cluster.replicas(id) == 3), "the full pass restored the part's chunks");
        assertTrue(returned.getRecord(parts, partKey).isPresent(), "and the part record on the returned peer");
        var m = b.stats().maintenance();
        assertTrue(m.replicasRestored() >= 3, m.toString());
        assertTrue(m.metadataWritten() >= 1 && m.metadataWritten() < m.metadataChecked() / 2,
                "only what the returned peer lacked is written: " + m);
        assertEquals(hints, liveHints(), "no hint was settled: the pass did it");
        var ball = b.completeUpload("b", "mp", upload, List.of(org.mictlanx.router.CompletedPart.of(1)),
                org.mictlanx.router.WriteCondition.NONE);
        assertTrue(java.util.Arrays.equals(part, TestCluster.readAll(b, ball, 0, -1)));
    }

    /**
     * Hints are settled one by one as soon as the peers each needs are up: with four peers and three
     * replicas, the hints of chunks placed away from a peer that is down now are settled while it
     * stays down; those that need it wait (counted deferred) and are settled once it is back.
     */
    @Test
    void aHintIsSettledWhileAPeerItDoesNotNeedIsDown() {
        cluster = new TestCluster(4);
        Router a = router();
        Router b = router();
        a.createBucket("b", "o", "r");
        FaultyPeer first = cluster.peers.get(0), second = cluster.peers.get(1);
        first.down(true);
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            put(a, "b", "k" + i, random(CHUNK, i)); // one chunk each: its placement is 3 of the 4 peers
            chunks.add(((BallRecord) a.headBall("b", "k" + i).orElseThrow().layout()).chunkId(0));
        }
        // a chunk placed away from the down peer was acknowledged at W = 2 of its 3 live replicas: let the
        // third land, or it would be counted owed (and expected deferred) without any hint
        TestCluster.awaitChunkWrites(a);
        // under-replicated: placed on the down peer; of those, the ones the second peer does not hold avoid it
        List<String> owed = chunks.stream().filter(id -> cluster.replicas(id) == 2).toList();
        List<String> away = owed.stream().filter(id -> !second.hasChunk(id)).toList();
        List<String> near = owed.stream().filter(second::hasChunk).toList();
        assertTrue(!away.isEmpty() && !near.isEmpty(), "both kinds of hints: " + away + " / " + near);
        a.close();
        first.down(false);
        second.down(true); // now another peer is down: the sweep must not wait for every peer
        TestCluster.await("hints that do not need the down peer are settled", () -> away.stream().allMatch(id -> cluster.replicas(id) == 3));
        TestCluster.await("the others are deferred", () -> b.stats().hints().deferred() >= near.size());
        second.down(false);
        TestCluster.await("the rest once it is back", () -> owed.stream().allMatch(id -> cluster.replicas(id) == 3));
        TestCluster.await("every hint deleted", () -> liveHints() == 0);
        TestCluster.await("no hint pending at the last sweep", () -> b.stats().hints().pending() == 0);
        RepairHints.Stats st = b.stats().hints();
        assertTrue(st.swept() >= 1 && st.restored() >= 1 && st.sweeps() >= 2, st.toString());
    }

    @Test
    void hintsRoundTripTheirBallName() {
        RepairHints.Named n = RepairHints.decode(RepairHints.encode("bucket", "a/ké y\u0000"));
        assertEquals("bucket", n.bucket());
        assertEquals("a/ké y\u0000", n.key());
        assertEquals(null, n.part());
        RepairHints.Named p = RepairHints.decode(RepairHints.encode("b", "k", new org.mictlanx.router.io.PartRef("0123abcd", 42)));
        assertEquals(new org.mictlanx.router.io.PartRef("0123abcd", 42), p.part());
        assertEquals("k", p.key());
        assertTrue(MetaRecord.class.isRecord());
    }
}

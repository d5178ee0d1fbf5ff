package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.CHUNK;
import static org.mictlanx.router.fake.TestCluster.await;
import static org.mictlanx.router.fake.TestCluster.get;
import static org.mictlanx.router.fake.TestCluster.put;
import static org.mictlanx.router.fake.TestCluster.random;
import static org.mictlanx.router.fake.TestCluster.readAll;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestClock;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.router.meta.Segment;

/**
 * Chunks of an overwritten or deleted ball outlive readers in flight: only GC frees them, a grace
 * period after the release, also when the releasing router is gone; and never while a committed
 * ball (a copy) or an open upload still refers to them.
 */
class RouterReleaseTest {

    private static final Duration GRACE = Duration.ofHours(1);

    private final TestClock clock = new TestClock();
    private TestCluster cluster;
    private Router reader;
    private Router writer;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3);
        reader = router();
        writer = router();
        reader.createBucket("b", "o", "r");
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private Router router() {
        return cluster.router(TestCluster.config(Duration.ofSeconds(2), GRACE), clock);
    }

    @Test
    void readerInFlightSurvivesOverwriteAndGcFreesOldChunksAfterGrace() throws Exception {
        byte[] v2 = random(CHUNK / 2, 2);
        readerSurvives(w -> put(w, "b", "k", v2));
        assertArrayEquals(v2, get(reader, "b", "k"));
        cluster.awaitChunkWrites(); // v2's put returned at W = 2 of 3: let its third replica land before counting
        assertEquals(3, cluster.totalChunks());
    }

    @Test
    void readerInFlightSurvivesDeleteAndGcFreesChunksAfterGrace() throws Exception {
        readerSurvives(w -> assertTrue(w.deleteBall("b", "k")));
        assertTrue(reader.headBall("b", "k").isEmpty());
        assertEquals(0, cluster.totalChunks());
    }

    /** A reader streams v1 of "b/k" while {@code change} overwrites or deletes it through another router. */
    private void readerSurvives(Consumer<Router> change) throws Exception {
        byte[] v1 = random(6 * CHUNK, 1);
        put(reader, "b", "k", v1);
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: let the third replicas land before counting
        BallInfo old = reader.headBall("b", "k").orElseThrow();
        BallRecord oldBall = (BallRecord) old.layout();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = reader.openBall(old, 0, -1)) {
            got.write(in.readNBytes(CHUNK)); // the first chunks fetched, the last ones not yet
            change.accept(writer);
            awaitReleaseRecorded(oldBall, oldBall);
            reader.gcNow();
            writer.gcNow();
            assertEquals(6 * 3, replicas(oldBall), "inside the grace period nothing of the old ball is freed");
            got.write(in.readAllBytes());
        }
        assertArrayEquals(v1, got.toByteArray());
        clock.advance(GRACE.minusMinutes(1));
        writer.gcNow();
        assertEquals(6 * 3, replicas(oldBall), "the grace counts from the release");
        clock.advance(Duration.ofMinutes(2));
        reader.gcNow();
        assertEquals(0, replicas(oldBall), "after the grace period GC frees the old chunks");
    }

    @Test
    void afterRestartGcDatesAnUnrecordedReleaseByTheOverwrite() {
        byte[] v2 = random(CHUNK, 4);
        put(writer, "b", "k", random(3 * CHUNK, 3));
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: let the third replicas land before counting
        BallRecord oldBall = record(writer, "b", "k");
        Segment seg = oldBall.segments().get(0);
        String partition = Partitions.ref(seg.id());
        String sortKey = seg.id() + "/b/" + oldBall.ballId();
        // the reference was written at W = 2 of 3 too: p0's copy may still be on its way
        await("p0 holds the reference", () -> cluster.peers.get(0).storedRecord(partition, sortKey).isPresent());
        MetaRecord live = cluster.peers.get(0).storedRecord(partition, sortKey).orElseThrow();
        clock.advance(GRACE.multipliedBy(2)); // the old ball and its reference are older than the grace
        put(writer, "b", "k", v2);
        // every replica must hold the release before the simulated crash takes it back: a straggling
        // tombstone landing after the rewind below would undo it on one replica
        await("release recorded on every replica", () -> cluster.peers.stream()
                .allMatch(p -> p.storedRecord(partition, sortKey).map(MetaRecord::tombstone).orElse(false)));
        cluster.awaitChunkWrites();
        writer.close();
        // as if the router had stopped before recording the release: the old reference is still live
        for (FaultyPeer p : cluster.peers) {
            p.removeRecord(partition, sortKey);
            p.putRecord(live);
        }
        Router restarted = router();
        restarted.gcNow();
        assertEquals(3 * 3, replicas(oldBall), "grace counts from the overwrite, not from the old ball's creation");
        clock.advance(GRACE.plusMinutes(1));
        restarted.gcNow();
        assertEquals(0, replicas(oldBall));
        assertArrayEquals(v2, get(restarted, "b", "k"));
        assertEquals(3, cluster.totalChunks());
    }

    @Test
    void copyStaysReadableWhileAndAfterItsSourceIsDeleted() throws Exception {
        byte[] data = random(5 * CHUNK + 7, 5);
        put(writer, "b", "src", data);
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: let the third replicas land before counting
        BallRecord src = record(writer, "b", "src");
        BallInfo copy = writer.copyBall(writer.headBall("b", "src").orElseThrow(), "b", "dst", Map.of(), Map.of(),
                WriteCondition.NONE);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = reader.openBall(reader.headBall("b", "dst").orElseThrow(), 0, -1)) {
            got.write(in.readNBytes(CHUNK));
            assertTrue(writer.deleteBall("b", "src"));
            awaitReleaseRecorded(src, src);
            clock.advance(GRACE.plusMinutes(1));
            reader.gcNow();
            writer.gcNow();
            got.write(in.readAllBytes());
        }
        assertArrayEquals(data, got.toByteArray());
        assertEquals(6 * 3, replicas(src), "the copy still refers to every chunk");
        clock.advance(GRACE.multipliedBy(3));
        Router restarted = router();
        restarted.gcNow();
        assertEquals(6 * 3, replicas(src));
        assertArrayEquals(data, readAll(restarted, copy, 0, -1));
        // deleting the copy too finally frees the shared segment, a grace period later
        assertTrue(restarted.deleteBall("b", "dst"));
        awaitReleaseRecorded(src, record(copy));
        restarted.gcNow();
        assertEquals(6 * 3, replicas(src));
        clock.advance(GRACE.plusMinutes(1));
        restarted.gcNow();
        assertEquals(0, cluster.totalChunks());
    }

    @Test
    void openUploadKeepsACopiedPartsChunksAfterItsSourceIsDeleted() {
        byte[] data = random(2 * CHUNK + 3, 6);
        put(writer, "b", "src", data);
        cluster.awaitChunkWrites(); // the put returned at W = 2 of 3: let the third replicas land before counting
        BallRecord src = record(writer, "b", "src");
        String id = writer.createUpload("b", "mp", Map.of(), Map.of(), Set.of(), null);
        writer.copyPart("b", "mp", id, 1, writer.headBall("b", "src").orElseThrow(), 0, -1);
        assertTrue(reader.deleteBall("b", "src"));
        awaitReleaseRecorded(src, src);
        clock.advance(GRACE.plusMinutes(1));
        reader.gcNow();
        assertEquals(3 * 3, replicas(src), "the open upload's part still refers to the chunks");
        BallInfo done = reader.completeUpload("b", "mp", id, List.of(CompletedPart.of(1)), WriteCondition.NONE);
        clock.advance(GRACE.plusMinutes(1));
        reader.gcNow();
        assertArrayEquals(data, readAll(writer, done, 0, -1));
    }

    /** Waits until a write quorum holds the tombstone of {@code referrer}'s reference to {@code owner}'s first segment. */
    private void awaitReleaseRecorded(BallRecord owner, BallRecord referrer) {
        Segment seg = owner.segments().get(0);
        String partition = Partitions.ref(seg.id());
        String sortKey = seg.id() + "/b/" + referrer.ballId();
        await("release of " + referrer.ballId() + " recorded", () -> cluster.peers.stream()
                .filter(p -> p.storedRecord(partition, sortKey).map(MetaRecord::tombstone).orElse(false)).count() >= 2);
    }

    private static BallRecord record(Router r, String bucket, String key) {
        return record(r.headBall(bucket, key).orElseThrow());
    }

    private static BallRecord record(BallInfo info) {
        return (BallRecord) info.layout();
    }

    private int replicas(BallRecord ball) {
        int n = 0;
        for (Segment s : ball.segments()) {
            for (long i = 0; i < s.chunkCount(); i++) n += cluster.replicas(s.chunkId(i));
        }
        return n;
    }
}

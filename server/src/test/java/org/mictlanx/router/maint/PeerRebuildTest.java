package org.mictlanx.router.maint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.api.ChunkBytes;
import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.ChunkPage;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.peer.api.PeerHealth;
import org.mictlanx.peer.api.PeerStats;
import org.mictlanx.peer.api.ScrubReport;
import org.mictlanx.peer.api.StoreRebuildStatus;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.BallRecord;

/**
 * Online peer rebuild with real RocksDB peers: a peer whose records table file is damaged reports a
 * damaged store; the router's probe starts the rebuild by itself (the peer rebuilds its store, then
 * everything it should hold is re-replicated onto it), and an operator's rebuild of a healthy peer
 * that lost chunks re-creates them, with progress in the router's stats.
 */
class PeerRebuildTest {

    private static final int CHUNK = TestCluster.CHUNK;

    @TempDir
    Path dir;

    private final List<LocalPeer> open = new ArrayList<>();
    private Router router;

    @AfterEach
    void tearDown() {
        if (router != null) router.close();
        open.forEach(LocalPeer::close);
    }

    private LocalPeer peer(String id) {
        LocalPeer p = LocalPeer.open(PeerConfig.builder(id).dataDir(dir.resolve(id)).diskReserveBytes(0).scrubBytesPerSecond(0).build());
        open.add(p);
        return p;
    }

    private Router router(List<? extends PeerApi> peers) {
        RouterConfig d = RouterConfig.defaults();
        RouterConfig c = new RouterConfig(CHUNK, 0, 0, 0, 3, 2, Duration.ofSeconds(3), Duration.ofMillis(200),
                Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1), d.repairBytesPerSecond()).withInlineMax(0);
        return Router.builder().peers(peers).masterKeys(MasterKeys.random("k1")).config(c).background(true).build();
    }

    private List<String> putBalls(int count) {
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TestCluster.put(router, "b", "rebuild-key-" + i, TestCluster.random(3 * CHUNK, i));
            BallRecord ball = (BallRecord) router.headBall("b", "rebuild-key-" + i).orElseThrow().layout();
            for (long c = 0; c < ball.chunkCount(); c++) chunks.add(ball.chunkId(c));
        }
        // each put returned at W = 2 of 3: let the third replicas land before a test takes copies away
        TestCluster.awaitChunkWrites(router);
        return chunks;
    }

    private static void awaitDone(Router r) {
        TestCluster.await("the rebuild ends", () -> r.stats().rebuild() != null && !r.stats().rebuild().running()
                && r.stats().rebuild().finishedMillis() > 0);
    }

    @Test
    void aPeerReportingADamagedStoreIsRebuiltAndRefilledWithoutAnAdminCommand() throws Exception {
        LocalPeer p0 = peer("p0"), p1 = peer("p1");
        Swappable p2 = new Swappable(peer("p2"));
        router = router(List.of(p0, p1, p2));
        router.createBucket("b", "o", "r");
        List<String> chunks = putBalls(6);
        LocalPeer old = (LocalPeer) p2.delegate;
        org.mictlanx.peer.store.StoreTestHooks.flush(org.mictlanx.peer.PeerTestHooks.database(old));
        old.close();
        damageRecordsTable(dir.resolve("p2"), "rebuild-key-");
        LocalPeer reopened = peer("p2");
        assertTrue(reopened.health().storeDamaged(), reopened.health().detail());
        p2.delegate = reopened;

        awaitDone(router);
        PeerRebuild.Status s = router.stats().rebuild();
        assertEquals("done", s.state(), s.toString());
        assertEquals("p2", s.peer());
        assertNotNull(s.storeRebuild(), "the peer rebuilt its store first");
        assertTrue(s.segmentsChecked() >= 6, s.toString());
        assertTrue(s.recordsWritten() > 0 && s.recordsWritten() <= s.recordsChecked(), "the rebuilt store lacked records: " + s);
        assertTrue(p2.health().ready(), p2.health().detail());
        assertTrue(!p2.health().storeDamaged());
        for (String id : chunks) {
            assertTrue(p0.headChunk(id).isPresent() && p1.headChunk(id).isPresent() && p2.headChunk(id).isPresent(), id);
        }
        TestCluster.await("the rebuilt peer holds every ball record again (metadata sync's read repair)",
                () -> java.util.stream.IntStream.range(0, 6).allMatch(i -> p2.getRecord("b", "rebuild-key-" + i).isPresent()));
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(TestCluster.random(3 * CHUNK, i), TestCluster.get(router, "b", "rebuild-key-" + i));
        }
    }

    @Test
    void anOperatorsRebuildRestoresWhatAHealthyPeerLost() {
        LocalPeer p0 = peer("p0"), p1 = peer("p1"), p2 = peer("p2");
        router = router(List.of(p0, p1, p2));
        router.createBucket("b", "o", "r");
        List<String> chunks = putBalls(4);
        List<String> lost = chunks.subList(0, 5);
        for (String id : lost) assertTrue(p1.deleteChunk(id));
        PeerRebuild.Status started = router.rebuildPeer("p1");
        assertEquals("p1", started.peer());
        awaitDone(router);
        PeerRebuild.Status s = router.stats().rebuild();
        assertEquals("done", s.state(), s.toString());
        assertEquals(null, s.storeRebuild(), "a healthy store is not rebuilt, only refilled");
        assertEquals(lost.size(), s.chunksRestored(), s.toString());
        assertEquals(0, s.failed(), s.toString());
        assertTrue(s.recordsChecked() > 0, s.toString());
        assertTrue(s.recordsWritten() * 10 <= s.recordsChecked(), "records are compared first; a healthy peer lacks none: " + s);
        for (String id : chunks) assertTrue(p1.headChunk(id).isPresent(), id);
    }

    /** Flips bytes in the first data block of the records table file (the one holding {@code marker}). */
    private static void damageRecordsTable(Path data, String marker) throws IOException {
        Path table = null;
        try (Stream<Path> s = Files.list(data)) {
            for (Path sst : s.filter(p -> p.toString().endsWith(".sst")).toList()) {
                if (new String(Files.readAllBytes(sst), java.nio.charset.StandardCharsets.ISO_8859_1).contains(marker)) table = sst;
            }
        }
        assertNotNull(table, "the records table file");
        try (FileChannel ch = FileChannel.open(table, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32);
            ch.read(b, 64);
            for (int i = 0; i < 32; i++) b.put(i, (byte) (b.get(i) ^ 0x5a));
            b.rewind();
            ch.write(b, 64);
        }
    }

    /** A peer whose process is restarted under the same id (the router keeps one client per peer). */
    private static final class Swappable implements PeerApi {
        volatile PeerApi delegate;

        Swappable(PeerApi delegate) {
            this.delegate = delegate;
        }

        @Override
        public String id() {
            return delegate.id();
        }

        @Override
        public void putChunk(String id, InputStream body, long length, int crc32c) {
            delegate.putChunk(id, body, length, crc32c);
        }

        @Override
        public byte[] getChunk(String id, long offset, long length) {
            return delegate.getChunk(id, offset, length);
        }

        @Override
        public ChunkBytes getChunkBytes(String id) {
            return delegate.getChunkBytes(id);
        }

        @Override
        public Optional<ChunkInfo> headChunk(String id) {
            return delegate.headChunk(id);
        }

        @Override
        public boolean deleteChunk(String id) {
            return delegate.deleteChunk(id);
        }

        @Override
        public ChunkPage listChunks(String after, int limit) {
            return delegate.listChunks(after, limit);
        }

        @Override
        public boolean putRecord(MetaRecord record) {
            return delegate.putRecord(record);
        }

        @Override
        public boolean putRecordIf(MetaRecord record, long expectedVersion) {
            return delegate.putRecordIf(record, expectedVersion);
        }

        @Override
        public void putRecords(List<MetaRecord> records) {
            delegate.putRecords(records);
        }

        @Override
        public Optional<MetaRecord> getRecord(String partition, String sortKey) {
            return delegate.getRecord(partition, sortKey);
        }

        @Override
        public List<MetaRecord> scanRecords(String partition, String prefix, String startAfter, int limit) {
            return delegate.scanRecords(partition, prefix, startAfter, limit);
        }

        @Override
        public PeerHealth health() {
            return delegate.health();
        }

        @Override
        public PeerStats stats() {
            return delegate.stats();
        }

        @Override
        public ScrubReport scrub() {
            return delegate.scrub();
        }

        @Override
        public StoreRebuildStatus rebuildStore(boolean force) {
            return delegate.rebuildStore(force);
        }

        @Override
        public StoreRebuildStatus rebuildStatus() {
            return delegate.rebuildStatus();
        }

        @Override
        public void close() {
        }
    }
}

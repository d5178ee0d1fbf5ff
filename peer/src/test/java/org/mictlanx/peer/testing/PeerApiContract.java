package org.mictlanx.peer.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;
import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.PeerTestHooks;
import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.store.ChunkCodec;
import org.mictlanx.peer.store.MemoryChunkStore;
import org.mictlanx.peer.store.StoreTestHooks;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The contract of {@link PeerApi}, run against every implementation (in-process, over HTTP, and the
 * router tests' fault-injecting fake). Subclasses start a peer for a config (its id, max chunk size
 * and disk reserve) and expose its API and its underlying {@link LocalPeer} (for fault injection; a
 * peer without one overrides {@link #corrupt}). Reused by other modules through the peer test-jar.
 */
public abstract class PeerApiContract {
    /** A started peer: its API under test, the LocalPeer behind it (null for a fake), and how to stop both. */
    public record Started(PeerApi api, LocalPeer local, AutoCloseable stopper) {
    }

    @TempDir
    protected Path dir;
    private final List<AutoCloseable> started = new ArrayList<>();

    protected abstract Started start(PeerConfig config);

    protected final Started startPeer(PeerConfig config) {
        Started s = start(config);
        started.add(s.stopper());
        return s;
    }

    /** A RocksDB peer with 1 MiB max chunks and no disk reserve. */
    protected final PeerApi peer() {
        return startPeer(PeerConfig.builder("p1").dataDir(dir.resolve("p1")).maxChunkBytes(1 << 20).diskReserveBytes(0).build()).api();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : started) c.close();
    }

    protected static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static int crc(byte[] b) {
        return ChunkCodec.crc32c(b, 0, b.length);
    }

    protected static PeerException.Kind kindOf(Executable e) {
        return assertThrows(PeerException.class, e).kind();
    }

    @Test
    void chunkRoundTripHeadRangeAndDelete() {
        PeerApi p = peer();
        for (int n : new int[]{0, 4096, (1 << 20)}) {
            byte[] data = bytes(n, n);
            p.putChunk("c" + n, data, crc(data));
            assertArrayEquals(data, p.getChunk("c" + n, 0, -1));
            assertEquals(Optional.of(new ChunkInfo("c" + n, n, crc(data))), p.headChunk("c" + n));
        }
        byte[] data = bytes(4096, 4096);
        assertArrayEquals(Arrays.copyOfRange(data, 100, 200), p.getChunk("c4096", 100, 100));
        assertArrayEquals(Arrays.copyOfRange(data, 4000, 4096), p.getChunk("c4096", 4000, -1));
        assertArrayEquals(Arrays.copyOfRange(data, 4000, 4096), p.getChunk("c4096", 4000, 1000), "clipped to the end");
        assertArrayEquals(new byte[0], p.getChunk("c4096", 4096, -1));
        assertEquals(PeerException.Kind.BAD_REQUEST, kindOf(() -> p.getChunk("c4096", 4097, -1)));
        p.putChunk("c4096", data, crc(data));
        assertTrue(p.deleteChunk("c4096"));
        assertFalse(p.deleteChunk("c4096"));
        assertEquals(Optional.empty(), p.headChunk("c4096"));
        assertEquals(PeerException.Kind.NOT_FOUND, kindOf(() -> p.getChunk("c4096", 0, -1)));
    }

    @Test
    void badChunksAreRejectedAndStoreNothing() {
        PeerApi p = peer();
        byte[] data = bytes(5000, 1);
        assertEquals(PeerException.Kind.CHECKSUM_MISMATCH, kindOf(() -> p.putChunk("x", data, crc(data) ^ 1)));
        byte[] big = bytes((1 << 20) + 1, 2);
        assertEquals(PeerException.Kind.TOO_LARGE, kindOf(() -> p.putChunk("x", big, crc(big))));
        assertEquals(PeerException.Kind.BAD_REQUEST,
                kindOf(() -> p.putChunk("x", new ByteArrayInputStream(data), data.length + 10, crc(data))));
        for (String bad : List.of("", ".hidden", "a/b", "..", "a b", "é", "x".repeat(201))) {
            assertEquals(PeerException.Kind.BAD_REQUEST, kindOf(() -> p.putChunk(bad, data, crc(data))), bad);
            assertEquals(PeerException.Kind.BAD_REQUEST, kindOf(() -> p.getChunk(bad, 0, -1)), bad);
        }
        assertEquals(Optional.empty(), p.headChunk("x"));
        assertEquals(0, p.stats().chunks());
    }

    /** Verification reads and checks each chunk: a damaged copy and an absent one come back, nothing else. */
    @Test
    void verifyChunksNamesTheAbsentAndTheDamaged() {
        Started st = startPeer(PeerConfig.builder("v1").dataDir(dir.resolve("v1")).diskReserveBytes(0).build());
        PeerApi p = st.api();
        for (String id : List.of("v.0", "v.1", "v.2")) {
            byte[] data = bytes(100_000, id.hashCode());
            p.putChunk(id, data, crc(data));
        }
        corrupt(st, "v.1");
        assertEquals(List.of("v.1", "v.9"), p.verifyChunks(List.of("v.0", "v.1", "v.2", "v.9")));
        assertEquals(List.of(), p.verifyChunks(List.of()));
        List<String> tooMany = java.util.stream.IntStream.range(0, PeerApi.MAX_VERIFY + 1).mapToObj(i -> "v." + i).toList();
        assertEquals(PeerException.Kind.BAD_REQUEST, kindOf(() -> p.verifyChunks(tooMany)));
    }

    @Test
    void listingIsOrderedAndPaged() {
        PeerApi p = peer();
        for (String id : List.of("b", "a", "c", "d", "e")) p.putChunk(id, new byte[]{7}, crc(new byte[]{7}));
        var page = p.listChunks(null, 2);
        assertEquals(List.of("a", "b"), page.ids());
        page = p.listChunks(page.nextAfter(), 2);
        assertEquals(List.of("c", "d"), page.ids());
        page = p.listChunks(page.nextAfter(), 2);
        assertEquals(List.of("e"), page.ids());
        assertNull(page.nextAfter());
        assertEquals(PeerException.Kind.BAD_REQUEST, kindOf(() -> p.listChunks(null, 0)));
    }

    @Test
    void recordsFollowLastWriterWinsWithAnyUnicodeKeys() {
        PeerApi p = peer();
        String part = "bucket\u0000/ñ\uD83D\uDE00";
        List<String> keys = List.of("\u0000", "a", "a\u0000", "a/b", "ab", "\u00e9", "\uD83D\uDE00");
        p.putRecords(keys.stream().map(k -> new MetaRecord(part, k, 10, false, k.getBytes(StandardCharsets.UTF_8))).toList());
        assertFalse(p.putRecord(new MetaRecord(part, "a", 9, false, new byte[]{1})));
        assertTrue(p.putRecord(MetaRecord.tombstone(part, "ab", 11)));
        assertEquals(MetaRecord.tombstone(part, "ab", 11), p.getRecord(part, "ab").orElseThrow());
        assertEquals(Optional.empty(), p.getRecord(part, "zz"));
        assertEquals(keys, p.scanRecords(part, null, null, 100).stream().map(MetaRecord::sortKey).toList());
        assertEquals(List.of("a\u0000", "a/b"), p.scanRecords(part, "a", "a", 2).stream().map(MetaRecord::sortKey).toList());
        assertArrayEquals("a/b".getBytes(StandardCharsets.UTF_8), p.getRecord(part, "a/b").orElseThrow().value());
        assertEquals(List.of(), p.scanRecords("other", null, null, 10));
    }

    @Test
    void putRecordIfIsACompareAndSetOnTheStoredVersion() {
        PeerApi p = peer();
        String part = "cas\u0000ñ";
        MetaRecord first = new MetaRecord(part, "k", 10, false, new byte[]{1});
        assertFalse(p.putRecordIf(first, 5), "nothing stored yet: only ABSENT matches");
        assertTrue(p.putRecordIf(first, PeerApi.ABSENT));
        assertFalse(p.putRecordIf(new MetaRecord(part, "k", 11, false, new byte[]{2}), PeerApi.ABSENT));
        assertFalse(p.putRecordIf(new MetaRecord(part, "k", 11, false, new byte[]{2}), 9));
        assertEquals(first, p.getRecord(part, "k").orElseThrow());
        // not last-writer-wins: an older version replaces the expected one
        MetaRecord older = new MetaRecord(part, "k", 3, false, new byte[]{3});
        assertTrue(p.putRecordIf(older, 10));
        assertEquals(older, p.getRecord(part, "k").orElseThrow());
        MetaRecord tomb = MetaRecord.tombstone(part, "k", 12);
        assertTrue(p.putRecordIf(tomb, 3));
        assertFalse(p.putRecordIf(first, PeerApi.ABSENT), "a tombstone is a stored record");
        assertTrue(p.putRecordIf(first, 12));
        assertEquals(first, p.getRecord(part, "k").orElseThrow());
        // LWW puts and CAS interleave per key: after a newer LWW put the old expectation fails
        assertTrue(p.putRecord(new MetaRecord(part, "k", 20, false, new byte[]{4})));
        assertFalse(p.putRecordIf(older, 10));
    }

    @Test
    void corruptChunkIsNeverServedAndScrubReportsIt() {
        Started s = startPeer(PeerConfig.builder("p1").dataDir(dir.resolve("c")).diskReserveBytes(0).build());
        byte[] a = bytes(1000, 1), b = bytes(100_000, 2);
        s.api().putChunk("good", a, crc(a));
        s.api().putChunk("bad", b, crc(b));
        corrupt(s, "bad");
        assertEquals(PeerException.Kind.CORRUPT, kindOf(() -> s.api().getChunk("bad", 0, -1)));
        assertEquals(PeerException.Kind.CORRUPT, kindOf(() -> s.api().getChunk("bad", 10, 10)));
        assertArrayEquals(a, s.api().getChunk("good", 0, -1));
        var report = s.api().scrub();
        assertEquals(2, report.checked());
        assertEquals(List.of("bad"), report.corruptIds());
    }

    /** Damages the stored chunk {@code id} of {@code s} so that its checksum no longer matches. */
    protected void corrupt(Started s, String id) {
        damage(s.local(), id);
    }

    /** Flips a stored byte of the chunk behind its checksum's back. */
    protected static void damage(LocalPeer local, String id) {
        if (PeerTestHooks.database(local) == null) {
            StoreTestHooks.damage((MemoryChunkStore) PeerTestHooks.chunkStore(local), id);
            return;
        }
        byte[] raw = StoreTestHooks.getRaw(PeerTestHooks.database(local), id);
        raw[raw.length - 1] ^= 0x40;
        StoreTestHooks.putRaw(PeerTestHooks.database(local), id, raw);
    }

    @Test
    void diskBelowReserveGivesDiskFullAndChangesNothing() {
        Started s = startPeer(PeerConfig.builder("full").dataDir(dir.resolve("full")).diskReserveBytes(Long.MAX_VALUE / 2).build());
        byte[] data = bytes(4096, 3);
        assertEquals(PeerException.Kind.DISK_FULL, kindOf(() -> s.api().putChunk("x", data, crc(data))));
        assertEquals(PeerException.Kind.DISK_FULL, kindOf(() -> s.api().putRecord(new MetaRecord("p", "k", 1, false, data))));
        assertEquals(Optional.empty(), s.api().headChunk("x"));
        assertEquals(Optional.empty(), s.api().getRecord("p", "k"));
        assertFalse(s.api().health().ready());
    }

    @Test
    void healthAndStatsReportTheStore() {
        PeerApi p = peer();
        byte[] data = bytes(777, 4);
        p.putChunk("s1", data, crc(data));
        p.putRecord(new MetaRecord("p", "k", 1, false, data));
        assertTrue(p.health().live());
        assertTrue(p.health().ready());
        var stats = p.stats();
        assertEquals("p1", stats.peerId());
        assertEquals(1, stats.chunks());
        assertEquals(777, stats.chunkBytes());
        assertEquals(1, stats.records());
        assertTrue(stats.freeDiskBytes() > 0);
        assertTrue(stats.requestCounts().getOrDefault("putChunk", 0L) >= 1);
        // the store's native memory (through JSON for a remote peer): a RocksDB store's memtables hold the record
        var memory = stats.memory();
        assertTrue(memory.blockCacheCapacity() == 0 || (memory.memtables() > 0 && memory.blockCache() <= memory.blockCacheCapacity()),
                memory.toString());
    }
}

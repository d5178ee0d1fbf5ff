package org.mictlanx.peer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.api.PeerHealth;
import org.mictlanx.peer.store.ChunkCodec;
import org.mictlanx.peer.store.StoreTestHooks;
import org.mictlanx.peer.testing.HttpPeerFixture;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Real RocksDB files damaged on disk (bit rot in blob and table files), and a full disk: the scrub
 * walks every chunk and reports each damaged one, a scan never answers "nothing" when it could not
 * read, and the peer says it is not ready (HTTP 503) instead of serving quietly.
 */
class DamagedStoreTest {
    private static final int CHUNK = 100 * 1024; // above the 64 KiB blob threshold: values live in blob files

    @TempDir
    Path dir;

    private static int crc(byte[] b) {
        return ChunkCodec.crc32c(b, 0, b.length);
    }

    private static byte[] chunk(int i) {
        byte[] b = new byte[CHUNK];
        new Random(i).nextBytes(b);
        return b;
    }

    private static PeerConfig config(Path data, long scrubRate) {
        return PeerConfig.builder("d1").dataDir(data).diskReserveBytes(0).scrubBytesPerSecond(scrubRate).build();
    }

    /** Flips one byte in the middle of the stored copy of {@code payload} inside {@code file}; returns whether found. */
    private static boolean flipInside(Path file, byte[] payload) throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] marker = java.util.Arrays.copyOfRange(payload, CHUNK / 2, CHUNK / 2 + 32);
        outer:
        for (int i = 0; i + marker.length <= all.length; i++) {
            for (int j = 0; j < marker.length; j++) if (all[i + j] != marker[j]) continue outer;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (all[i] ^ 0x10)}), i);
            }
            return true;
        }
        return false;
    }

    private static List<Path> files(Path data, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(data)) {
            return s.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void scrubWalksPastBitRotInBlobFilesAndReportsEveryDamagedChunk() throws Exception {
        Path data = dir.resolve("blobs");
        int total = 40;
        List<String> damaged = new ArrayList<>();
        try (LocalPeer p = LocalPeer.open(config(data, 0))) {
            for (int i = 0; i < total; i++) {
                byte[] c = chunk(i);
                p.putChunk(String.format("c%03d", i), c, crc(c));
            }
            StoreTestHooks.flush(PeerTestHooks.database(p));
        }
        List<Path> blobs = files(data, ".blob");
        assertFalse(blobs.isEmpty());
        for (int i = 3; i < total; i += 7) {
            boolean found = false;
            for (Path b : blobs) found |= flipInside(b, chunk(i));
            assertTrue(found, "chunk " + i + " located in a blob file");
            damaged.add(String.format("c%03d", i));
        }
        try (LocalPeer p = LocalPeer.open(config(data, 0))) {
            var report = p.scrub();
            assertEquals(total, report.checked(), "every chunk checked, past the damaged ones");
            assertEquals(damaged, report.corruptIds());
            for (String id : damaged) assertEquals(PeerException.Kind.CORRUPT, assertThrows(PeerException.class, () -> p.getChunk(id, 0, -1)).kind());
            assertArrayEquals(chunk(0), p.getChunk("c000", 0, -1));
        }
    }

    @Test
    void backgroundScrubFindsAndDeletesDamagedChunksAndReportsProgress() throws Exception {
        Path data = dir.resolve("bg");
        try (LocalPeer p = LocalPeer.open(config(data, 1L << 30))) {
            for (int i = 0; i < 20; i++) {
                byte[] c = chunk(i);
                p.putChunk(String.format("c%03d", i), c, crc(c));
            }
            for (String id : List.of("c004", "c011", "c019")) {
                byte[] raw = StoreTestHooks.getRaw(PeerTestHooks.database(p), id);
                raw[raw.length - 10] ^= 0x01;
                StoreTestHooks.putRaw(PeerTestHooks.database(p), id, raw);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // the scrubber counts a damaged chunk, then deletes it: wait for the deletes too, not only the count
            // (a pass that ended before the damage already counts as one)
            while (p.stats().scrub().passes() < 1 || p.stats().scrub().damagedFound() < 3
                    || List.of("c004", "c011", "c019").stream().anyMatch(id -> p.headChunk(id).isPresent())) {
                assertTrue(System.nanoTime() < deadline, "background scrub finishes a pass: " + p.stats().scrub());
                Thread.onSpinWait();
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            }
            var progress = p.stats().scrub();
            assertEquals(3, progress.damagedFound());
            assertTrue(progress.chunksChecked() >= 20);
            assertEquals(List.of("c004", "c011", "c019"), progress.recentFindings());
            for (String id : List.of("c004", "c011", "c019")) assertTrue(p.headChunk(id).isEmpty(), id + " deleted for repair");
            assertEquals(17, p.stats().chunks());
            PeerHealth h = p.health();
            assertTrue(h.ready(), "damaged chunks are the chunks' problem, not the store's");
            assertEquals(3, h.scrubDamaged());
        }
    }

    @Test
    void damagedTableFileMakesScansFailAndThePeerNotReady() throws Exception {
        Path data = dir.resolve("sst");
        try (LocalPeer p = LocalPeer.open(config(data, 0))) {
            List<MetaRecord> batch = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                byte[] v = new byte[64];
                new Random(i).nextBytes(v);
                batch.add(new MetaRecord("part", String.format("key-%05d", i), 1, false, v));
            }
            p.putRecords(batch);
            StoreTestHooks.flush(PeerTestHooks.database(p));
        }
        List<Path> ssts = files(data, ".sst");
        assertEquals(1, ssts.size(), "only the records family has a table file");
        try (FileChannel ch = FileChannel.open(ssts.get(0), StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64);
            ch.read(b, 200);
            for (int i = 0; i < 64; i++) b.put(i, (byte) (b.get(i) ^ 0x5a));
            b.rewind();
            ch.write(b, 200);
        }
        try (HttpPeerFixture f = HttpPeerFixture.start(config(data, 0))) {
            PeerException e = assertThrows(PeerException.class, () -> f.client().scanRecords("part", null, null, 100),
                    "a scan that could not read must fail, not answer an empty page");
            assertTrue(e.kind().tryAnotherReplica, e.toString());
            PeerHealth h = f.local().health();
            assertFalse(h.ready());
            assertTrue(h.detail().contains("checksum mismatch"), h.detail());
            assertFalse(f.client().health().ready());
            assertEquals(503, get(f.uri().resolve("/health")).statusCode());
            assertEquals(503, get(f.uri().resolve("/health/ready")).statusCode());
            assertEquals(200, get(f.uri().resolve("/health/live")).statusCode());
            String metrics = get(f.uri().resolve("/metrics")).body();
            assertTrue(metrics.contains("mictlanx_peer_ready 0"), metrics);
            assertTrue(f.local().stats().storeErrors() > 0);
        }
    }

    /**
     * {@code peer --repair-store} on a store whose records table file is damaged: the files move aside,
     * what still reads is copied into a fresh store (chunks whole, records up to the damage), and the
     * rebuilt peer is ready, with a new store identity (which makes the routers refill it).
     */
    @Test
    void repairStoreRebuildsADamagedStoreIntoAReadyOne() throws Exception {
        Path data = dir.resolve("rebuild");
        String before;
        try (LocalPeer p = LocalPeer.open(config(data, 0))) {
            List<MetaRecord> batch = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                byte[] v = new byte[64];
                new Random(i).nextBytes(v);
                batch.add(new MetaRecord("part", String.format("key-%05d", i), 1, false, v));
            }
            p.putRecords(batch);
            for (int i = 0; i < 4; i++) p.putChunk("c" + i, chunk(i), crc(chunk(i)));
            StoreTestHooks.flush(PeerTestHooks.database(p));
            before = p.health().incarnation();
        }
        Path table = null;
        for (Path sst : files(data, ".sst")) {
            if (new String(Files.readAllBytes(sst), java.nio.charset.StandardCharsets.ISO_8859_1).contains("key-00000")) table = sst;
        }
        assertNotNull(table, "the records family's table file");
        Path recordsTable = table;
        try (FileChannel ch = FileChannel.open(recordsTable, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64);
            ch.read(b, 200);
            for (int i = 0; i < 64; i++) b.put(i, (byte) (b.get(i) ^ 0x5a));
            b.rewind();
            ch.write(b, 200);
        }
        assertEquals(0, PeerMain.repairStore(new String[] {"--data", data.toString(), "--repair-store"}, java.util.Map.of()));
        List<Path> aside = files(data, "").stream().filter(p -> p.getFileName().toString().startsWith("damaged-")).toList();
        assertEquals(1, aside.size(), "the damaged files are kept aside");
        assertTrue(Files.exists(aside.get(0).resolve(recordsTable.getFileName())), "the damaged table file itself");
        try (LocalPeer p = LocalPeer.open(config(data, 0))) {
            assertTrue(p.health().ready(), p.health().detail());
            assertNotEquals(before, p.health().incarnation(), "a new store identity: routers run a full pass");
            List<MetaRecord> left = p.scanRecords("part", null, null, 10_000);
            assertTrue(left.size() < 3000, "records behind the damaged block are not salvaged: " + left.size());
            for (int i = 0; i < 4; i++) assertArrayEquals(chunk(i), p.getChunk("c" + i, 0, -1), "chunk " + i + " salvaged");
            assertEquals(0, p.scrub().corruptIds().size());
        }
        assertEquals(2, PeerMain.repairStore(new String[] {"--data", dir.resolve("absent").toString(), "--repair-store"},
                java.util.Map.of()), "no such data directory");
    }

    /**
     * A store whose records family has two table files, the first damaged in its first block, plus
     * four chunks: the salvage (offline or online) must keep every record of the second file.
     */
    private Path twoTableFilesFirstDamaged(String name) throws IOException {
        Path data = dir.resolve(name);
        try (LocalPeer p = LocalPeer.open(config(data, 0))) {
            for (int half = 0; half < 2; half++) {
                List<MetaRecord> batch = new ArrayList<>();
                for (int i = half * 1500; i < (half + 1) * 1500; i++) {
                    byte[] v = new byte[64];
                    new Random(i).nextBytes(v);
                    batch.add(new MetaRecord("part", String.format("key-%05d", i), 1, false, v));
                }
                p.putRecords(batch);
                if (half == 0) for (int i = 0; i < 4; i++) p.putChunk("c" + i, chunk(i), crc(chunk(i)));
                StoreTestHooks.flush(PeerTestHooks.database(p));
            }
        }
        Path first = null;
        for (Path sst : files(data, ".sst")) {
            if (new String(Files.readAllBytes(sst), java.nio.charset.StandardCharsets.ISO_8859_1).contains("key-00000")) first = sst;
        }
        assertNotNull(first, "the first records table file");
        try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64);
            ch.read(b, 200);
            for (int i = 0; i < 64; i++) b.put(i, (byte) (b.get(i) ^ 0x5a));
            b.rewind();
            ch.write(b, 200);
        }
        return data;
    }

    /** The salvage goes on past a damaged block: the records of the next table file are kept. */
    @Test
    void repairStoreContinuesPastTheDamagedBlock() throws Exception {
        Path data = twoTableFilesFirstDamaged("past");
        var out = new java.io.ByteArrayOutputStream();
        var saved = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            assertEquals(0, PeerMain.repairStore(new String[] {"--data", data.toString(), "--repair-store"}, java.util.Map.of()));
        } finally {
            System.setOut(saved);
        }
        assertTrue(out.toString().contains("damage skipped"), out.toString());
        try (LocalPeer p = LocalPeer.open(config(data, 0))) {
            List<MetaRecord> left = p.scanRecords("part", null, null, 10_000);
            long second = left.stream().filter(r -> r.sortKey().compareTo("key-01500") >= 0).count();
            assertEquals(1500, second, "every record of the undamaged table file is kept");
            assertTrue(left.size() < 3000, "the damaged block's records are not: " + left.size());
            for (int i = 0; i < 4; i++) assertArrayEquals(chunk(i), p.getChunk("c" + i, 0, -1), "chunk " + i + " salvaged");
        }
    }

    /**
     * Online rebuild: a peer whose store reports damage is not ready and quarantines the damaged table
     * file's key range (reads, writes and scans of it are refused; every other key is served);
     * {@code POST /store/rebuild} rebuilds it while the peer runs (damaged files set aside, everything
     * readable salvaged, new store identity), after which it is ready again.
     */
    @Test
    void aDamagedStoreIsQuarantinedAndRebuiltOnline() throws Exception {
        Path data = twoTableFilesFirstDamaged("online");
        try (HttpPeerFixture f = HttpPeerFixture.start(config(data, 0))) {
            String before = f.local().health().incarnation();
            assertThrows(PeerException.class, () -> f.client().scanRecords("part", null, null, 100), "damage found at open");
            PeerHealth h = f.client().health();
            assertFalse(h.ready());
            assertTrue(h.storeDamaged(), h.detail());
            assertEquals(503, get(f.uri().resolve("/health/ready")).statusCode());
            List<String> ranges = f.local().health().damagedRanges();
            assertEquals(1, ranges.size(), ranges.toString());
            assertTrue(ranges.get(0).startsWith("records keys \"part\"/\"key-00000\" .. \"part\"/\"key-01499\""), ranges.toString());
            assertTrue(h.detail().contains("key-01499"), "health names the range: " + h.detail());
            assertTrue(get(f.uri().resolve("/metrics")).body().contains("mictlanx_peer_damaged_ranges 1"));
            // the damaged file's range is quarantined: reads, writes and scans of it
            PeerException q = assertThrows(PeerException.class, () -> f.client().getRecord("part", "key-00010"), "quarantined");
            assertEquals(PeerException.Kind.UNAVAILABLE, q.kind());
            assertTrue(q.getMessage().contains("quarantined"), q.getMessage());
            assertEquals(PeerException.Kind.UNAVAILABLE, assertThrows(PeerException.class,
                    () -> f.client().scanRecords("part", null, "key-00700", 10)).kind());
            assertEquals(PeerException.Kind.UNAVAILABLE, assertThrows(PeerException.class,
                    () -> f.client().putRecord(new MetaRecord("part", "key-00005", 2, false, new byte[] {1}))).kind());
            // every other key is served: the other table file's records, the chunks, new writes
            assertEquals(1500, f.client().scanRecords("part", null, "key-01499", 10_000).size());
            assertTrue(f.client().getRecord("part", "key-02000").isPresent());
            assertArrayEquals(chunk(0), f.client().getChunk("c0", 0, -1), "the chunks families are not damaged");
            assertEquals(4, f.client().listChunks(null, 100).ids().size());
            assertTrue(f.client().putRecord(new MetaRecord("other", "k", 1, false, new byte[] {2})));
            assertTrue(f.client().getRecord("other", "k").isPresent());

            var started = f.client().rebuildStore(false);
            assertTrue(started.running() || started.state().equals("done"), started.toString());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!f.local().health().ready()) {
                assertTrue(System.nanoTime() < deadline, "the rebuild ends: " + f.local().rebuildStatus());
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            }
            var done = f.client().rebuildStatus();
            assertEquals("done", done.state(), done.toString());
            assertTrue(done.families().stream().anyMatch(x -> x.startsWith("records") && x.contains("damage skipped")), done.toString());
            assertNotEquals(before, f.client().health().incarnation(), "a new store identity: routers refill it");
            assertTrue(f.client().health().ready());
            long second = f.client().scanRecords("part", "key-0", "key-01499", 10_000).size();
            assertEquals(1500, second, "the undamaged table file's records were salvaged");
            for (int i = 0; i < 4; i++) assertArrayEquals(chunk(i), f.client().getChunk("c" + i, 0, -1), "chunk " + i);
            byte[] c = chunk(9);
            f.client().putChunk("c9", c, crc(c));
            assertArrayEquals(c, f.client().getChunk("c9", 0, -1), "the rebuilt store takes writes");
            assertEquals("not-needed", f.client().rebuildStore(false).state());
        }
    }

    @Test
    void fullDiskIsA503OnHealth() throws Exception {
        try (HttpPeerFixture f = HttpPeerFixture.start(PeerConfig.builder("full").dataDir(dir.resolve("full"))
                .diskReserveBytes(Long.MAX_VALUE / 2).scrubBytesPerSecond(0).build())) {
            HttpResponse<String> r = get(f.uri().resolve("/health"));
            assertEquals(503, r.statusCode());
            assertTrue(r.body().contains("\"ready\":false"), r.body());
            assertTrue(r.body().contains("disk free below reserve"), r.body());
            assertFalse(f.client().health().ready());
            assertTrue(f.client().health().live());
        }
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        try (HttpClient c = HttpClient.newHttpClient()) {
            return c.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}

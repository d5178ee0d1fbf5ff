package org.mictlanx.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MillionBenchPartsTest {

    @Test
    void keysAreFixedWidthSoKeyOrderIsIndexOrder() {
        assertEquals("k/0000000000", MillionLoad.key(0));
        assertEquals("k/0000123456", MillionLoad.key(123_456));
        assertEquals("k/0001000000", MillionLoad.key(1_000_000));
        assertTrue(MillionLoad.key(99).compareTo(MillionLoad.key(100)) < 0);
        assertTrue(MillionLoad.key(999_999).compareTo(MillionLoad.key(1_000_000)) < 0);
    }

    @Test
    void histogramBucketsAreMonotonicAndInvertible() {
        int previous = -1;
        for (long us = 0; us < 5_000_000; us = us < 100 ? us + 1 : us + us / 7) {
            int b = LatencyHistogram.bucket(us);
            assertTrue(b >= previous, "bucket of " + us);
            long lo = LatencyHistogram.lowerBound(b);
            assertTrue(lo <= us && us < LatencyHistogram.lowerBound(b + 1), us + " in [" + lo + ", next)");
            assertTrue(us - lo <= Math.max(1, us / 16), "bucket width of " + us);
            previous = b;
        }
    }

    @Test
    void histogramPercentilesAreWithinABucket() {
        LatencyHistogram h = new LatencyHistogram();
        for (int ms = 1; ms <= 100; ms++) h.add(ms * 1_000_000L);
        assertEquals(100, h.count());
        assertEquals(50, h.percentileMillis(50), 50 * 0.07);
        assertEquals(99, h.percentileMillis(99), 99 * 0.07);
        h.reset();
        assertEquals(0, h.count());
        assertEquals(0, h.percentileMillis(50));
    }

    @Test
    void treeBytesSumsRegularFilesAndRssParsesKib(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a"), new byte[1000]);
        Files.createDirectories(dir.resolve("sub/deeper"));
        Files.write(dir.resolve("sub/deeper/b"), new byte[234]);
        assertEquals(1234, ProcessProbe.treeBytes(dir));
        assertEquals(0, ProcessProbe.treeBytes(dir.resolve("absent")));
        assertEquals(123_456, ProcessProbe.kib("\t  123456 kB"));
        assertTrue(ProcessProbe.rssBytes(ProcessHandle.current().pid()) > 0 || !Files.exists(Path.of("/proc/self/status")));
    }

    @Test
    void serverMemorySumsHeapPoolsAndPeersFromMetrics() {
        String metrics = String.join("\n",
                "# HELP jvm_memory_committed_bytes The amount of memory in bytes that is committed",
                "jvm_memory_committed_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.048576E8",
                "jvm_memory_committed_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2.097152E8",
                "jvm_memory_committed_bytes{area=\"nonheap\",id=\"Metaspace\"} 9.9E7",
                "mictlanx_peer_rocksdb_table_readers_bytes{peer=\"p1\"} 1000.0",
                "mictlanx_peer_rocksdb_table_readers_bytes{peer=\"p2\"} 234.0",
                "mictlanx_peer_rocksdb_memtables_bytes{peer=\"p1\"} 5000.0",
                "mictlanx_peer_rocksdb_block_cache_bytes{peer=\"p1\"} 7000.0",
                "mictlanx_peer_rocksdb_block_cache_pinned_bytes{peer=\"p1\"} 99.0", "");
        ServerMemory m = ServerMemory.parse(metrics);
        assertEquals(300L << 20, m.heapCommitted());
        assertEquals(1234, m.tableReaders());
        assertEquals(1234 + 5000 + 7000, m.rocksdb());
        ServerMemory old = ServerMemory.parse("jvm_memory_committed_bytes{area=\"heap\",id=\"x\"} 10.0\n");
        assertEquals(10, old.heapCommitted());
        assertEquals(-1, old.rocksdb(), "a build without the RocksDB gauges");
    }

    @Test
    void judgeNamesEachTargetMetOrMissed() {
        MillionLoad.Phase fast = new MillionLoad.Phase(1000, 0, 1_000_000_000L, 1, 2);
        MillionLoad.Phase slow = new MillionLoad.Phase(700, 0, 1_000_000_000L, 1, 2);
        List<MillionBench.Step> flat = List.of(new MillionBench.Step(1000, fast, 1, 500L << 20, 1),
                new MillionBench.Step(2000, fast, 1, 520L << 20, 2));
        MillionLoad.Scan quick = new MillionLoad.Scan(2000, 2, 10_000_000L, 1, 1, null);
        List<String> ok = MillionBench.judge(flat, quick);
        assertEquals(3, ok.size());
        assertTrue(ok.stream().allMatch(l -> l.startsWith("met: ")), ok.toString());

        List<MillionBench.Step> growing = List.of(new MillionBench.Step(1000, fast, 1, 500L << 20, 1),
                new MillionBench.Step(2000, slow, 1, 600L << 20, 2));
        MillionLoad.Scan slowScan = new MillionLoad.Scan(2000, 2, 1_000_000_000L, 1, 1, null);
        List<String> missed = MillionBench.judge(growing, slowScan);
        assertTrue(missed.stream().allMatch(l -> l.startsWith("MISSED: ")), missed.toString());
        assertTrue(missed.get(0).contains("0.70x"), missed.get(0));
        assertTrue(missed.get(2).contains("+20.0%"), missed.get(2));
    }
}

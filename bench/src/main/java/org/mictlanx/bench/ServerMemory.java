package org.mictlanx.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Where a MictlanX server's resident memory goes, as its own {@code /metrics} says: the committed Java heap
 * ({@code jvm_memory_committed_bytes{area="heap"}}, G1 grows it toward {@code -Xmx} under load) and its
 * peers' RocksDB native memory ({@code mictlanx_peer_rocksdb_*_bytes}: table readers, memtables, block
 * cache), so the million bench can tell growth with the number of balls from heap sizing. A figure the
 * server does not report (an older build) is -1.
 */
record ServerMemory(long heapCommitted, long tableReaders, long memtables, long blockCache) {

    static ServerMemory unknown() {
        return new ServerMemory(-1, -1, -1, -1);
    }

    /** Scrapes {@code endpoint/metrics} (anonymous); unknown when it cannot. */
    static ServerMemory scrape(HttpClient http, URI endpoint) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? parse(r.body()) : unknown();
        } catch (java.io.IOException e) {
            return unknown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown();
        }
    }

    /** Sums each figure over its series (heap pools, peers) in Prometheus text. */
    static ServerMemory parse(String metrics) {
        long[] v = {-1, -1, -1, -1};
        for (String line : metrics.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) continue;
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            int i = switch (name) {
                case "jvm_memory_committed_bytes" -> line.contains("area=\"heap\"") ? 0 : -1;
                case "mictlanx_peer_rocksdb_table_readers_bytes" -> 1;
                case "mictlanx_peer_rocksdb_memtables_bytes" -> 2;
                case "mictlanx_peer_rocksdb_block_cache_bytes" -> 3;
                default -> -1;
            };
            if (i < 0) continue;
            double d = Double.parseDouble(line.substring(space + 1).strip());
            if (!Double.isNaN(d)) v[i] = Math.max(0, v[i]) + (long) d;
        }
        return new ServerMemory(v[0], v[1], v[2], v[3]);
    }

    /** Table readers + memtables + block cache, or -1 when not reported. */
    long rocksdb() {
        return tableReaders < 0 || memtables < 0 || blockCache < 0 ? -1 : tableReaders + memtables + blockCache;
    }
}

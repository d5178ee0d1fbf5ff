package org.mictlanx.peer.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.api.PeerHealth;
import org.mictlanx.peer.api.PeerStats;
import org.mictlanx.peer.api.ScrubProgress;
import org.mictlanx.peer.api.StoreMemory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The peer's {@code GET /metrics}: Prometheus text of readiness, store errors, RocksDB memory and scrub progress. */
final class PeerMetrics {
    private PeerMetrics() {
    }

    static void render(LocalPeer peer, Response response) throws IOException {
        PeerHealth h = peer.health();
        StringBuilder sb = new StringBuilder();
        gauge(sb, "mictlanx_peer_ready", "1 when the peer accepts reads and writes", h.ready() ? 1 : 0);
        gauge(sb, "mictlanx_peer_damaged_ranges", "key ranges of damaged table files quarantined until the store is rebuilt",
                h.damagedRanges().size());
        if (h.live()) {
            PeerStats s = peer.stats();
            ScrubProgress p = s.scrub();
            counter(sb, "mictlanx_peer_store_errors_total", "RocksDB corruption, I/O and background errors seen", s.storeErrors());
            gauge(sb, "mictlanx_peer_chunks", "stored chunks", s.chunks());
            gauge(sb, "mictlanx_peer_chunk_bytes", "stored chunk bytes", s.chunkBytes());
            gauge(sb, "mictlanx_peer_free_disk_bytes", "free bytes on the data file system", s.freeDiskBytes());
            StoreMemory m = s.memory();
            gauge(sb, "mictlanx_peer_rocksdb_table_readers_bytes", "RocksDB index and filter blocks held outside the block cache", m.tableReaders());
            gauge(sb, "mictlanx_peer_rocksdb_memtables_bytes", "RocksDB memtables, all column families", m.memtables());
            gauge(sb, "mictlanx_peer_rocksdb_block_cache_bytes", "RocksDB block cache usage", m.blockCache());
            gauge(sb, "mictlanx_peer_rocksdb_block_cache_pinned_bytes", "RocksDB block cache entries pinned or in use", m.blockCachePinned());
            gauge(sb, "mictlanx_peer_rocksdb_block_cache_capacity_bytes", "RocksDB block cache capacity", m.blockCacheCapacity());
            gauge(sb, "mictlanx_peer_scrub_bytes_per_second", "configured background scrub rate", p.bytesPerSecond());
            counter(sb, "mictlanx_peer_scrub_passes_total", "complete scrub passes", p.passes());
            counter(sb, "mictlanx_peer_scrub_chunks_total", "chunks verified by the background scrub", p.chunksChecked());
            counter(sb, "mictlanx_peer_scrub_bytes_total", "bytes verified by the background scrub", p.bytesChecked());
            counter(sb, "mictlanx_peer_scrub_damaged_total", "chunks that failed verification (deleted for repair)", p.damagedFound());
            counter(sb, "mictlanx_peer_scrub_unreadable_total", "chunks that could not be read", p.unreadableFound());
            counter(sb, "mictlanx_peer_scrub_errors_total", "scrub steps that could not read the chunk index", p.errors());
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        try (OutputStream os = Content.Sink.asOutputStream(response)) {
            os.write(body);
        }
    }

    private static void gauge(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(v).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(v).append('\n');
    }
}

package org.mictlanx.server;

import java.time.Duration;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.mictlanx.peer.api.PeerStats;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterStats;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Per-peer capacity gauges ({@code mictlanx_peer_used_bytes}, {@code mictlanx_peer_free_bytes},
 * {@code mictlanx_peer_chunks}, and the store's native memory {@code mictlanx_peer_rocksdb_*_bytes}, tagged
 * {@code peer}) for the peers of the layout at start. The values are
 * the peers' own counters ({@link Router#peerStats}), asked at most once per {@link #MAX_AGE} whatever the
 * scrape rate; a peer that did not answer reads NaN.
 */
final class PeerCapacityMetrics {

    /** How stale a scrape's figures may be. */
    static final Duration MAX_AGE = Duration.ofSeconds(10);

    private final Router router;
    private volatile Map<String, PeerStats> last = Map.of();
    private volatile long takenAt = Long.MIN_VALUE;

    private PeerCapacityMetrics(Router router) {
        this.router = router;
    }

    static void bind(Router router, MeterRegistry registry) {
        PeerCapacityMetrics m = new PeerCapacityMetrics(router);
        for (RouterStats.Peer p : router.stats().peers()) {
            m.gauge(registry, "mictlanx_peer_used_bytes", "chunk bytes stored on the peer", p.id(), PeerStats::chunkBytes);
            m.gauge(registry, "mictlanx_peer_free_bytes", "free disk bytes on the peer's data volume", p.id(), PeerStats::freeDiskBytes);
            m.gauge(registry, "mictlanx_peer_chunks", "chunks stored on the peer", p.id(), PeerStats::chunks);
            m.gauge(registry, "mictlanx_peer_rocksdb_table_readers_bytes", "RocksDB index and filter blocks held outside the block cache",
                    p.id(), s -> s.memory().tableReaders());
            m.gauge(registry, "mictlanx_peer_rocksdb_memtables_bytes", "RocksDB memtables", p.id(), s -> s.memory().memtables());
            m.gauge(registry, "mictlanx_peer_rocksdb_block_cache_bytes", "RocksDB block cache usage", p.id(), s -> s.memory().blockCache());
            m.gauge(registry, "mictlanx_peer_rocksdb_block_cache_pinned_bytes", "RocksDB block cache entries pinned or in use",
                    p.id(), s -> s.memory().blockCachePinned());
        }
        Gauge.builder("mictlanx_gc_misplaced_deleted", router, r -> r.stats().maintenance().gcMisplacedDeleted())
                .description("replicas deleted by GC from peers no longer in their placement").register(registry);
    }

    /** Strong reference: the gauges are the only holders of this object (Micrometer's default is weak, read NaN after a GC). */
    private void gauge(MeterRegistry registry, String name, String description, String peer, ToDoubleFunction<PeerStats> f) {
        Gauge.builder(name, this, m -> {
            PeerStats s = m.current().get(peer);
            return s == null ? Double.NaN : f.applyAsDouble(s);
        }).description(description).tag("peer", peer).strongReference(true).register(registry);
    }

    private Map<String, PeerStats> current() {
        long now = System.nanoTime();
        if (takenAt == Long.MIN_VALUE || now - takenAt > MAX_AGE.toNanos()) {
            synchronized (this) {
                if (takenAt == Long.MIN_VALUE || System.nanoTime() - takenAt > MAX_AGE.toNanos()) {
                    last = router.peerStats(Duration.ofSeconds(2));
                    takenAt = System.nanoTime();
                }
            }
        }
        return last;
    }
}

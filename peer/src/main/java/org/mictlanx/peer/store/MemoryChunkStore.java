package org.mictlanx.peer.store;

import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.ChunkPage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * In-memory {@link ChunkStore} (tests and ephemeral peers): same stored format and checksum
 * verification as the RocksDB store, nothing survives the process.
 */
public final class MemoryChunkStore implements ChunkStore {
    private final ConcurrentSkipListMap<String, byte[]> values = new ConcurrentSkipListMap<>();

    @Override
    public void put(String id, byte[] data, int crc32c) {
        values.put(id, ChunkCodec.encodeValue(data, crc32c));
    }

    @Override
    public Optional<VerifiedChunk> read(String id) {
        byte[] v = values.get(id);
        return v == null ? Optional.empty() : Optional.of(ChunkCodec.decodeValue(id, v));
    }

    @Override
    public Optional<ChunkInfo> head(String id) {
        byte[] v = values.get(id);
        if (v == null) return Optional.empty();
        return Optional.of(new ChunkInfo(id, v.length - ChunkCodec.HEADER,
                java.nio.ByteBuffer.wrap(v, 1, 4).getInt()));
    }

    @Override
    public boolean delete(String id) {
        return values.remove(id) != null;
    }

    @Override
    public ChunkPage list(String after, int limit) {
        Map<String, byte[]> tail = after == null ? values : values.tailMap(after, false);
        List<String> ids = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        var it = tail.entrySet().iterator();
        while (it.hasNext() && ids.size() < limit) {
            var e = it.next();
            ids.add(e.getKey());
            sizes.add((long) (e.getValue().length - ChunkCodec.HEADER));
        }
        return new ChunkPage(ids, it.hasNext() && !ids.isEmpty() ? ids.get(ids.size() - 1) : null, sizes);
    }

    /** The stored values by chunk id (this package's test fixtures damage them). */
    ConcurrentSkipListMap<String, byte[]> values() {
        return values;
    }

    @Override
    public long count() {
        return values.size();
    }

    @Override
    public long bytes() {
        return values.values().stream().mapToLong(v -> v.length - ChunkCodec.HEADER).sum();
    }

    @Override
    public void close() {
    }
}

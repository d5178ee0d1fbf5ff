package org.mictlanx.sdk;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A bounded in-memory LRU cache of ball chunks, by bytes. Keys include the ball's ETag, so a ball
 * that changes gets new keys and its old chunks simply age out. Capacity 0 disables it (nothing is
 * stored, every lookup is a miss). Cached arrays are never handed out for writing. Thread-safe.
 */
public final class ChunkCache {

    /** A chunk of a ball version: bytes {@code [offset, offset + length)}. */
    record Key(String bucket, String key, String etag, long offset, int length) {
    }

    /** A snapshot of the counters and the bytes held. */
    public record Stats(long hits, long misses, long evictions, long bytes, long capacity) {
    }

    private final long capacity;
    private final LinkedHashMap<Key, byte[]> map = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;
    private long evictions;

    ChunkCache(long capacity) {
        this.capacity = capacity;
    }

    /** Whether the capacity is 0: nothing is ever stored, and readers need not look. */
    boolean disabled() {
        return capacity == 0;
    }

    synchronized byte @Nullable [] get(Key k) {
        byte[] v = map.get(k);
        if (v == null) {
            misses++;
        } else {
            hits++;
        }
        return v;
    }

    synchronized void put(Key k, byte[] v) {
        if (v.length > capacity) {
            return;
        }
        byte[] old = map.put(k, v);
        bytes += v.length - (old == null ? 0 : old.length);
        Iterator<Map.Entry<Key, byte[]>> it = map.entrySet().iterator();
        while (bytes > capacity && it.hasNext()) {
            Map.Entry<Key, byte[]> e = it.next();
            bytes -= e.getValue().length;
            it.remove();
            evictions++;
        }
    }

    /** Current counters. */
    public synchronized Stats stats() {
        return new Stats(hits, misses, evictions, bytes, capacity);
    }
}

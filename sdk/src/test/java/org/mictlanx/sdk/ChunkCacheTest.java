package org.mictlanx.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ChunkCacheTest {

    static ChunkCache.Key key(String etag, long offset) {
        return new ChunkCache.Key("b", "k", etag, offset, 10);
    }

    @Test
    void evictsLeastRecentlyUsedByBytes() {
        ChunkCache c = new ChunkCache(25);
        c.put(key("e", 0), new byte[10]);
        c.put(key("e", 10), new byte[10]);
        assertNotNull(c.get(key("e", 0)));       // 0 is now the most recent
        c.put(key("e", 20), new byte[10]);        // 30 > 25: evicts 10
        assertNull(c.get(key("e", 10)));
        assertNotNull(c.get(key("e", 0)));
        assertNotNull(c.get(key("e", 20)));
        ChunkCache.Stats s = c.stats();
        assertEquals(3, s.hits());
        assertEquals(1, s.misses());
        assertEquals(1, s.evictions());
        assertEquals(20, s.bytes());
    }

    @Test
    void anotherEtagIsAnotherEntryAndZeroCapacityDisables() {
        ChunkCache c = new ChunkCache(100);
        c.put(key("v1", 0), new byte[10]);
        assertNull(c.get(key("v2", 0)));
        ChunkCache off = new ChunkCache(0);
        off.put(key("v1", 0), new byte[10]);
        assertNull(off.get(key("v1", 0)));
        assertEquals(0, off.stats().bytes());
    }
}

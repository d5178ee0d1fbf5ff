package org.mictlanx.peer.store;

import org.mictlanx.peer.api.ChunkBuffer;
import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.ChunkPage;
import org.mictlanx.peer.api.PeerException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The contract every {@link ChunkStore} passes; subclasses supply the implementation. */
public abstract class ChunkStoreContract {
    protected ChunkStore store;

    protected abstract ChunkStore open();

    /** Damages the stored bytes of {@code id} without updating its checksum. */
    protected abstract void damage(String id);

    /** Closes and reopens the same store (durable implementations); in-memory ones return {@code store}. */
    protected abstract ChunkStore reopen();

    @BeforeEach
    void setUp() {
        store = open();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static int crc(byte[] b) {
        return ChunkCodec.crc32c(b, 0, b.length);
    }

    @Test
    void putGetHeadDeleteAcrossValueSizes() {
        for (int n : new int[]{0, 1, 4096, 64 << 10, (1 << 20) + 3}) {
            byte[] data = bytes(n, n);
            String id = "c-" + n;
            store.put(id, data, crc(data));
            assertArrayEquals(data, store.get(id).orElseThrow());
            assertEquals(new ChunkInfo(id, n, crc(data)), store.head(id).orElseThrow());
        }
        assertEquals(5, store.count());
        assertTrue(store.delete("c-4096"));
        assertFalse(store.delete("c-4096"));
        assertEquals(Optional.empty(), store.get("c-4096"));
        assertEquals(Optional.empty(), store.head("c-4096"));
        assertEquals(4, store.count());
        assertEquals(0 + 1 + (64 << 10) + (1 << 20) + 3, store.bytes());
    }

    @Test
    void overwriteReplacesValueAndKeepsCounts() {
        byte[] a = bytes(100, 1), b = bytes(70_000, 2);
        store.put("x", a, crc(a));
        store.put("x", b, crc(b));
        assertArrayEquals(b, store.get("x").orElseThrow());
        assertEquals(1, store.count());
        assertEquals(70_000, store.bytes());
    }

    @Test
    void listingIsOrderedAndPaged() {
        for (String id : List.of("b", "a", "c-1", "c-0", "d")) store.put(id, new byte[]{1}, crc(new byte[]{1}));
        ChunkPage p1 = store.list(null, 2);
        assertEquals(List.of("a", "b"), p1.ids());
        assertEquals("b", p1.nextAfter());
        ChunkPage p2 = store.list(p1.nextAfter(), 2);
        assertEquals(List.of("c-0", "c-1"), p2.ids());
        ChunkPage p3 = store.list(p2.nextAfter(), 2);
        assertEquals(List.of("d"), p3.ids());
        assertNull(p3.nextAfter());
        assertEquals(List.of("c-1", "d"), store.list("c-0", 10).ids());
    }

    @Test
    void damagedChunkIsCorruptNeverServedAndReportedByScrub() {
        byte[] small = bytes(1000, 3), large = bytes(200_000, 4);
        store.put("ok", small, crc(small));
        store.put("bad-small", small, crc(small));
        store.put("bad-large", large, crc(large));
        damage("bad-small");
        damage("bad-large");
        assertEquals(PeerException.Kind.CORRUPT, assertThrows(PeerException.class, () -> store.get("bad-small")).kind());
        assertEquals(PeerException.Kind.CORRUPT, assertThrows(PeerException.class, () -> store.get("bad-large")).kind());
        assertArrayEquals(small, store.get("ok").orElseThrow());
        var report = store.scrub();
        assertEquals(3, report.checked());
        assertEquals(List.of("bad-large", "bad-small"), report.corruptIds());
    }

    @Test
    void readBufferServesVerifiedBytesAndNeverDamagedOnes() {
        byte[] data = bytes((1 << 20) + 7, 9), empty = new byte[0], bad = bytes(200_000, 10);
        store.put("buf", data, crc(data));
        store.put("buf-empty", empty, crc(empty));
        store.put("buf-bad", bad, crc(bad));
        damage("buf-bad");
        for (int round = 0; round < 3; round++) { // pooled buffers are given back and lent again
            for (String id : List.of("buf", "buf-empty")) {
                try (ChunkBuffer b = store.readBuffer(id).orElseThrow()) {
                    byte[] got = new byte[b.length()];
                    b.buffer().get(b.buffer().position(), got);
                    assertArrayEquals(id.equals("buf") ? data : empty, got);
                }
            }
        }
        assertEquals(Optional.empty(), store.readBuffer("absent"));
        assertEquals(PeerException.Kind.CORRUPT, assertThrows(PeerException.class, () -> store.readBuffer("buf-bad")).kind());
    }

    @Test
    void survivesReopen() {
        byte[] data = bytes(300_000, 5);
        store.put("keep", data, crc(data));
        store = reopen();
        assertArrayEquals(data, store.get("keep").orElseThrow());
        assertEquals(1, store.count());
        assertEquals(300_000, store.bytes());
    }
}

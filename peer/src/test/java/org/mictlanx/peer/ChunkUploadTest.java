package org.mictlanx.peer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.store.ChunkCodec;
import org.mictlanx.peer.store.DirectBufferPool;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Large chunk bodies staged in pooled direct buffers; the pool never leaks and never blocks. */
class ChunkUploadTest {
    @TempDir
    Path dir;

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static int crc(byte[] b) {
        return ChunkCodec.crc32c(b, 0, b.length);
    }

    @Test
    void poolLendsAtMostItsBuffersAndTakesOnlyItsOwnBack() {
        DirectBufferPool pool = new DirectBufferPool(2, 1024);
        ByteBuffer a = pool.acquire(), b = pool.acquire();
        assertNotNull(a);
        assertNotNull(b);
        assertNull(pool.acquire(), "all lent out: null, not a wait");
        pool.release(a);
        assertSame(a, pool.acquire(), "a released buffer is reused");
        assertThrows(IllegalArgumentException.class, () -> pool.release(ByteBuffer.allocateDirect(1024).slice(0, 512)));
        assertThrows(IllegalArgumentException.class, () -> pool.release(ByteBuffer.allocate(1024)));
        assertNull(pool.acquire(20), "a bounded wait for a buffer nobody returns ends empty-handed");
        CompletableFuture<ByteBuffer> waiter = CompletableFuture.supplyAsync(() -> pool.acquire(60_000));
        pool.release(b);
        assertSame(b, waiter.orTimeout(60, TimeUnit.SECONDS).join(), "a waiting acquire gets the next buffer given back");
    }

    @Test
    void largeChunksAreStagedOffHeapBeyondThePoolOnTheHeapAndAllReadBack() {
        try (LocalPeer peer = LocalPeer.open(PeerConfig.builder("u").dataDir(dir).diskReserveBytes(0).maxChunkBytes(2 << 20).build())) {
            List<ChunkUpload> open = new ArrayList<>();
            List<byte[]> data = new ArrayList<>();
            try {
                for (int i = 0; i <= LocalPeer.STAGING_BUFFERS; i++) {
                    byte[] d = bytes(LocalPeer.DIRECT_MIN_BYTES + 1000 * i, i);
                    data.add(d);
                    ChunkUpload u = peer.beginChunkPut("big-" + i, d.length, crc(d));
                    open.add(u);
                    assertEquals(i < LocalPeer.STAGING_BUFFERS, u.direct(), "upload " + i);
                    u.readFrom(new ByteArrayInputStream(d));
                }
                for (ChunkUpload u : open) u.commit();
            } finally {
                open.forEach(ChunkUpload::close);
            }
            for (int i = 0; i < data.size(); i++) assertArrayEquals(data.get(i), peer.getChunk("big-" + i, 0, -1));
            try (ChunkUpload small = peer.beginChunkPut("small", 4096, 0)) {
                assertFalse(small.direct(), "small chunks stay on the heap");
            }
        }
    }

    @Test
    void failedUploadsStoreNothingAndGiveTheirBufferBack() {
        try (LocalPeer peer = LocalPeer.open(PeerConfig.builder("u").dataDir(dir).diskReserveBytes(0).maxChunkBytes(2 << 20).build())) {
            byte[] d = bytes(1 << 20, 7);
            for (int round = 0; round < 3 * LocalPeer.STAGING_BUFFERS; round++) {
                try (ChunkUpload u = peer.beginChunkPut("x", d.length, crc(d) ^ 1)) {
                    assertTrue(u.direct(), "round " + round + ": a failed upload leaked its buffer");
                    u.readFrom(new ByteArrayInputStream(d));
                    assertEquals(PeerException.Kind.CHECKSUM_MISMATCH, assertThrows(PeerException.class, u::commit).kind());
                }
            }
            try (ChunkUpload u = peer.beginChunkPut("x", d.length, crc(d))) {
                PeerException e = assertThrows(PeerException.class, () -> u.readFrom(new ByteArrayInputStream(d, 0, d.length - 1)));
                assertEquals(PeerException.Kind.BAD_REQUEST, e.kind());
            }
            try (ChunkUpload u = peer.beginChunkPut("x", d.length - 1, crc(d))) {
                assertEquals(PeerException.Kind.BAD_REQUEST, assertThrows(PeerException.class, () -> u.readFrom(new ByteArrayInputStream(d))).kind());
            }
            try (ChunkUpload u = peer.beginChunkPut("x", 10, 0)) {
                assertEquals(PeerException.Kind.BAD_REQUEST, assertThrows(PeerException.class, () -> u.write(ByteBuffer.allocate(11))).kind());
            }
            assertTrue(peer.headChunk("x").isEmpty(), "nothing was stored");
        }
    }
}

package org.mictlanx.peer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.http.RequestSigner;
import org.mictlanx.peer.store.ChunkCodec;
import org.mictlanx.peer.testing.ChildPeer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A peer in a child JVM is SIGKILLed while four writers put chunks and records over HTTP; after a
 * restart on the same directory every acknowledged chunk reads back byte-identical and every
 * acknowledged record is there. Two writers put 1 to 3 MiB chunks, so (two large puts in flight)
 * these mostly take the no-WAL path (memtable + shared synced flush, see
 * {@link PeerConfig#unloggedChunkMinBytes()}, set to 1 MiB here); the other two put 1 KiB to 300 KiB chunks
 * through the WAL, and the kill lands while both kinds are in flight.
 */
class PeerCrashTest {
    private static final String SECRET = "crash-secret";
    /** Turns the (opt-in) no-WAL path on for chunks of 1 MiB and more. */
    private static final java.util.List<String> UNLOGGED = java.util.List.of("--unlogged-chunk-min-bytes", Integer.toString(1 << 20));

    @TempDir
    Path dir;

    static boolean large(String id) {
        return id.startsWith("big-");
    }

    static byte[] content(String id) {
        Random r = new Random(id.hashCode());
        byte[] b = new byte[large(id) ? (1 << 20) + r.nextInt(2 << 20) : 1024 + r.nextInt(300_000)];
        r.nextBytes(b);
        return b;
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        Map<String, Boolean> acked = new ConcurrentHashMap<>();
        Map<String, Long> ackedRecords = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch enough = new CountDownLatch(60);
        CountDownLatch enoughLarge = new CountDownLatch(10);
        AtomicInteger seq = new AtomicInteger();
        RequestSigner signer = new RequestSigner(SECRET);
        Thread[] writers = new Thread[4];
        try (ChildPeer child = ChildPeer.start("crash", dir, SECRET, 60, UNLOGGED);
             HttpPeerClient client = new HttpPeerClient("crash", child.uri(), signer, Duration.ofSeconds(10))) {
            for (int w = 0; w < writers.length; w++) {
                String prefix = w < 2 ? "big-" : "chunk-";
                writers[w] = Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        String id = prefix + seq.incrementAndGet();
                        byte[] data = content(id);
                        try {
                            client.putChunk(id, data, ChunkCodec.crc32c(data, 0, data.length));
                            acked.put(id, true);
                            if (large(id)) enoughLarge.countDown();
                            client.putRecord(new MetaRecord("crash", id, data.length, false, id.getBytes()));
                            ackedRecords.put(id, (long) data.length);
                            enough.countDown();
                        } catch (PeerException e) {
                            if (e.kind() != PeerException.Kind.UNAVAILABLE) throw e;
                        }
                    }
                });
            }
            assertTrue(enough.await(120, TimeUnit.SECONDS), "writers made no progress");
            assertTrue(enoughLarge.await(120, TimeUnit.SECONDS), "no large chunks acknowledged");
            child.kill(); // mid-loop: the writers are still running
            stop.set(true);
            for (Thread t : writers) t.join(30_000);
        }
        assertTrue(acked.size() >= 60);
        assertTrue(acked.keySet().stream().filter(PeerCrashTest::large).count() >= 10);
        try (ChildPeer again = ChildPeer.start("crash", dir, SECRET, 60, UNLOGGED);
             HttpPeerClient client = new HttpPeerClient("crash", again.uri(), signer, Duration.ofSeconds(30))) {
            for (String id : acked.keySet()) assertArrayEquals(content(id), client.getChunk(id, 0, -1), id);
            for (var e : ackedRecords.entrySet()) {
                assertEquals(e.getValue(), client.getRecord("crash", e.getKey()).orElseThrow().version(), e.getKey());
            }
            assertTrue(client.scrub().corruptIds().isEmpty());
        }
    }
}

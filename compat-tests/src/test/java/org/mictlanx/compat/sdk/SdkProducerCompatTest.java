package org.mictlanx.compat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.compat.AllInOne;
import org.mictlanx.sdk.IntegrityException;
import org.mictlanx.sdk.MictlanX;
import org.mictlanx.sdk.Producer;
import org.mictlanx.sdk.PutOptions;
import org.mictlanx.sdk.PutResult;

/** The producer's FIFO queue with back-pressure, and the consumer's end-to-end integrity check. */
class SdkProducerCompatTest {

    static final int MIB = 1 << 20;
    static AllInOne store;
    static MictlanX sdk;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        sdk = client(store.port());
        sdk.createBucket("prod");
    }

    static MictlanX client(int port) {
        return MictlanX.builder().router(URI.create("http://127.0.0.1:" + port))
                .credentials(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY).partSize(5 * MIB).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sdk != null) sdk.close();
        if (store != null) store.close();
    }

    @Test
    void producerIsFifoWithBackPressure() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<PutResult>> futures = new ArrayList<>();
        CompletableFuture<Void> blockedSubmit;
        try (Producer p = sdk.producer(1, 2)) {
            // The only worker is held inside the first put until released.
            futures.add(p.submit("prod", "k0", new byte[] {0}, PutOptions.DEFAULT.withProgress((d, t) -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })));
            futures.getFirst().thenRun(() -> completed.add(0));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (p.queued() != 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            for (int i = 1; i <= 2; i++) {
                int n = i;
                futures.add(p.submit("prod", "k" + i, new byte[] {(byte) i}, PutOptions.DEFAULT));
                futures.getLast().thenRun(() -> completed.add(n));
            }
            assertEquals(2, p.queued());
            CountDownLatch started = new CountDownLatch(1);
            blockedSubmit = CompletableFuture.runAsync(() -> {
                started.countDown();
                try {
                    p.submit("prod", "k3", new byte[] {3}, PutOptions.DEFAULT).thenRun(() -> completed.add(3));
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            started.await();
            // The queue is full: the fourth submit cannot complete while the worker is held.
            assertThrows(java.util.concurrent.TimeoutException.class, () -> blockedSubmit.get(200, TimeUnit.MILLISECONDS));
            release.countDown();
            blockedSubmit.get(30, TimeUnit.SECONDS);
        }
        for (CompletableFuture<PutResult> f : futures) {
            f.join();
        }
        assertEquals(List.of(0, 1, 2, 3), completed);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(new byte[] {(byte) i}, sdk.get("prod", "k" + i));
        }
    }

    @Test
    void corruptedBytesOnTheWireAreDetected() throws Exception {
        byte[] data = new byte[6 * MIB];
        new Random(3).nextBytes(data);
        sdk.put("prod", "rot", data);
        try (FaultProxy proxy = new FaultProxy(store.port(), 0); MictlanX c = client(proxy.port())) {
            assertArrayEquals(data, c.get("prod", "rot"));
            proxy.corruptAnswers();
            try (MictlanX fresh = client(proxy.port())) {
                IntegrityException e = assertThrows(IntegrityException.class, () -> fresh.get("prod", "rot"));
                assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
            }
        }
    }
}

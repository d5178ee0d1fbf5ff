package org.mictlanx.compat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.compat.AllInOne;
import org.mictlanx.sdk.MictlanX;
import org.mictlanx.sdk.RetryPolicy;

/**
 * Plaintext reads streamed from the sockets (no chunk buffers): every parallelism, whole balls and
 * ranges, small reads, and bodies cut in the middle (resumed from the byte they stopped at, or failing
 * once the resumes are used up), through a fault-injecting proxy in front of a real all-in-one.
 */
class SdkStreamingCompatTest {

    static final int MIB = 1 << 20;
    static AllInOne store;
    static byte[] data;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        data = new byte[17 * MIB + 12_345];
        new Random(7).nextBytes(data);
        try (MictlanX c = client(URI.create("http://127.0.0.1:" + store.port()), 4, 5)) {
            c.createBucket("stream");
            c.put("stream", "ball", data);
            c.put("stream", "empty", new byte[0]);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) store.close();
    }

    static MictlanX client(URI router, int parallelism, int attempts) {
        return MictlanX.builder().router(router).credentials(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY)
                .partSize(5 * MIB).parallelism(parallelism)
                .retry(new RetryPolicy(attempts, Duration.ofMillis(5), Duration.ofMillis(50)))
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)).build();
    }

    @Test
    void everyParallelismReadsWholeBallsAndRangesInOrder() throws Exception {
        for (int p : new int[] {1, 2, 3, 8}) {
            try (MictlanX c = client(URI.create("http://127.0.0.1:" + store.port()), p, 3)) {
                assertArrayEquals(data, c.get("stream", "ball"), "parallelism " + p);
                assertArrayEquals(new byte[0], c.get("stream", "empty"));
                assertArrayEquals(Arrays.copyOfRange(data, 5 * MIB - 3, 15 * MIB + 4),
                        c.getRange("stream", "ball", 5 * MIB - 3, 10 * MIB + 7), "range, parallelism " + p);
                // Small reads of odd sizes, then the rest through transferTo.
                try (InputStream in = c.openStream("stream", "ball")) {
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                    byte[] small = new byte[4093];
                    for (int i = 0; i < 300; i++) {
                        int n = in.read(small, 0, 1 + i % small.length);
                        out.write(small, 0, n);
                    }
                    out.write(in.read());
                    in.transferTo(out);
                    assertEquals(-1, in.read());
                    assertArrayEquals(data, out.toByteArray(), "small reads, parallelism " + p);
                }
            }
        }
    }

    @Test
    void aBodyCutInTheMiddleIsResumedWhereItStopped() throws Exception {
        try (FaultProxy proxy = new FaultProxy(store.port(), 0);
             MictlanX c = client(URI.create("http://127.0.0.1:" + proxy.port()), 2, 3)) {
            c.head("stream", "ball"); // the HEAD's connection is not a ranged GET's
            proxy.cutAnswersAfter(3 * MIB + 77, 3);
            assertArrayEquals(data, c.get("stream", "ball"));
            assertTrue(proxy.cut() >= 2, proxy.cut() + " bodies cut"); // both first GETs pass 3 MiB, later ones may too
        }
        try (FaultProxy proxy = new FaultProxy(store.port(), 0);
             MictlanX c = client(URI.create("http://127.0.0.1:" + proxy.port()), 1, 3)) {
            c.head("stream", "ball");
            proxy.cutAnswersAfter(MIB, 1);
            assertArrayEquals(Arrays.copyOfRange(data, 2 * MIB, 12 * MIB), c.getRange("stream", "ball", 2 * MIB, 10 * MIB));
            assertEquals(1, proxy.cut());
        }
    }

    @Test
    void aBodyThatKeepsBreakingOffFailsOnceTheResumesAreUsedUp() throws Exception {
        try (FaultProxy proxy = new FaultProxy(store.port(), 0);
             MictlanX c = client(URI.create("http://127.0.0.1:" + proxy.port()), 1, 2)) {
            c.head("stream", "ball");
            proxy.cutAnswersAfter(100_000, Integer.MAX_VALUE);
            IOException e = assertThrows(IOException.class, () -> {
                try (InputStream in = c.openStream("stream", "ball")) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            });
            assertTrue(e.getMessage().contains("broke off"), e.getMessage());
        }
    }
}

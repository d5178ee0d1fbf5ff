package org.mictlanx.compat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.compat.TwoRouters;
import org.mictlanx.sdk.MictlanX;
import org.mictlanx.sdk.PutOptions;
import org.mictlanx.sdk.PutResult;
import org.mictlanx.sdk.RetryPolicy;
import org.mictlanx.server.MictlanXServer;

/** Two real routers in front of the same HTTP peers; one is stopped in the middle of an SDK put. */
class SdkTwoRoutersCompatTest {

    static final int MIB = 1 << 20;
    static final String AK = "AKIASDKTWOROUTERS001";
    static final String SK = "sdk/two/routers/secret/0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void routerStoppedMidPutThePutSucceedsThroughTheOther() throws Exception {
        byte[] data = new byte[30 * MIB];
        new Random(21).nextBytes(data);
        AtomicBoolean stopped = new AtomicBoolean();
        try (TwoRouters routers = TwoRouters.start(dir, "sp", AK, SK);
             MictlanX sdk = MictlanX.builder().router(routers.a().endpoint()).router(routers.b().endpoint()).credentials(AK, SK)
                     .partSize(5 * MIB).parallelism(2)
                     .retry(new RetryPolicy(6, Duration.ofMillis(10), Duration.ofMillis(200))).build()) {
            MictlanXServer a = routers.a();
            sdk.createBucket("shared");
            PutResult r = sdk.put("shared", "ball", data, PutOptions.DEFAULT.withProgress((done, total) -> {
                if (done >= 10 * MIB && stopped.compareAndSet(false, true)) {
                    a.close();
                }
            }));
            assertTrue(stopped.get());
            assertEquals(6, r.parts());
            assertArrayEquals(data, sdk.get("shared", "ball"));
        }
    }
}

package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.crypto.BuiltInKeyService;
import org.mictlanx.router.crypto.KeyService;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.router.fake.TestCluster;

/**
 * The AWS managed key {@code aws/s3} created by two routers at the same moment in the middle of a
 * master key rotation (one router already has the new master key as current, the other not: the
 * material each would derive differs): exactly one key exists and both routers use it.
 */
class ManagedKeyRaceTest {

    private final TestCluster cluster = new TestCluster(3);

    @AfterEach
    void close() {
        cluster.close();
    }

    private Router router(MasterKeys keys) {
        return Router.builder().peers(cluster.peers).masterKeys(keys).config(TestCluster.config(
                java.time.Duration.ofSeconds(2), java.time.Duration.ofHours(1))).background(false).build();
    }

    @Test
    void twoRoutersCreatingTheManagedKeyMidRotationEndWithOneKey() throws Exception {
        byte[] k1 = cluster.keys.key("k1").getEncoded();
        byte[] k2 = new byte[32];
        new SecureRandom().nextBytes(k2);
        String b1 = Base64.getEncoder().encodeToString(k1);
        String b2 = Base64.getEncoder().encodeToString(k2);
        MasterKeys oldCurrent = MasterKeys.parse("k2:" + b2 + ",k1:" + b1);
        MasterKeys newCurrent = MasterKeys.parse("k1:" + b1 + ",k2:" + b2);
        for (int round = 0; round < 4; round++) {
            try (Router a = router(oldCurrent); Router b = router(newCurrent)) {
                // each round starts without the key (routers are fresh: nothing cached)
                a.metaTable().delete(BuiltInKeyService.PARTITION, BuiltInKeyService.MANAGED_ID);
                CyclicBarrier start = new CyclicBarrier(2);
                // one thread each (the common pool may have a single worker on a small machine)
                CompletableFuture<KeyService.KeyVersion> fromA = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return a.keyService().orElseThrow().defaultKey();
                }, r -> Thread.ofVirtual().start(r));
                CompletableFuture<KeyService.KeyVersion> fromB = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return b.keyService().orElseThrow().defaultKey();
                }, r -> Thread.ofVirtual().start(r));
                KeyService.KeyVersion va = fromA.get(60, TimeUnit.SECONDS);
                KeyService.KeyVersion vb = fromB.get(60, TimeUnit.SECONDS);
                assertEquals(1, va.version());
                assertEquals(1, vb.version());
                assertArrayEquals(va.material().getEncoded(), vb.material().getEncoded(),
                        "round " + round + ": both routers use the one managed key");
                try (Router c = router(newCurrent)) {
                    BuiltInKeyService.KeyRecord stored = ((BuiltInKeyService) c.keyService().orElseThrow())
                            .describe(BuiltInKeyService.MANAGED_ID).orElseThrow();
                    assertEquals(1, stored.versions().size());
                    assertArrayEquals(va.material().getEncoded(),
                            c.keyService().orElseThrow().material(BuiltInKeyService.MANAGED_ID, 1).material().getEncoded(),
                            "round " + round + ": what is stored is what both answered");
                }
            }
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.router.fake.TestCluster.await;
import static org.mictlanx.router.fake.TestCluster.put;
import static org.mictlanx.router.fake.TestCluster.readAll;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.fake.FaultyPeer;
import org.mictlanx.router.fake.TestCluster;

/**
 * Listing pages over the replicated table: a page of 1000 keys (asked as 1001, to know whether it is
 * truncated) costs one scan round per replica, pages walk the bucket exactly (tombstones skipped,
 * truncation exact), inline bodies come back whole, and with N = 3 a lagging replica's missing or older
 * records never show and are read-repaired by the listing.
 */
class RouterListingTest {

    private TestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) cluster.close();
    }

    private Router start(int peers) {
        cluster = new TestCluster(peers);
        Router router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1))
                .withMultipart(RouterConfig.DEFAULT_UPLOAD_EXPIRY, 0).withInlineMax(8 << 10));
        router.createBucket("lst", "o", "r");
        return router;
    }

    private static String key(int i) {
        return String.format("k/%05d", i);
    }

    private static byte[] body(int i, int generation) {
        return ("ball " + i + " generation " + generation).repeat(3).getBytes(StandardCharsets.UTF_8);
    }

    /** Every live ball, page by page of {@code limit}; checks that only the last page is not truncated. */
    private static List<BallInfo> walk(Router router, int limit) {
        List<BallInfo> all = new ArrayList<>();
        String after = null;
        while (true) {
            BallPage page = router.listBalls("lst", null, after, limit);
            all.addAll(page.balls());
            if (!page.truncated()) return all;
            assertEquals(limit, page.balls().size(), "a truncated page is full");
            after = page.balls().getLast().key();
        }
    }

    @Test
    void onePeerPagesAreOneScanRoundAndWalkTheBucketExactly() {
        Router router = start(1);
        FaultyPeer peer = cluster.peers.get(0);
        Map<String, byte[]> live = new LinkedHashMap<>();
        for (int i = 0; i < 2_500; i++) {
            put(router, "lst", key(i), body(i, 0));
            live.put(key(i), body(i, 0));
        }
        for (int i = 1_100; i < 2_500; i += 50) {
            assertTrue(router.deleteBall("lst", key(i)));
            live.remove(key(i));
        }
        long before = peer.scans("lst");
        BallPage first = router.listBalls("lst", null, null, 1001);
        assertEquals(1, peer.scans("lst") - before, "a listing page of 1000 (+1) is one scan round");
        assertEquals(1001, first.balls().size());
        assertTrue(first.truncated());

        for (int limit : new int[] {1000, 1001, 7}) {
            List<BallInfo> listed = walk(router, limit);
            assertEquals(List.copyOf(live.keySet()), listed.stream().map(BallInfo::key).toList(), "limit " + limit);
        }
        // exactly the rest: not truncated
        List<String> keys = List.copyOf(live.keySet());
        BallPage rest = router.listBalls("lst", null, keys.get(keys.size() - 1001), 1000);
        assertEquals(1000, rest.balls().size());
        assertFalse(rest.truncated());
        // the listed layout is the whole ball: its inline body reads back
        for (BallInfo b : router.listBalls("lst", null, key(2_000), 20).balls()) {
            assertArrayEquals(live.get(b.key()), readAll(router, b, 0, -1), b.key());
        }
    }

    @Test
    void threePeersListingNeverShowsALaggingReplicasStateAndRepairsIt() {
        Router router = start(3);
        FaultyPeer p1 = cluster.peers.get(1);
        FaultyPeer p2 = cluster.peers.get(2);
        Map<String, String> etags = new LinkedHashMap<>();
        for (int i = 0; i < 1_200; i++) {
            p2.down(i >= 400 && i < 700); // p2 misses these balls (W = 2 of 3)
            if (i == 400 || i == 700) router.probeNow();
            etags.put(key(i), put(router, "lst", key(i), body(i, 0)).etag());
        }
        p1.down(true); // p1 keeps the older generation of these
        router.probeNow();
        for (int i = 100; i < 200; i++) etags.put(key(i), put(router, "lst", key(i), body(i, 1)).etag());
        p1.down(false);
        router.probeNow();
        assertTrue(p2.storedRecord("lst", key(500)).isEmpty());
        assertFalse(p1.storedRecord("lst", key(150)).equals(cluster.peers.get(0).storedRecord("lst", key(150))));

        for (int limit : new int[] {1000, 1001, 13}) {
            Map<String, String> listed = new LinkedHashMap<>();
            for (BallInfo b : walk(router, limit)) listed.put(b.key(), b.etag());
            assertEquals(etags, listed, "limit " + limit);
        }
        await("the listing's read repair converges the replicas", () -> {
            walk(router, 1000);
            for (String k : etags.keySet()) {
                Optional<MetaRecord> r0 = cluster.peers.get(0).storedRecord("lst", k);
                if (!r0.equals(p1.storedRecord("lst", k)) || !r0.equals(p2.storedRecord("lst", k))) return false;
            }
            return true;
        });
    }
}

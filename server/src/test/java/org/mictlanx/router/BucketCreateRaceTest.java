package org.mictlanx.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.router.crypto.MasterKeys;

/** CreateBucket through two routers over the same three RocksDB peers at the same moment: exactly one creator wins. */
class BucketCreateRaceTest {

    @TempDir
    Path dir;

    private final List<LocalPeer> peers = new ArrayList<>();
    private final List<Router> routers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        routers.forEach(Router::close);
        peers.forEach(LocalPeer::close);
    }

    @Test
    void racingCreatesThroughTwoRoutersHaveExactlyOneWinner() throws Exception {
        for (int i = 0; i < 3; i++) {
            peers.add(LocalPeer.open(PeerConfig.builder("p" + i).dataDir(dir.resolve("p" + i)).diskReserveBytes(0)
                    .scrubBytesPerSecond(0).build()));
        }
        MasterKeys keys = MasterKeys.random("k1");
        for (int i = 0; i < 2; i++) routers.add(Router.builder().peers(peers).masterKeys(keys).background(false).build());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 25; round++) {
                String name = "race-" + round;
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<String>> outcomes = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    Router router = routers.get(r);
                    String owner = "owner-" + r;
                    outcomes.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        try {
                            router.createBucket(name, owner, "us-east-1");
                            return "won:" + owner;
                        } catch (RouterException e) {
                            return e.kind().name();
                        }
                    }));
                }
                List<String> results = new ArrayList<>();
                for (Future<String> f : outcomes) results.add(f.get(60, TimeUnit.SECONDS));
                List<String> winners = results.stream().filter(s -> s.startsWith("won:")).toList();
                assertEquals(1, winners.size(), name + ": " + results);
                assertEquals(1, results.stream().filter(s -> s.equals("BUCKET_EXISTS")).count(), name + ": " + results);
                String owner = winners.get(0).substring(4);
                for (Router router : routers) {
                    assertEquals(owner, router.listBuckets().stream().filter(b -> b.name().equals(name)).findFirst()
                            .orElseThrow().owner(), "the winner owns " + name);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

package org.mictlanx.router.contract;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.router.Router;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.router.fake.TestCluster;

/**
 * The real store for contract tests: a router without background threads over three in-process
 * RocksDB peers in {@code dir}, 64 KiB chunks (balls go through chunk peers, not inline), and a
 * minimum part size of {@code minPartSize}.
 */
final class RocksRouter implements AutoCloseable {

    private final List<LocalPeer> peers = new ArrayList<>();
    final Router router;

    RocksRouter(Path dir, long minPartSize) {
        for (int i = 0; i < 3; i++) {
            peers.add(LocalPeer.open(PeerConfig.builder("p" + i).dataDir(dir.resolve("p" + i)).diskReserveBytes(0)
                    .scrubBytesPerSecond(0).build()));
        }
        router = Router.builder().peers(peers).masterKeys(MasterKeys.random("k1"))
                .config(TestCluster.config(Duration.ofSeconds(10), Duration.ofHours(1))
                        .withMultipart(Duration.ofDays(7), minPartSize))
                .background(false).build();
    }

    @Override
    public void close() {
        router.close();
        peers.forEach(LocalPeer::close);
    }
}

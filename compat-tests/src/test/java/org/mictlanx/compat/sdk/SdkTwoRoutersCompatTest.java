package org.mictlanx.compat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.testing.HttpPeerFixture;
import org.mictlanx.sdk.MictlanX;
import org.mictlanx.sdk.PutOptions;
import org.mictlanx.sdk.PutResult;
import org.mictlanx.sdk.RetryPolicy;
import org.mictlanx.server.MictlanXServer;
import org.mictlanx.server.Settings;

/** Two real routers in front of the same HTTP peers; one is stopped in the middle of an SDK put. */
class SdkTwoRoutersCompatTest {

    static final int MIB = 1 << 20;
    static final String AK = "AKIASDKTWOROUTERS001";
    static final String SK = "sdk/two/routers/secret/0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void routerStoppedMidPutThePutSucceedsThroughTheOther() throws Exception {
        List<HttpPeerFixture> peers = new ArrayList<>();
        try {
            StringBuilder urls = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                HttpPeerFixture p = HttpPeerFixture.start(PeerConfig.builder("sp" + i).dataDir(dir.resolve("sp" + i)).build());
                peers.add(p);
                urls.append(i > 1 ? "," : "").append("sp").append(i).append('=').append(p.uri());
            }
            Map<String, String> env = Map.of("MICTLANX_CLUSTER_SECRET", HttpPeerFixture.SECRET,
                    "MICTLANX_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                    "MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK, "MICTLANX_PEER_URLS", urls.toString());
            Files.createDirectories(dir.resolve("ra"));
            Files.createDirectories(dir.resolve("rb"));
            byte[] data = new byte[30 * MIB];
            new Random(21).nextBytes(data);
            AtomicBoolean stopped = new AtomicBoolean();
            try (MictlanXServer a = MictlanXServer.server(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                    "--data", dir.resolve("ra").toString()}, env));
                 MictlanXServer b = MictlanXServer.server(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                         "--data", dir.resolve("rb").toString()}, env));
                 MictlanX sdk = MictlanX.builder().router(a.endpoint()).router(b.endpoint()).credentials(AK, SK)
                         .partSize(5 * MIB).parallelism(2)
                         .retry(new RetryPolicy(6, Duration.ofMillis(10), Duration.ofMillis(200))).build()) {
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
        } finally {
            peers.forEach(HttpPeerFixture::close);
        }
    }
}

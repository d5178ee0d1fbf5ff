package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.testing.HttpPeerFixture;
import org.mictlanx.server.MictlanXServer;
import org.mictlanx.server.Settings;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The two-routers fixture: three real HTTP peers (in-process, each with its own RocksDB under
 * {@code dir}) and two real server-role routers {@link #a()} and {@link #b()} over them, sharing the
 * cluster secret, the master key and the root credentials, each on an ephemeral loopback port with
 * its own data directory. {@link #close()} stops both routers, then the peers, whatever fails.
 */
public final class TwoRouters implements AutoCloseable {

    private final List<HttpPeerFixture> peers;
    private final List<MictlanXServer> routers;

    private TwoRouters(List<HttpPeerFixture> peers, List<MictlanXServer> routers) {
        this.peers = peers;
        this.routers = routers;
    }

    /**
     * Starts the peers {@code <peerPrefix>1..3} and the routers, all under {@code dir}; root signs with
     * {@code accessKey}/{@code secretKey}.
     */
    public static TwoRouters start(Path dir, String peerPrefix, String accessKey, String secretKey) throws Exception {
        List<HttpPeerFixture> peers = new ArrayList<>();
        List<MictlanXServer> routers = new ArrayList<>();
        try {
            StringBuilder urls = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                String id = peerPrefix + i;
                HttpPeerFixture p = HttpPeerFixture.start(PeerConfig.builder(id).dataDir(dir.resolve(id)).build());
                peers.add(p);
                urls.append(i > 1 ? "," : "").append(id).append('=').append(p.uri());
            }
            Map<String, String> env = Map.of("MICTLANX_CLUSTER_SECRET", HttpPeerFixture.SECRET,
                    "MICTLANX_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                    "MICTLANX_ACCESS_KEY", accessKey, "MICTLANX_SECRET_KEY", secretKey, "MICTLANX_PEER_URLS", urls.toString());
            for (String name : List.of("ra", "rb")) {
                Files.createDirectories(dir.resolve(name));
                routers.add(MictlanXServer.server(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                        "--data", dir.resolve(name).toString()}, env)));
            }
            return new TwoRouters(peers, routers);
        } catch (Exception | Error e) {
            new TwoRouters(peers, routers).close();
            throw e;
        }
    }

    /** The first router. */
    public MictlanXServer a() {
        return routers.get(0);
    }

    /** The second router. */
    public MictlanXServer b() {
        return routers.get(1);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = routers.size() - 1; i >= 0; i--) {
            try {
                routers.get(i).close();
            } catch (Exception e) {
                if (failure == null) failure = new IllegalStateException("closing a router", e);
                else failure.addSuppressed(e);
            }
        }
        peers.forEach(HttpPeerFixture::close);
        if (failure != null) {
            throw failure;
        }
    }

    /** An AWS SDK v2 client of {@code router} signing with {@code ak}/{@code sk}, path-style. */
    public static S3Client client(MictlanXServer router, String ak, String sk) {
        return S3Client.builder().endpointOverride(router.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ak, sk))).build();
    }

    /** The S3 error code of a call, or "OK". */
    public static String outcome(Runnable call) {
        try {
            call.run();
            return "OK";
        } catch (S3Exception e) {
            return e.awsErrorDetails().errorCode();
        }
    }

    /**
     * Waits until {@code call} yields {@code expected}, and checks it did within {@code bound} (a cache
     * bound) plus 3 s of scheduling slack for a loaded CI machine; gives up after the bound plus 10 s.
     */
    public static void withinTheBound(Duration bound, String expected, Supplier<String> call) {
        long start = System.nanoTime();
        long deadline = start + bound.plusSeconds(10).toNanos();
        String last;
        do {
            last = call.get();
            if (last.equals(expected)) break;
            LockSupport.parkNanos(50_000_000L);
        } while (System.nanoTime() < deadline);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(expected, last, "still " + last + " after " + took);
        assertTrue(took.compareTo(bound.plusSeconds(3)) <= 0, "took " + took + ", bound " + bound);
    }
}

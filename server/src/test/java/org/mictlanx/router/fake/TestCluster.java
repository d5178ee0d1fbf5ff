package org.mictlanx.router.fake;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.Digest;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.crypto.MasterKeys;

/** Fault-injecting peers plus routers over them, for router tests. Chunks are small (64 KiB). */
public final class TestCluster implements AutoCloseable {

    public static final int CHUNK = 64 * 1024;

    public final List<FaultyPeer> peers = new ArrayList<>();
    public final MasterKeys keys = MasterKeys.random("k1");
    private final List<Router> routers = new ArrayList<>();

    public TestCluster(int n) {
        for (int i = 0; i < n; i++) peers.add(new FaultyPeer("p" + i));
    }

    public static RouterConfig config(Duration callTimeout, Duration gcGrace) {
        return RouterConfig.builder().chunkSize(CHUNK).callTimeout(callTimeout).gcGrace(gcGrace)
                .repairBytesPerSecond(1L << 30)
                .inlineMaxBytes(0).build(); // chunk paths; inline balls have their own tests
    }

    /** A router without background threads (tests trigger repair and GC). */
    public Router router() {
        return router(config(Duration.ofSeconds(2), Duration.ofHours(1)));
    }

    public Router router(RouterConfig config) {
        return router(config, java.time.Clock.systemUTC());
    }

    /** A router without background threads whose record versions, ids and GC ages use {@code clock}. */
    public Router router(RouterConfig config, java.time.Clock clock) {
        Router r = Router.builder().peers(peers).masterKeys(keys).config(config).clock(clock).background(false).build();
        routers.add(r);
        return r;
    }

    public static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static PutBall put(String bucket, String key, long length) {
        return new PutBall(bucket, key, length, Map.of("content-type", "application/octet-stream"),
                Map.of("color", "blue"), Set.of(Digest.CRC32C), null);
    }

    public static BallInfo put(Router r, String bucket, String key, byte[] data) {
        return r.putBall(put(bucket, key, data.length), new ByteArrayInputStream(data));
    }

    public static byte[] readAll(Router r, BallInfo b, long off, long len) {
        try (InputStream in = r.openBall(b, off, len)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] get(Router r, String bucket, String key) {
        return readAll(r, r.headBall(bucket, key).orElseThrow(), 0, -1);
    }

    /** How many peers hold the chunk. */
    public int replicas(String chunkId) {
        return (int) peers.stream().filter(p -> p.hasChunk(chunkId)).count();
    }

    public long totalChunks() {
        return peers.stream().mapToLong(p -> p.chunkBytes().size()).sum();
    }

    /**
     * Waits until every chunk replica write started by this cluster's routers has finished. A put returns
     * at its write quorum (W of N); the remaining replica writes land after it, on other threads (each
     * sealed chunk stays reserved in its router's buffer budget until all its replica writes finish).
     * Call it before counting chunk copies, or picking a peer's copy, right after a write.
     */
    public void awaitChunkWrites() {
        for (Router r : routers) awaitChunkWrites(r);
    }

    /** As {@link #awaitChunkWrites()}, for one router (built here or not). */
    public static void awaitChunkWrites(Router r) {
        await("every chunk replica write of the puts so far has finished", () -> r.bufferBudget().used() == 0);
    }

    /** Waits for a condition with a deadline (never a fixed sleep). */
    public static void await(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // generous: CI machines can be loaded
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Override
    public void close() {
        for (Router r : routers) r.close();
        for (FaultyPeer p : peers) p.releaseHangs();
    }
}

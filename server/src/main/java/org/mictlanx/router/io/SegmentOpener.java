package org.mictlanx.router.io;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.Executor;
import javax.crypto.SecretKey;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.Redundancy;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.crypto.ChunkCipher;
import org.mictlanx.router.crypto.CustomerKey;
import org.mictlanx.router.crypto.SegmentKeys;
import org.mictlanx.router.meta.Segment;

/**
 * Opens the new segment of a put or of an uploaded part, the one way both do it: its replica count
 * (the bucket's, as reduced by the redundancy asked, at most the active peers and at least 1) and
 * write quorum, a fresh segment id ({@link #newId}), and a fresh data key wrapped under the current
 * master key or the customer's key; and the writer of its chunks ({@link #writer}), or its sealed
 * inline form ({@link #inline}).
 */
public final class SegmentOpener {

    /** A segment about to be written: id, N and W, the data key and its wrap. */
    record Opened(String id, int replication, int writeQuorum, SecretKey dataKey, String keyId, byte[] wrappedKey) {

        /** This segment once {@code size} bytes are written to it, in chunks of {@code chunkSize} bytes. */
        Segment segment(long size, int chunkSize) {
            return new Segment(id, size, chunkSize, replication, keyId, wrappedKey);
        }
    }

    private final PeerPool pool;
    private final RouterConfig config;
    private final ChunkCipher cipher;
    private final SegmentKeys segmentKeys;
    private final Clock clock;
    private final ChunkIo chunks;
    private final BufferBudget budget;
    private final RepairReports repairs;
    private final Executor executor;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param pool    the active peers bound a new segment's replica count
     * @param config  write quorums, chunk size and chunks in flight of the writers
     * @param chunks  the writers' chunk writes and releases
     * @param budget  the writers' chunk buffers are reserved from it
     * @param repairs told of chunks that missed replicas once their ball is committed
     * @param executor sends the release of an abandoned write's chunks
     */
    public SegmentOpener(PeerPool pool, RouterConfig config, ChunkCipher cipher, SegmentKeys segmentKeys, Clock clock,
                         ChunkIo chunks, BufferBudget budget, RepairReports repairs, Executor executor) {
        this.pool = pool;
        this.config = config;
        this.cipher = cipher;
        this.segmentKeys = segmentKeys;
        this.clock = clock;
        this.chunks = chunks;
        this.budget = budget;
        this.repairs = repairs;
        this.executor = executor;
    }

    /** The writer of {@code opened}'s chunks. */
    BallWriter writer(Opened opened) {
        return new BallWriter(chunks, cipher, budget, repairs, executor, config.chunkSize(), config.inFlightChunks(),
                opened.id(), opened.dataKey(), opened.replication(), opened.writeQuorum());
    }

    /** {@code opened} as an inline segment holding {@code plain}, sealed as its chunk 0. */
    Segment inline(Opened opened, byte[] plain) {
        byte[] sealed = cipher.encrypt(opened.dataKey(), opened.id(), 0, plain, 0, plain.length);
        return new Segment(opened.id(), plain.length, config.chunkSize(), opened.replication(), opened.keyId(),
                opened.wrappedKey(), sealed);
    }

    /** A new segment for {@code bucket} at {@code redundancy}, its key wrapped for {@code customerKey} (null: master key). */
    Opened open(BucketInfo bucket, Redundancy redundancy, CustomerKey customerKey) {
        int n = redundancy.replicas(Math.max(1, Math.min(bucket.replication(), pool.view().activeCount())));
        String id = newId();
        SecretKey dataKey = cipher.newDataKey();
        SegmentKeys.Wrapped wrap = segmentKeys.wrap(id, dataKey, customerKey);
        return new Opened(id, n, config.writeQuorumFor(n), dataKey, wrap.keyId(), wrap.wrappedKey());
    }

    /** A new segment or ball id: 12 hex digits of the current millis, 12 random hex digits. */
    public String newId() {
        byte[] r = new byte[6];
        random.nextBytes(r);
        return String.format("%012x", clock.millis()) + HexFormat.of().formatHex(r);
    }
}

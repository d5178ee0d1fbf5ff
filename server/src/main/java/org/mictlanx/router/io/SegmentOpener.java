package org.mictlanx.router.io;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
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
 * master key or the customer's key.
 */
public final class SegmentOpener {

    /** A segment about to be written: id, N and W, the data key and its wrap. */
    record Opened(String id, int replication, int writeQuorum, SecretKey dataKey, String keyId, byte[] wrappedKey) {

        /** The writer of this segment's chunks. */
        BallWriter writer(ChunkIo io) {
            return new BallWriter(io, id, dataKey, replication, writeQuorum);
        }

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
    private final SecureRandom random = new SecureRandom();

    public SegmentOpener(PeerPool pool, RouterConfig config, ChunkCipher cipher, SegmentKeys segmentKeys, Clock clock) {
        this.pool = pool;
        this.config = config;
        this.cipher = cipher;
        this.segmentKeys = segmentKeys;
        this.clock = clock;
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

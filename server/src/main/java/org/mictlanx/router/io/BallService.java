package org.mictlanx.router.io;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallPage;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.router.meta.ReplicatedTable;

/**
 * Put, read, delete and list of balls. The commit order makes a put atomic: chunks (write
 * quorum each) → verifier → reference record (ball id → bucket/key, quorum) → ball record
 * (quorum). Until the ball record is committed nothing refers to the chunks, and GC removes them
 * after its grace period if the put never commits.
 */
public final class BallService {

    private final ChunkIo io;
    private final ReplicatedTable table;
    private final BucketService buckets;
    private final SecureRandom random = new SecureRandom();

    public BallService(ChunkIo io, ReplicatedTable table, BucketService buckets) {
        this.io = io;
        this.table = table;
        this.buckets = buckets;
    }

    public BallInfo put(PutBall req, InputStream body) {
        requireKey(req.key());
        if (req.length() < -1) throw new RouterException(RouterException.Kind.BAD_REQUEST, "negative length");
        BucketInfo bucket = buckets.require(req.bucket());
        int activePeers = io.pool().view().activeCount();
        int n = Math.max(1, Math.min(bucket.replication(), activePeers));
        int w = io.config().writeQuorumFor(n);
        String ballId = newBallId();
        SecretKey dataKey = io.cipher().newDataKey();
        String keyId = io.keys().currentId();
        byte[] wrapped = io.cipher().wrap(io.keys(), keyId, ballId, dataKey);
        BallWriter writer = new BallWriter(io, ballId, dataKey, n, w);
        BallWriter.Written written = writer.write(body, req.length(), req.digests());
        BallRecord ball = new BallRecord(ballId, written.size(), io.config().chunkSize(), n, System.currentTimeMillis(),
                keyId, wrapped, req.headers(), req.userMetadata(), written.digests());
        try {
            req.verifier().verify(java.util.Collections.unmodifiableMap(written.digests()));
        } catch (RuntimeException | Error e) {
            writer.release();
            throw e;
        }
        Optional<MetaRecord> old;
        try {
            old = table.read(req.bucket(), req.key());
            table.write(new MetaRecord(Partitions.ref(ballId), ballId, table.nextVersion(), false, refValue(req.bucket(), req.key())));
        } catch (RuntimeException e) {
            writer.release();
            throw e;
        }
        // From here a partial metadata write may become visible later (read repair), so the chunks
        // are not released on failure: GC decides once the grace period has passed.
        long version = table.nextVersion();
        table.write(new MetaRecord(req.bucket(), req.key(), version, false, ball.encode()));
        writer.committed(req.bucket(), req.key(), ball);
        old.filter(r -> !r.tombstone()).ifPresent(r -> releaseOld(BallRecord.decode(r.value())));
        return ball.toInfo(req.bucket(), req.key(), version);
    }

    public Optional<BallInfo> head(String bucket, String key) {
        requireKey(key);
        buckets.require(bucket);
        return table.read(bucket, key).filter(r -> !r.tombstone())
                .map(r -> BallRecord.decode(r.value()).toInfo(bucket, key, r.version()));
    }

    public InputStream open(BallInfo info, long offset, long length) {
        if (!(info.layout() instanceof BallRecord ball)) {
            throw new RouterException(RouterException.Kind.BAD_REQUEST, "ball info not issued by this router");
        }
        return new BallReader(io, info.bucket(), info.key(), ball, offset, length);
    }

    public boolean delete(String bucket, String key) {
        requireKey(key);
        buckets.require(bucket);
        Optional<MetaRecord> old = table.read(bucket, key);
        if (old.isEmpty() || old.get().tombstone()) return false;
        table.write(MetaRecord.tombstone(bucket, key, table.nextVersion()));
        releaseOld(BallRecord.decode(old.get().value()));
        return true;
    }

    public BallPage list(String bucket, String prefix, String startAfter, int limit) {
        if (limit < 0) throw new RouterException(RouterException.Kind.BAD_REQUEST, "negative limit");
        buckets.require(bucket);
        ReplicatedTable.Page page = table.scan(bucket, prefix, startAfter, limit, false);
        List<BallInfo> balls = new ArrayList<>();
        for (MetaRecord r : page.records()) balls.add(BallRecord.decode(r.value()).toInfo(bucket, r.sortKey(), r.version()));
        return new BallPage(balls, page.more());
    }

    /** Any live ball in the bucket? (for bucket deletion) */
    public boolean isEmpty(String bucket) {
        return table.scan(bucket, null, null, 1, false).records().isEmpty();
    }

    private void releaseOld(BallRecord old) {
        io.executor().execute(() -> {
            io.release(old.ballId(), old.chunkCount(), old.replication());
            try {
                table.write(MetaRecord.tombstone(Partitions.ref(old.ballId()), old.ballId(), table.nextVersion()));
            } catch (RuntimeException e) {
                // GC still sees the ball record no longer points at this ball id
            }
        });
    }

    static byte[] refValue(String bucket, String key) {
        return (bucket + "\n" + key).getBytes(StandardCharsets.UTF_8);
    }

    /** Bucket and key of a reference record value. */
    public static String[] parseRef(byte[] value) {
        String s = new String(value, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        return new String[] {s.substring(0, nl), s.substring(nl + 1)};
    }

    private String newBallId() {
        byte[] r = new byte[6];
        random.nextBytes(r);
        return String.format("%012x", System.currentTimeMillis()) + HexFormat.of().formatHex(r);
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) throw new RouterException(RouterException.Kind.BAD_REQUEST, "empty key");
    }
}

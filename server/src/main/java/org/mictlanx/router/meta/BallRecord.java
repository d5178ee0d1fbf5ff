package org.mictlanx.router.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallLayout;
import org.mictlanx.router.Digest;

/**
 * The router's description of a committed ball, stored as the value of record (bucket, key).
 * Chunk {@code i} has id {@code ballId + "." + i} and holds plaintext bytes
 * {@code [i * chunkSize, min(size, (i+1) * chunkSize))}; its replicas live where placement puts the
 * chunk id (repair keeps them there), so the record stays small whatever the ball size.
 *
 * @param ballId     unique per put: 12 hex digits of creation millis, then 12 random hex digits
 * @param keyId      id of the master key that wrapped {@code wrappedKey}
 * @param wrappedKey the ball's data key, wrapped (see {@code ChunkCipher})
 */
public record BallRecord(String ballId, long size, int chunkSize, int replication, long createdMillis,
                         String keyId, byte[] wrappedKey, Map<String, String> headers,
                         Map<String, String> userMetadata, Map<Digest, byte[]> digests) implements BallLayout {

    private static final int FORMAT = 1;

    public long chunkCount() {
        return size == 0 ? 0 : (size + chunkSize - 1) / chunkSize;
    }

    public String chunkId(long index) {
        return chunkId(ballId, index);
    }

    public static String chunkId(String ballId, long index) {
        return ballId + "." + index;
    }

    /** Plaintext length of chunk {@code index}. */
    public int chunkLength(long index) {
        return (int) Math.min(chunkSize, size - index * chunkSize);
    }

    public byte[] encode() {
        Bin.Out out = new Bin.Out().u8(FORMAT).str(ballId).i64(size).i32(chunkSize).i32(replication)
                .i64(createdMillis).str(keyId).bytes(wrappedKey).map(headers).map(userMetadata).i32(digests.size());
        digests.forEach((d, v) -> out.str(d.name()).bytes(v));
        return out.toBytes();
    }

    public static BallRecord decode(byte[] value) {
        try {
            Bin.In in = new Bin.In(value);
            if (in.u8() != FORMAT) throw new IOException("unknown ball record format");
            String ballId = in.str();
            long size = in.i64();
            int chunkSize = in.i32();
            int replication = in.i32();
            long created = in.i64();
            String keyId = in.str();
            byte[] wrapped = in.bytes();
            Map<String, String> headers = in.map();
            Map<String, String> meta = in.map();
            int nd = in.i32();
            Map<Digest, byte[]> digests = new EnumMap<>(Digest.class);
            for (int i = 0; i < nd; i++) digests.put(Digest.valueOf(in.str()), in.bytes());
            return new BallRecord(ballId, size, chunkSize, replication, created, keyId, wrapped, headers, meta, digests);
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("corrupt ball record", e instanceof IOException io ? io : new IOException(e));
        }
    }

    public BallInfo toInfo(String bucket, String key, long version) {
        byte[] md5 = digests.get(Digest.MD5);
        return new BallInfo(bucket, key, size, md5 == null ? "" : HexFormat.of().formatHex(md5),
                Instant.ofEpochMilli(HybridClock.millis(version)), headers, userMetadata, digests, version, this);
    }

    /** Creation millis encoded in a ball id, or -1 when {@code ballId} is not one of ours. */
    public static long ballIdMillis(String ballId) {
        if (ballId.length() != 24) return -1;
        try {
            return Long.parseLong(ballId, 0, 12, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The ball id of a chunk id, or null when it is not one of ours. */
    public static String ballIdOfChunk(String chunkId) {
        int dot = chunkId.indexOf('.');
        if (dot != 24) return null;
        String ballId = chunkId.substring(0, dot);
        return ballIdMillis(ballId) >= 0 ? ballId : null;
    }

    /** The chunk index of a chunk id, or -1. */
    public static long indexOfChunk(String chunkId) {
        int dot = chunkId.indexOf('.');
        try {
            return dot < 0 ? -1 : Long.parseLong(chunkId.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

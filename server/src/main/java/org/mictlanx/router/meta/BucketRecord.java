package org.mictlanx.router.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.ObjectLockConfig;
import org.mictlanx.router.VersioningState;

/**
 * Encoding of a bucket record (partition {@code _mx.buckets}, sort key = bucket name).
 *
 * <p>Format 2 adds a revision (right after the format byte) and the bucket's tag set. A tag change
 * rewrites the record under the <em>same</em> record version with the next revision, as
 * {@link BallRecord#withTags} does: at equal versions the replicas' tie-break (greater value wins)
 * prefers the higher revision, while a delete or re-create, which always carries a higher version,
 * wins over it whatever the order of arrival. Format 1 records decode with no tags, revision 0.
 *
 * <p>Format 3 is format 2 followed by the versioning state (one byte, {@link VersioningState} ordinal)
 * and the object lock configuration ({@code [enabled u8][default mode, "" for none][days i32][years i32]});
 * it is written only once versioning was ever set, so unversioned buckets keep their older formats.
 */
public final class BucketRecord {

    private static final int FORMAT_V1 = 1;
    private static final int FORMAT_V2 = 2;
    private static final int FORMAT_V3 = 3;

    private BucketRecord() {
    }

    public static byte[] encode(BucketInfo b) {
        return encode(b, 0);
    }

    /**
     * The record of {@code b} at tag revision {@code revision}. A bucket that never had tags is written
     * in format 1, which routers that predate tags still read.
     */
    public static byte[] encode(BucketInfo b, long revision) {
        if (b.versioning() != VersioningState.OFF) {
            return new Bin.Out().u8(FORMAT_V3).i64(revision).str(b.owner()).str(b.region() == null ? "" : b.region())
                    .i64(b.created().toEpochMilli()).i32(b.replication()).map(b.tags()).u8(b.versioning().ordinal())
                    .u8(b.objectLock().enabled() ? 1 : 0)
                    .str(b.objectLock().defaultMode() == null ? "" : b.objectLock().defaultMode())
                    .i32(b.objectLock().days()).i32(b.objectLock().years()).toBytes();
        }
        if (revision == 0 && b.tags().isEmpty()) {
            return new Bin.Out().u8(FORMAT_V1).str(b.owner()).str(b.region() == null ? "" : b.region())
                    .i64(b.created().toEpochMilli()).i32(b.replication()).toBytes();
        }
        return new Bin.Out().u8(FORMAT_V2).i64(revision).str(b.owner()).str(b.region() == null ? "" : b.region())
                .i64(b.created().toEpochMilli()).i32(b.replication()).map(b.tags()).toBytes();
    }

    public static BucketInfo decode(String name, byte[] value) {
        try {
            Bin.In in = new Bin.In(value);
            int format = in.u8();
            if (format == FORMAT_V1) {
                return new BucketInfo(name, in.str(), in.str(), Instant.ofEpochMilli(in.i64()), in.i32());
            }
            if (format != FORMAT_V2 && format != FORMAT_V3) throw new IOException("unknown bucket record format " + format);
            in.i64();
            String owner = in.str();
            String region = in.str();
            Instant created = Instant.ofEpochMilli(in.i64());
            int replication = in.i32();
            Map<String, String> tags = in.map();
            if (format != FORMAT_V3) return new BucketInfo(name, owner, region, created, replication, tags);
            VersioningState versioning = VersioningState.values()[in.u8()];
            boolean lock = in.u8() == 1;
            String mode = in.str();
            ObjectLockConfig config = new ObjectLockConfig(lock, mode.isEmpty() ? null : mode, in.i32(), in.i32());
            return new BucketInfo(name, owner, region, created, replication, tags, versioning, config);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new UncheckedIOException("corrupt bucket record " + name, e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** The tag revision of an encoded record (0 for format 1). */
    public static long revision(byte[] value) {
        try {
            Bin.In in = new Bin.In(value);
            int format = in.u8();
            return format == FORMAT_V2 || format == FORMAT_V3 ? in.i64() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt bucket record", e);
        }
    }
}

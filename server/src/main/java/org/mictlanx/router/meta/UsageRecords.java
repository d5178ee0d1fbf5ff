package org.mictlanx.router.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The usage records of partition {@link #PARTITION}. Per bucket (sort keys start with the bucket
 * name and a NUL, which no bucket name contains): one base record ({@link Base}: the figures of the
 * last recount and the writer counters it already includes), one quota record, and one counter per
 * writer ({@link Writer}: the cumulative change one router process made, written only by it). The
 * usage of a bucket is {@code base + sum over writers (writer - base.asOf[writer])}.
 */
public final class UsageRecords {

    public static final String PARTITION = "_mx.usage";
    private static final int FORMAT = 1;

    private UsageRecords() {
    }

    /** Bytes of committed balls, their count, and bytes of parts of open multipart uploads. */
    public record Counts(long bytes, long objects, long uploadBytes) {
        public static final Counts ZERO = new Counts(0, 0, 0);

        public Counts plus(Counts o) {
            return new Counts(bytes + o.bytes, objects + o.objects, uploadBytes + o.uploadBytes);
        }

        public Counts minus(Counts o) {
            return new Counts(bytes - o.bytes, objects - o.objects, uploadBytes - o.uploadBytes);
        }

        /** Bytes a quota is checked against: balls and parts of open uploads. */
        public long bytesWithUploads() {
            return bytes + uploadBytes;
        }

        public boolean isZero() {
            return bytes == 0 && objects == 0 && uploadBytes == 0;
        }
    }

    /** A writer's cumulative counter and when it last wrote it. */
    public record Writer(Counts counts, long writtenMillis) {
        public byte[] encode() {
            return writeCounts(new Bin.Out().u8(FORMAT), counts).i64(writtenMillis).toBytes();
        }

        public static Writer decode(byte[] v) {
            try {
                Bin.In in = new Bin.In(v);
                format(in);
                return new Writer(readCounts(in), in.i64());
            } catch (IOException | RuntimeException e) {
                throw corrupt(e);
            }
        }
    }

    /** The figures of a recount and the writer counters (by writer id) they already include. */
    public record Base(Counts counts, long recountedMillis, Map<String, Counts> asOf) {
        public Base {
            asOf = Map.copyOf(asOf);
        }

        public byte[] encode() {
            Bin.Out out = writeCounts(new Bin.Out().u8(FORMAT), counts).i64(recountedMillis).i32(asOf.size());
            asOf.forEach((id, c) -> writeCounts(out.str(id), c));
            return out.toBytes();
        }

        public static Base decode(byte[] v) {
            try {
                Bin.In in = new Bin.In(v);
                format(in);
                Counts c = readCounts(in);
                long at = in.i64();
                int n = in.i32();
                Map<String, Counts> asOf = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) asOf.put(in.str(), readCounts(in));
                return new Base(c, at, asOf);
            } catch (IOException | RuntimeException e) {
                throw corrupt(e);
            }
        }
    }

    public static byte[] encodeQuota(long bytes) {
        return new Bin.Out().u8(FORMAT).i64(bytes).toBytes();
    }

    public static long decodeQuota(byte[] v) {
        try {
            Bin.In in = new Bin.In(v);
            format(in);
            return in.i64();
        } catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
    }

    /** Prefix of every usage record of {@code bucket}. */
    public static String prefix(String bucket) {
        return bucket + '\0';
    }

    public static String baseKey(String bucket) {
        return prefix(bucket) + "base";
    }

    public static String quotaKey(String bucket) {
        return prefix(bucket) + "quota";
    }

    public static String writerKey(String bucket, String writerId) {
        return prefix(bucket) + "w\0" + writerId;
    }

    /** The bucket a usage sort key belongs to. */
    public static String bucketOf(String sortKey) {
        return sortKey.substring(0, sortKey.indexOf('\0'));
    }

    /** The writer id of a writer sort key, or null for the base and quota records. */
    public static String writerOf(String sortKey) {
        String rest = sortKey.substring(sortKey.indexOf('\0') + 1);
        return rest.startsWith("w\0") ? rest.substring(2) : null;
    }

    public static boolean isBase(String sortKey) {
        return sortKey.endsWith("\0base");
    }

    public static boolean isQuota(String sortKey) {
        return sortKey.endsWith("\0quota");
    }

    private static Bin.Out writeCounts(Bin.Out out, Counts c) {
        return out.i64(c.bytes()).i64(c.objects()).i64(c.uploadBytes());
    }

    private static Counts readCounts(Bin.In in) throws IOException {
        return new Counts(in.i64(), in.i64(), in.i64());
    }

    private static void format(Bin.In in) throws IOException {
        if (in.u8() != FORMAT) throw new IOException("unknown usage record format");
    }

    private static UncheckedIOException corrupt(Exception e) {
        return new UncheckedIOException("corrupt usage record", e instanceof IOException io ? io : new IOException(e));
    }
}

package org.mictlanx.router.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.mictlanx.router.BucketInfo;

/** Encoding of a bucket record (partition {@code _mx.buckets}, sort key = bucket name). */
public final class BucketRecord {

    private static final int FORMAT = 1;

    private BucketRecord() {
    }

    public static byte[] encode(BucketInfo b) {
        return new Bin.Out().u8(FORMAT).str(b.owner()).str(b.region() == null ? "" : b.region())
                .i64(b.created().toEpochMilli()).i32(b.replication()).toBytes();
    }

    public static BucketInfo decode(String name, byte[] value) {
        try {
            Bin.In in = new Bin.In(value);
            if (in.u8() != FORMAT) throw new IOException("unknown bucket record format");
            return new BucketInfo(name, in.str(), in.str(), Instant.ofEpochMilli(in.i64()), in.i32());
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt bucket record " + name, e);
        }
    }
}

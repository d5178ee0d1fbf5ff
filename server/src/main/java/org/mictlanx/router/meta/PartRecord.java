package org.mictlanx.router.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mictlanx.router.Digest;
import org.mictlanx.router.PartInfo;

/**
 * One uploaded part: record (partsPartition(uploadId), {@link #sortKey(int)}). {@code partId} is
 * unique per upload of the part, so reference records can tell a replaced part from its successor.
 */
public record PartRecord(String partId, int partNumber, long size, String etag, long lastModifiedMillis,
                         Map<Digest, byte[]> digests, List<Slice> slices) {

    /** Format 2 carries inline segments (a part copied from a small ball); format 1 is still read. */
    private static final int FORMAT = 2;
    private static final int FORMAT_V1 = 1;

    public PartRecord {
        slices = List.copyOf(slices);
    }

    public static String sortKey(int partNumber) {
        return String.format("%05d", partNumber);
    }

    public byte[] encode() {
        Bin.Out out = new Bin.Out().u8(FORMAT).str(partId).i32(partNumber).i64(size).str(etag).i64(lastModifiedMillis);
        BallRecordCodec.writeDigests(out, digests);
        BallRecordCodec.writeSlices(out, slices, true);
        return out.toBytes();
    }

    public static PartRecord decode(byte[] v) {
        try {
            Bin.In in = new Bin.In(v);
            int format = in.u8();
            if (format != FORMAT && format != FORMAT_V1) throw new IOException("unknown part record format");
            return new PartRecord(in.str(), in.i32(), in.i64(), in.str(), in.i64(), BallRecordCodec.readDigests(in),
                    BallRecordCodec.readSlices(in, format == FORMAT));
        } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new UncheckedIOException("corrupt part record", e instanceof IOException io ? io : new IOException(e));
        }
    }

    public PartInfo toInfo() {
        return new PartInfo(partNumber, etag, size, Instant.ofEpochMilli(lastModifiedMillis), digests);
    }
}

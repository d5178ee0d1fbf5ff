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
 * {@code revision} orders rewrites of the same record (same metadata version): a master-key re-wrap
 * of an open upload's part takes the next revision and so wins over the record it was made from, and
 * loses to any newer write of the part (a replacement or a drop, which take a new version).
 */
public record PartRecord(String partId, int partNumber, long size, String etag, long lastModifiedMillis,
                         Map<Digest, byte[]> digests, List<Slice> slices, int revision) {

    /** Format 2 carries inline segments (a part copied from a small ball); format 1 is still read. */
    private static final int FORMAT = 2;
    private static final int FORMAT_V1 = 1;
    /**
     * Format 2 preceded by the revision, written only for revisions above 0; its first byte is greater
     * than format 2's, so at the same metadata version a rewrite wins over the record it was made from
     * (records compare by value at equal versions), and a higher revision over a lower one.
     */
    private static final int FORMAT_REVISED = 3;

    public PartRecord {
        slices = List.copyOf(slices);
    }

    /** A new part (revision 0). */
    public PartRecord(String partId, int partNumber, long size, String etag, long lastModifiedMillis,
                      Map<Digest, byte[]> digests, List<Slice> slices) {
        this(partId, partNumber, size, etag, lastModifiedMillis, digests, slices, 0);
    }

    /** This part with re-wrapped slices and the next revision; nothing else changes. */
    public PartRecord withRewrappedSlices(List<Slice> rewrapped) {
        return new PartRecord(partId, partNumber, size, etag, lastModifiedMillis, digests, rewrapped, revision + 1);
    }

    public static String sortKey(int partNumber) {
        return String.format("%05d", partNumber);
    }

    public byte[] encode() {
        Bin.Out out = revision > 0 ? new Bin.Out().u8(FORMAT_REVISED).i32(revision) : new Bin.Out().u8(FORMAT);
        out.str(partId).i32(partNumber).i64(size).str(etag).i64(lastModifiedMillis);
        BallRecordCodec.writeDigests(out, digests);
        BallRecordCodec.writeSlices(out, slices, true);
        return out.toBytes();
    }

    public static PartRecord decode(byte[] v) {
        try {
            Bin.In in = new Bin.In(v);
            int format = in.u8();
            if (format != FORMAT && format != FORMAT_V1 && format != FORMAT_REVISED) {
                throw new IOException("unknown part record format");
            }
            int revision = format == FORMAT_REVISED ? in.i32() : 0;
            return new PartRecord(in.str(), in.i32(), in.i64(), in.str(), in.i64(), BallRecordCodec.readDigests(in),
                    BallRecordCodec.readSlices(in, format != FORMAT_V1), revision);
        } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new UncheckedIOException("corrupt part record", e instanceof IOException io ? io : new IOException(e));
        }
    }

    public PartInfo toInfo() {
        return new PartInfo(partNumber, etag, size, Instant.ofEpochMilli(lastModifiedMillis), digests);
    }
}

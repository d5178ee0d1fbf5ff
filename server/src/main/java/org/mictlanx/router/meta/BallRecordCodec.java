package org.mictlanx.router.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mictlanx.router.BallPart;
import org.mictlanx.router.ChecksumType;
import org.mictlanx.router.Digest;

/**
 * The stored form of a {@link BallRecord}: writes format 3 (format 4 for versioned balls), reads
 * formats 1 to 4 (see {@link BallRecord} for what each holds). The digest and slice encodings are
 * shared with {@link PartRecord}.
 */
final class BallRecordCodec {

    private BallRecordCodec() {
    }

    private static final int FORMAT_V1 = 1;
    private static final int FORMAT_V2 = 2;
    /** Revision and tags; each segment followed by its inline chunk flag ({@link Segment#inline}). */
    private static final int FORMAT_V3 = 3;
    /** Format 3 plus the version fields. */
    private static final int FORMAT_V4 = 4;

    static byte[] encode(BallRecord r) {
        Bin.Out out = new Bin.Out().u8(r.versionId() == null ? FORMAT_V3 : FORMAT_V4).i64(r.revision()).str(r.ballId())
                .i64(r.size()).i64(r.createdMillis()).map(r.headers()).map(r.userMetadata());
        writeDigests(out, r.digests());
        out.str(r.etag()).u8(r.checksumType().ordinal()).i32(r.parts().size());
        for (BallPart p : r.parts()) {
            out.i32(p.partNumber()).i64(p.offset()).i64(p.size()).str(p.etag());
            writeDigests(out, p.digests());
        }
        writeSlices(out, r.slices(), true);
        out.map(r.tags());
        if (r.versionId() != null) out.u8(r.deleteMarker() ? 1 : 0).str(r.versionId()).i64(r.stamp());
        return out.toBytes();
    }

    static BallRecord decode(byte[] value) {
        try {
            Bin.In in = new Bin.In(value);
            int format = in.u8();
            if (format == FORMAT_V1) return decodeV1(in);
            if (format < FORMAT_V2 || format > FORMAT_V4) throw new IOException("unknown ball record format " + format);
            boolean v3 = format >= FORMAT_V3;
            long revision = v3 ? in.i64() : 0;
            if (revision < 0) throw new IOException("corrupt revision");
            String ballId = in.str();
            long size = in.i64();
            long created = in.i64();
            Map<String, String> headers = in.map();
            Map<String, String> meta = in.map();
            Map<Digest, byte[]> digests = readDigests(in);
            String etag = in.str();
            ChecksumType type = ChecksumType.values()[in.u8()];
            int np = in.i32();
            if (np < 0 || np > 10_000) throw new IOException("corrupt part count");
            List<BallPart> parts = new ArrayList<>(np);
            for (int i = 0; i < np; i++) {
                parts.add(new BallPart(in.i32(), in.i64(), in.i64(), in.str(), readDigests(in)));
            }
            List<Slice> slices = readSlices(in, v3);
            Map<String, String> tags = v3 ? in.map() : Map.of();
            if (format == FORMAT_V4) {
                boolean marker = (in.u8() & 1) != 0;
                String versionId = in.str();
                long stamp = in.i64();
                return new BallRecord(ballId, size, created, headers, meta, digests, etag, type, parts, slices, tags,
                        revision, versionId, marker, stamp);
            }
            return new BallRecord(ballId, size, created, headers, meta, digests, etag, type, parts, slices, tags, revision);
        } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new UncheckedIOException("corrupt ball record", e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static BallRecord decodeV1(Bin.In in) throws IOException {
        String ballId = in.str();
        long size = in.i64();
        int chunkSize = in.i32();
        int replication = in.i32();
        long created = in.i64();
        String keyId = in.str();
        byte[] wrapped = in.bytes();
        Map<String, String> headers = in.map();
        Map<String, String> meta = in.map();
        Map<Digest, byte[]> digests = readDigests(in);
        return BallRecord.single(new Segment(ballId, size, chunkSize, replication, keyId, wrapped), created, headers, meta, digests);
    }

    static void writeDigests(Bin.Out out, Map<Digest, byte[]> digests) {
        out.i32(digests.size());
        digests.forEach((d, v) -> out.str(d.name()).bytes(v));
    }

    static Map<Digest, byte[]> readDigests(Bin.In in) throws IOException {
        int nd = in.i32();
        if (nd < 0 || nd > Digest.values().length) throw new IOException("corrupt digest count");
        Map<Digest, byte[]> digests = new EnumMap<>(Digest.class);
        for (int i = 0; i < nd; i++) digests.put(Digest.valueOf(in.str()), in.bytes());
        return digests;
    }

    /**
     * Segments once each (by index), then slices as (segment index, offset, length). With
     * {@code inline}, each segment is followed by a flag byte and, if set, its inline chunk.
     */
    static void writeSlices(Bin.Out out, List<Slice> slices, boolean inline) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Segment> segs = new ArrayList<>();
        for (Slice s : slices) {
            if (index.putIfAbsent(s.segment().id(), segs.size()) == null) segs.add(s.segment());
        }
        out.i32(segs.size());
        for (Segment s : segs) {
            out.str(s.id()).i64(s.size()).i32(s.chunkSize()).i32(s.replication()).str(s.keyId()).bytes(s.wrappedKey());
            if (inline) {
                out.u8(s.isInline() ? 1 : 0);
                if (s.isInline()) out.bytes(s.inline());
            } else if (s.isInline()) {
                throw new IllegalArgumentException("inline segment " + s.id() + " in a format without inline data");
            }
        }
        out.i32(slices.size());
        for (Slice s : slices) out.i32(index.get(s.segment().id())).i64(s.offset()).i64(s.length());
    }

    static List<Slice> readSlices(Bin.In in, boolean inline) throws IOException {
        int ns = in.i32();
        if (ns < 0 || ns > 1_000_000) throw new IOException("corrupt segment count");
        List<Segment> segs = new ArrayList<>(Math.min(ns, 1024));
        for (int i = 0; i < ns; i++) {
            Segment s = new Segment(in.str(), in.i64(), in.i32(), in.i32(), in.str(), in.bytes());
            if (inline && in.u8() == 1) {
                s = new Segment(s.id(), s.size(), s.chunkSize(), s.replication(), s.keyId(), s.wrappedKey(), in.bytes());
            }
            segs.add(s);
        }
        int nl = in.i32();
        if (nl < 0 || nl > 1_000_000) throw new IOException("corrupt slice count");
        List<Slice> slices = new ArrayList<>(Math.min(nl, 1024));
        for (int i = 0; i < nl; i++) slices.add(new Slice(segs.get(in.i32()), in.i64(), in.i64()));
        return slices;
    }
}

package org.mictlanx.router.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.HybridClock;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.router.meta.PartRecord;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.meta.UploadRecord;

/**
 * Reference records: one per (segment, referrer), in partition {@code Partitions.ref(segmentId)},
 * sort key {@code segmentId "/b/" ballId} for a committed ball or {@code segmentId "/p/" partId}
 * for an open upload's part (legacy: sort key = segment id, value bucket NL key, for balls written
 * before segments existed). Invariant: a referrer writes its reference records (quorum) BEFORE it
 * commits, and tombstones them only after it stopped referring. A reference is live when it is
 * younger than the GC grace (its referrer may still be committing) or its referrer is committed
 * and still names the segment (ball record with that ball id; part record with that part id of a
 * live upload). A segment's chunks may be deleted only when it has no live reference; every
 * decision re-reads metadata, so it stays correct after crashes at any point (a crash leaves at
 * worst a reference whose referrer never committed: dead once old).
 */
public final class References {

    private final ReplicatedTable table;
    private final long graceMillis;

    public References(ReplicatedTable table, long graceMillis) {
        this.table = table;
        this.graceMillis = graceMillis;
    }

    public List<MetaRecord> forBall(String bucket, String key, BallRecord ball) {
        List<MetaRecord> out = new ArrayList<>();
        long v = table.nextVersion();
        for (Segment s : ball.segments()) {
            out.add(new MetaRecord(Partitions.ref(s.id()), s.id() + "/b/" + ball.ballId(), v, false,
                    value("b", bucket, key, ball.ballId())));
        }
        return out;
    }

    public List<MetaRecord> forPart(String bucket, String key, String uploadId, PartRecord part) {
        List<MetaRecord> out = new ArrayList<>();
        long v = table.nextVersion();
        Map<String, Segment> segs = new LinkedHashMap<>();
        part.slices().forEach(s -> segs.putIfAbsent(s.segment().id(), s.segment()));
        for (Segment s : segs.values()) {
            out.add(new MetaRecord(Partitions.ref(s.id()), s.id() + "/p/" + part.partId(), v, false,
                    value("p", bucket, key, uploadId, Integer.toString(part.partNumber()), part.partId())));
        }
        return out;
    }

    /** Writes the records, one quorum write per reference partition. Throws QUORUM_FAILED. */
    public void write(List<MetaRecord> refs) {
        Map<String, List<MetaRecord>> byPartition = new LinkedHashMap<>();
        for (MetaRecord r : refs) byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
        byPartition.forEach(table::write);
    }

    /** Tombstones the given reference records. */
    public void tombstone(List<MetaRecord> refs) {
        long v = table.nextVersion();
        write(refs.stream().map(r -> MetaRecord.tombstone(r.partition(), r.sortKey(), v)).toList());
    }

    /** Whether any live reference to the segment exists. Throws when metadata is unreadable (undecidable). */
    public boolean referenced(String segmentId) {
        return status(segmentId).referenced();
    }

    /**
     * The segment's reference status: referenced or not, and (when a committed referrer was found)
     * the segment as that referrer describes it (null when only young references exist).
     */
    public record Status(boolean referenced, Segment segment) {
    }

    /** See {@link Status}. Throws when metadata is unreadable (undecidable). */
    public Status status(String segmentId) {
        boolean young = false;
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(Partitions.ref(segmentId), segmentId, after, 100, false);
            for (MetaRecord r : page.records()) {
                String sk = r.sortKey();
                if (!sk.equals(segmentId) && !sk.startsWith(segmentId + "/")) continue;
                Segment s = committed(segmentId, r);
                if (s != null) return new Status(true, s);
                if (System.currentTimeMillis() - HybridClock.millis(r.version()) < graceMillis) young = true;
            }
            if (!page.more() || page.records().isEmpty()) return new Status(young, null);
            after = page.records().get(page.records().size() - 1).sortKey();
        }
    }

    /** The segment as the reference's committed referrer describes it, or null when the referrer does not name it. */
    private Segment committed(String segmentId, MetaRecord ref) {
        String[] f = new String(ref.value(), StandardCharsets.UTF_8).split("\n", -1);
        if (ref.sortKey().equals(segmentId)) { // legacy: bucket NL key, ball id = segment id
            return ballSegment(f[0], f[1], segmentId, segmentId);
        }
        if (f[0].equals("b")) return ballSegment(f[1], f[2], f[3], segmentId);
        if (f[0].equals("p")) {
            Optional<MetaRecord> up = table.read(UploadRecord.partition(f[1]), UploadRecord.sortKey(f[2], f[3]));
            if (up.isEmpty() || up.get().tombstone()) return null;
            Optional<MetaRecord> part = table.read(UploadRecord.partsPartition(f[3]), PartRecord.sortKey(Integer.parseInt(f[4])));
            if (part.isEmpty() || part.get().tombstone()) return null;
            PartRecord pr = PartRecord.decode(part.get().value());
            return pr.partId().equals(f[5]) ? find(pr.slices(), segmentId) : null;
        }
        throw new IllegalStateException("unknown reference kind in " + ref); // undecidable: keep
    }

    private Segment ballSegment(String bucket, String key, String ballId, String segmentId) {
        Optional<MetaRecord> meta = table.read(bucket, key);
        if (meta.isEmpty() || meta.get().tombstone()) return null;
        BallRecord ball = BallRecord.decode(meta.get().value());
        return ball.ballId().equals(ballId) ? find(ball.slices(), segmentId) : null;
    }

    private static Segment find(List<org.mictlanx.router.meta.Slice> slices, String segmentId) {
        for (var s : slices) if (s.segment().id().equals(segmentId)) return s.segment();
        return null;
    }

    private static byte[] value(String... fields) {
        return String.join("\n", fields).getBytes(StandardCharsets.UTF_8);
    }
}

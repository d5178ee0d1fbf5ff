package org.mictlanx.router.io;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.ChunkIdScheme;
import org.mictlanx.router.meta.HybridClock;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.router.meta.PartRecord;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.meta.UploadRecord;
import org.mictlanx.router.meta.VersionIds;

/**
 * Reference records: one per (segment, referrer), in partition {@code Partitions.ref(segmentId)},
 * sort key {@code segmentId "/b/" ballId} for a committed ball or {@code segmentId "/p/" partId}
 * for an open upload's part (legacy: sort key = segment id, value bucket NL key, for balls written
 * before segments existed). Invariant: a referrer writes its reference records (quorum) BEFORE it
 * commits, and tombstones them only after it stopped referring (the tombstone's version is the
 * release time). A segment is <em>referenced</em> while some live reference's referrer is committed
 * and still names it (ball record with that ball id; part record with that part id of a live
 * upload). Otherwise it is unreferenced <em>since</em> the latest of: its creation (in its id),
 * each reference's version (a referrer may still be committing), each tombstone's version (an
 * explicit release), and for a live reference whose referrer no longer names the segment, the
 * version of the record that shows it (the key's newer ball record or tombstone, the part's
 * replacement or tombstone, the upload's tombstone): a release the releasing router never got to
 * record (crash) is thus dated no earlier than the moment the old referrer stopped being visible.
 * GC deletes a segment's chunks only once it has been unreferenced for the grace period, so a
 * reader that fetched a ball record before its overwrite or delete finishes streaming it. Every
 * decision re-reads replicated metadata, so it holds after crashes and restarts. Peers must keep
 * tombstones longer than the grace period (their tombstone TTL, default 24 h, is what dates a
 * release; once purged, the segment's creation time, which is earlier, is used).
 */
public final class References {

    private final ReplicatedTable table;
    private final Clock clock;

    public References(ReplicatedTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    public List<MetaRecord> forBall(String bucket, String key, BallRecord ball) {
        List<MetaRecord> out = new ArrayList<>();
        long v = table.nextVersion();
        for (Segment s : ball.segments()) {
            if (s.isInline()) continue; // its data lives in the referrer's own record
            out.add(new MetaRecord(Partitions.ref(s.id()), s.id() + "/b/" + ball.ballId(), v, false,
                    value("b", bucket, key, ball.ballId())));
        }
        return out;
    }

    /**
     * The references of a version history record ({@code VersionIds}) to its ball's segments: kind
     * {@code v}, sort key {@code segmentId "/v/" ballId}; the segment stays referenced while that
     * history record is live, whatever the key's latest record says.
     */
    public List<MetaRecord> forVersion(String bucket, String key, String versionSortKey, BallRecord ball) {
        List<MetaRecord> out = new ArrayList<>();
        long v = table.nextVersion();
        for (Segment s : ball.segments()) {
            if (s.isInline()) continue;
            out.add(new MetaRecord(Partitions.ref(s.id()), s.id() + "/v/" + ball.ballId(), v, false,
                    value("v", bucket, ball.ballId(), versionSortKey)));
        }
        return out;
    }

    /** The reference of ball {@code ballId} to one segment (a single put's, known before its size is). */
    public List<MetaRecord> forSegment(String bucket, String key, String segmentId, String ballId) {
        return List.of(new MetaRecord(Partitions.ref(segmentId), segmentId + "/b/" + ballId, table.nextVersion(), false,
                value("b", bucket, key, ballId)));
    }

    public List<MetaRecord> forPart(String bucket, String key, String uploadId, PartRecord part) {
        List<MetaRecord> out = new ArrayList<>();
        long v = table.nextVersion();
        Map<String, Segment> segs = new LinkedHashMap<>();
        part.slices().forEach(s -> segs.putIfAbsent(s.segment().id(), s.segment()));
        for (Segment s : segs.values()) {
            if (s.isInline()) continue;
            out.add(new MetaRecord(Partitions.ref(s.id()), s.id() + "/p/" + part.partId(), v, false,
                    value("p", bucket, key, uploadId, Integer.toString(part.partNumber()), part.partId())));
        }
        return out;
    }

    /** Writes the records, one quorum write per reference partition. Throws QUORUM_FAILED. */
    public void write(List<MetaRecord> refs) {
        if (refs.isEmpty()) return;
        Map<String, List<MetaRecord>> byPartition = new LinkedHashMap<>();
        for (MetaRecord r : refs) byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
        byPartition.forEach(table::write);
    }

    /** Releases: tombstones the given reference records; the tombstones' version is the release time. */
    public void tombstone(List<MetaRecord> refs) {
        long v = table.nextVersion();
        write(refs.stream().map(r -> MetaRecord.tombstone(r.partition(), r.sortKey(), v)).toList());
    }

    /**
     * A segment's reference status: referenced (then {@code segment} is the segment as a committed
     * referrer describes it), or unreferenced since {@code unreferencedSince} (wall-clock millis).
     */
    public record Status(boolean referenced, Segment segment, long unreferencedSince) {

        /** Whether the segment's chunks may be deleted at {@code nowMillis}. */
        public boolean deletable(long nowMillis, long graceMillis) {
            return !referenced && nowMillis - unreferencedSince >= graceMillis;
        }
    }

    /** The current wall-clock millis of the clock reference ages are measured with. */
    public long now() {
        return clock.millis();
    }

    /** See {@link Status}. Throws when metadata is unreadable (undecidable). */
    public Status status(String segmentId) {
        long since = ChunkIdScheme.idMillis(segmentId);
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(Partitions.ref(segmentId), segmentId, after, 100, true);
            for (MetaRecord r : page.records()) {
                String sk = r.sortKey();
                if (!sk.equals(segmentId) && !sk.startsWith(segmentId + "/")) continue;
                long v = HybridClock.millis(r.version());
                if (r.tombstone()) {
                    since = Math.max(since, v);
                    continue;
                }
                Referrer ref = referrer(segmentId, r);
                if (ref.segment() != null) return new Status(true, ref.segment(), Long.MAX_VALUE);
                since = Math.max(since, Math.max(v, ref.goneSince()));
            }
            if (!page.more() || page.records().isEmpty()) return new Status(false, null, since);
            after = page.records().get(page.records().size() - 1).sortKey();
        }
    }

    /**
     * What a live reference's referrer says: the segment when it is committed and names it, else
     * the millis of the newest record showing it does not (0 when none: it never committed).
     */
    private record Referrer(Segment segment, long goneSince) {
    }

    private Referrer referrer(String segmentId, MetaRecord ref) {
        String[] f = new String(ref.value(), StandardCharsets.UTF_8).split("\n", -1);
        if (ref.sortKey().equals(segmentId)) { // legacy: bucket NL key, ball id = segment id
            return ballSegment(f[0], f[1], segmentId, segmentId);
        }
        if (f[0].equals("b")) return ballSegment(f[1], f[2], f[3], segmentId);
        if (f[0].equals("v")) { // the history sort key holds the key, which may hold newlines: it comes last
            String[] v = new String(ref.value(), StandardCharsets.UTF_8).split("\n", 4);
            return versionSegment(v[1], v[3], v[2], segmentId);
        }
        if (f[0].equals("p")) {
            Optional<MetaRecord> up = table.read(UploadRecord.partition(f[1]), UploadRecord.sortKey(f[2], f[3]));
            if (up.isEmpty()) return new Referrer(null, 0);
            if (up.get().tombstone()) return new Referrer(null, HybridClock.millis(up.get().version()));
            Optional<MetaRecord> part = table.read(UploadRecord.partsPartition(f[3]), PartRecord.sortKey(Integer.parseInt(f[4])));
            if (part.isEmpty()) return new Referrer(null, 0);
            long partMillis = HybridClock.millis(part.get().version());
            if (part.get().tombstone()) return new Referrer(null, partMillis);
            PartRecord pr = PartRecord.decode(part.get().value());
            Segment s = pr.partId().equals(f[5]) ? find(pr.slices(), segmentId) : null;
            return new Referrer(s, s == null ? partMillis : 0);
        }
        throw new IllegalStateException("unknown reference kind in " + ref); // undecidable: keep
    }

    private Referrer ballSegment(String bucket, String key, String ballId, String segmentId) {
        Optional<MetaRecord> meta = table.read(bucket, key);
        if (meta.isEmpty()) return new Referrer(null, 0);
        long millis = HybridClock.millis(meta.get().version());
        if (meta.get().tombstone()) return new Referrer(null, millis);
        BallRecord ball = BallRecord.decode(meta.get().value());
        Segment s = ball.ballId().equals(ballId) ? find(ball.slices(), segmentId) : null;
        return new Referrer(s, s == null ? millis : 0);
    }

    private Referrer versionSegment(String bucket, String versionSortKey, String ballId, String segmentId) {
        Optional<MetaRecord> meta = table.read(VersionIds.partition(bucket), versionSortKey);
        if (meta.isEmpty()) return new Referrer(null, 0);
        long millis = HybridClock.millis(meta.get().version());
        if (meta.get().tombstone()) return new Referrer(null, millis);
        BallRecord ball = BallRecord.decode(meta.get().value());
        Segment s = ball.ballId().equals(ballId) ? find(ball.slices(), segmentId) : null;
        return new Referrer(s, s == null ? millis : 0);
    }

    private static Segment find(List<org.mictlanx.router.meta.Slice> slices, String segmentId) {
        for (var s : slices) if (s.segment().id().equals(segmentId)) return s.segment();
        return null;
    }

    private static byte[] value(String... fields) {
        return String.join("\n", fields).getBytes(StandardCharsets.UTF_8);
    }
}

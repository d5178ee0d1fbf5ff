package org.mictlanx.router.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallPart;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.ChecksumType;
import org.mictlanx.router.CompletedPart;
import org.mictlanx.router.Digest;
import org.mictlanx.router.PartInfo;
import org.mictlanx.router.PartPage;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.Redundancy;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.UploadInfo;
import org.mictlanx.router.UploadPage;
import org.mictlanx.router.WriteCondition;
import org.mictlanx.router.digest.ChecksumCombine;
import org.mictlanx.router.digest.DigestComputer;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.PartRecord;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.meta.Slice;
import org.mictlanx.router.meta.UploadRecord;

/**
 * Multipart uploads. An upload is a record of {@code _mx.up.<bucket>}; each part a record of
 * {@code _mx.parts.<uploadId>} listing the slices it consists of (one new segment for an uploaded
 * part, the source's slices for a copied one). A part's reference records are written before its
 * part record, so its chunks are protected from GC from the start; replacing or dropping a part
 * (abort, expiry, completion) tombstones its references, and GC deletes the segments nothing else
 * refers to a grace period after that release (see {@link References}). Completing
 * writes a ball record listing the parts' slices (no data copied) through {@link Committer}.
 */
public final class MultipartService {

    private static final int MAX_PARTS = 10_000;

    private final SegmentRewrap rewrap;
    private final References refs;
    private final org.mictlanx.router.RouterConfig config;
    private final java.util.concurrent.ExecutorService executor;
    private final ReplicatedTable table;
    private final BucketService buckets;
    private final BallService balls;
    private final Committer committer;
    private final Clock clock;
    private final org.mictlanx.router.usage.UsageLedger usage;
    private final SecureRandom random = new SecureRandom();
    private final SegmentOpener segments;
    private final Etags etags = new Etags();

    public MultipartService(SegmentRewrap rewrap, References refs, SegmentOpener segments, org.mictlanx.router.RouterConfig config,
                            java.util.concurrent.ExecutorService executor, ReplicatedTable table, BucketService buckets,
                            BallService balls, Committer committer, Clock clock,
                            org.mictlanx.router.usage.UsageLedger usage) {
        this.segments = segments;
        this.config = config;
        this.executor = executor;
        this.usage = usage;
        this.rewrap = rewrap;
        this.refs = refs;
        this.table = table;
        this.buckets = buckets;
        this.balls = balls;
        this.committer = committer;
        this.clock = clock;
    }

    public String create(String bucket, String key, Map<String, String> headers, Map<String, String> userMetadata,
                         Map<String, String> tags, Set<Digest> algorithms, ChecksumType type, Redundancy redundancy) {
        requireKey(key);
        buckets.require(bucket);
        Set<Digest> algs = algorithms == null || algorithms.isEmpty() ? EnumSet.noneOf(Digest.class) : EnumSet.copyOf(algorithms);
        algs.remove(Digest.MD5);
        if (algs.size() > 1) throw bad("at most one checksum algorithm per upload");
        ChecksumType t = type != null ? type : algs.contains(Digest.CRC64NVME) ? ChecksumType.FULL_OBJECT : ChecksumType.COMPOSITE;
        for (Digest d : algs) {
            if (t == ChecksumType.FULL_OBJECT && !ChecksumCombine.combinable(d)) throw bad(d + " does not support FULL_OBJECT");
            if (t == ChecksumType.COMPOSITE && d == Digest.CRC64NVME) throw bad("CRC64NVME supports only FULL_OBJECT");
        }
        byte[] r = new byte[10];
        random.nextBytes(r);
        String id = String.format("%012x", clock.millis()) + HexFormat.of().formatHex(r);
        UploadRecord up = new UploadRecord(id, clock.millis(), headers, userMetadata, algs, t, tags,
                redundancy == null ? Redundancy.STANDARD : redundancy);
        table.write(new MetaRecord(UploadRecord.partition(bucket), UploadRecord.sortKey(key, id), table.nextVersion(), false,
                up.encode()));
        return id;
    }

    public Optional<UploadInfo> upload(String bucket, String key, String uploadId) {
        requireKey(key);
        buckets.require(bucket);
        return find(bucket, key, uploadId).map(u -> u.toInfo(bucket, key));
    }

    public PartInfo putPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
                            Set<Digest> digests, PutBall.Verifier verifier,
                            org.mictlanx.router.crypto.CustomerKey customerKey) {
        requirePartNumber(partNumber);
        if (length < -1) throw bad("negative length");
        UploadRecord up = require(bucket, key, uploadId);
        BucketInfo b = buckets.require(bucket);
        SegmentOpener.Opened opened = segments.open(b, up.redundancy(), customerKey);
        BallWriter writer = segments.writer(opened);
        Set<Digest> wanted = EnumSet.noneOf(Digest.class);
        wanted.addAll(up.algorithms());
        if (digests != null) wanted.addAll(digests);
        BallWriter.Written written = writer.write(body, length, wanted);
        Segment seg = opened.segment(written.size(), config.chunkSize());
        try {
            if (verifier != null) verifier.verify(java.util.Collections.unmodifiableMap(written.digests()));
        } catch (RuntimeException | Error e) {
            writer.release();
            throw e;
        }
        PartRecord part = new PartRecord(balls.newId(), partNumber, seg.size(),
                etags.single(customerKey != null, written.digests()), clock.millis(), written.digests(),
                List.of(Slice.whole(seg)));
        try {
            record(bucket, key, uploadId, part, () -> { });
        } catch (Committer.NotCommitted e) {
            writer.release();
            throw e.getCause();
        }
        writer.committed(bucket, key, seg, new PartRef(uploadId, partNumber));
        return part.toInfo();
    }

    /**
     * See {@code BallStore#copyPart}; {@code source} readable with the master key (a customer-keyed
     * source is first {@code rewrap}ped), {@code customerKey} the upload's key (null: none): the
     * part's segments are stored with their data keys wrapped under it.
     */
    public PartInfo copyPart(String bucket, String key, String uploadId, int partNumber, BallInfo source, long offset,
                             long length, org.mictlanx.router.crypto.CustomerKey customerKey) {
        requirePartNumber(partNumber);
        UploadRecord up = require(bucket, key, uploadId);
        BallRecord src = BallService.record(source);
        long len = length < 0 ? src.size() - offset : length;
        if (offset < 0 || len < 0 || offset + len > src.size()) {
            throw bad("range " + offset + "+" + len + " outside the source's " + src.size() + " bytes");
        }
        List<Slice> slices = range(src.slices(), offset, len);
        Map<Digest, byte[]> digests;
        boolean whole = offset == 0 && len == src.size() && !src.multipart();
        if (whole && src.digests().containsKey(Digest.MD5) && src.digests().keySet().containsAll(up.algorithms())) {
            digests = new HashMap<>();
            digests.put(Digest.MD5, src.digests().get(Digest.MD5));
            for (Digest d : up.algorithms()) digests.put(d, src.digests().get(d));
        } else {
            digests = digestRange(source, offset, len, up.algorithms());
        }
        slices = customerKey != null ? rewrap.rewrapSlices(slices, null, customerKey) : rewrap.underCurrentMaster(slices);
        PartRecord part = new PartRecord(balls.newId(), partNumber, len, etags.single(customerKey != null, digests),
                clock.millis(), digests, slices);
        try {
            record(bucket, key, uploadId, part, () -> balls.requireCurrent(source, src));
        } catch (Committer.NotCommitted e) {
            throw e.getCause();
        }
        return part.toInfo();
    }

    public PartPage listParts(String bucket, String key, String uploadId, int marker, int limit) {
        if (limit < 0 || marker < 0) throw bad("negative limit or marker");
        require(bucket, key, uploadId);
        ReplicatedTable.Page page = table.scan(UploadRecord.partsPartition(uploadId), null,
                marker == 0 ? null : PartRecord.sortKey(marker), limit, false);
        return new PartPage(page.records().stream().map(r -> PartRecord.decode(r.value()).toInfo()).toList(), page.more());
    }

    public UploadPage listUploads(String bucket, String prefix, String keyMarker, String uploadIdMarker, int limit) {
        if (limit < 0) throw bad("negative limit");
        buckets.require(bucket);
        String after = keyMarker == null || keyMarker.isEmpty() ? null
                : uploadIdMarker == null || uploadIdMarker.isEmpty() ? UploadRecord.afterAllOf(keyMarker)
                : UploadRecord.sortKey(keyMarker, uploadIdMarker);
        ReplicatedTable.Page page = table.scan(UploadRecord.partition(bucket), prefix, after, limit, false);
        List<UploadInfo> out = new ArrayList<>();
        for (MetaRecord r : page.records()) {
            out.add(UploadRecord.decode(r.value()).toInfo(bucket, UploadRecord.keyOf(r.sortKey())));
        }
        return new UploadPage(out, page.more());
    }

    public void abort(String bucket, String key, String uploadId) {
        require(bucket, key, uploadId);
        close(bucket, key, uploadId, false);
    }

    public BallInfo complete(String bucket, String key, String uploadId, List<CompletedPart> wanted, WriteCondition condition,
                             PutBall.Verifier verifier) {
        requireKey(key);
        buckets.require(bucket);
        Optional<UploadRecord> open = find(bucket, key, uploadId);
        if (open.isEmpty()) return completedBefore(bucket, key, uploadId, wanted, verifier);
        UploadRecord up = open.get();
        WriteCondition c = condition == null ? WriteCondition.NONE : condition;
        if (wanted == null || wanted.isEmpty()) throw bad("a completed upload needs at least one part");
        for (int i = 1; i < wanted.size(); i++) {
            if (wanted.get(i).partNumber() <= wanted.get(i - 1).partNumber()) {
                throw new RouterException(RouterException.Kind.INVALID_PART_ORDER, "parts must be in ascending order");
            }
        }
        Map<Integer, PartRecord> stored = allParts(uploadId);
        List<Slice> slices = new ArrayList<>();
        List<BallPart> parts = new ArrayList<>();
        long offset = 0;
        for (CompletedPart w : wanted) { // every part is checked before any size (S3 reports InvalidPart first)
            PartRecord p = stored.get(w.partNumber());
            if (p == null || (w.etag() != null && !w.etag().equals(p.etag())) || !checksumsMatch(w, p)) {
                throw new RouterException(RouterException.Kind.INVALID_PART, "part " + w.partNumber() + " not found or not matching",
                        Integer.toString(w.partNumber()), null);
            }
        }
        for (int i = 0; i < wanted.size(); i++) {
            CompletedPart w = wanted.get(i);
            PartRecord p = stored.get(w.partNumber());
            if (i < wanted.size() - 1 && p.size() < config.minPartSize()) {
                throw new RouterException(RouterException.Kind.ENTITY_TOO_SMALL, "part " + w.partNumber() + " is smaller than the minimum",
                        Integer.toString(w.partNumber()), null);
            }
            slices.addAll(p.slices());
            parts.add(new BallPart(p.partNumber(), offset, p.size(), p.etag(), p.digests()));
            offset += p.size();
        }
        Map<Digest, byte[]> digests = new java.util.EnumMap<>(Digest.class);
        List<Map<Digest, byte[]>> partDigests = parts.stream().map(BallPart::digests).toList();
        for (Digest d : up.algorithms()) {
            List<byte[]> values = ChecksumCombine.values(partDigests, d);
            digests.put(d, up.checksumType() == ChecksumType.FULL_OBJECT
                    ? ChecksumCombine.combineCrc(d, values, parts.stream().map(BallPart::size).toList())
                    : ChecksumCombine.composite(d, values));
        }
        // MD5 of the parts' MD5s -N; opaque -N when a customer's or a KMS key wraps the parts' data keys
        String etag = etags.of(slices, digests, parts, "");
        if (verifier != null) verifier.verify(java.util.Collections.unmodifiableMap(digests));
        long seen = committer.precheck(bucket, key, c);
        BallRecord ball = new BallRecord(completedBallId(uploadId), offset, clock.millis(), up.headers(), up.userMetadata(), digests, etag,
                up.checksumType(), parts, rewrap.underCurrentMaster(slices), up.tags(), 0);
        Committer.Committed done;
        try {
            done = committer.commit(bucket, key, ball, c, seen, () -> require(bucket, key, uploadId), null,
                    buckets.require(bucket));
        } catch (Committer.NotCommitted e) {
            throw e.getCause();
        }
        close(bucket, key, uploadId, true);
        return done.ball().toInfo(bucket, key, done.version());
    }

    /**
     * The ball id a completion of {@code uploadId} commits: the upload id's first 24 hex digits (its
     * creation millis and 48 random bits, the shape of every ball id), so a retried completion can
     * recognise the ball it committed.
     */
    static String completedBallId(String uploadId) {
        return uploadId.substring(0, 24);
    }

    /**
     * A completion of an upload that is no longer open: the ball under the key if this upload
     * committed it with the same parts (S3 answers a retried completion with 200), else NO_SUCH_UPLOAD.
     */
    private BallInfo completedBefore(String bucket, String key, String uploadId, List<CompletedPart> wanted,
                                     PutBall.Verifier verifier) {
        RouterException gone = new RouterException(RouterException.Kind.NO_SUCH_UPLOAD,
                "no upload " + uploadId + " for " + bucket + "/" + key);
        if (uploadId == null || !uploadId.matches("[0-9a-f]{32}") || wanted == null) throw gone;
        Optional<MetaRecord> cur = table.read(bucket, key);
        if (cur.isEmpty() || cur.get().tombstone()) throw gone;
        BallRecord ball = BallRecord.decode(cur.get().value());
        if (!ball.ballId().equals(completedBallId(uploadId)) || ball.parts().size() != wanted.size()) throw gone;
        for (int i = 0; i < wanted.size(); i++) {
            CompletedPart w = wanted.get(i);
            BallPart p = ball.parts().get(i);
            if (w.partNumber() != p.partNumber() || (w.etag() != null && !w.etag().equals(p.etag()))) throw gone;
        }
        if (verifier != null) verifier.verify(java.util.Collections.unmodifiableMap(ball.digests()));
        return ball.toInfo(bucket, key, cur.get().version());
    }

    /** Aborts every upload of every bucket initiated longer than the upload expiry ago. */
    public void expire() {
        long cutoff = clock.millis() - config.uploadExpiry().toMillis();
        for (BucketInfo b : buckets.list()) {
            String after = null;
            while (true) {
                ReplicatedTable.Page page = table.scan(UploadRecord.partition(b.name()), null, after, 500, false);
                for (MetaRecord r : page.records()) {
                    UploadRecord up = UploadRecord.decode(r.value());
                    if (up.initiatedMillis() < cutoff) close(b.name(), UploadRecord.keyOf(r.sortKey()), up.uploadId(), false);
                }
                if (!page.more() || page.records().isEmpty()) break;
                after = page.records().get(page.records().size() - 1).sortKey();
            }
        }
    }

    /**
     * Ends the upload: tombstones its record, then drops every part (record and references); GC
     * frees the segments nothing else refers to after the grace period (after a completion, the
     * ball's references keep the listed parts' segments).
     */
    private void close(String bucket, String key, String uploadId, boolean background) {
        table.write(MetaRecord.tombstone(UploadRecord.partition(bucket), UploadRecord.sortKey(key, uploadId), table.nextVersion()));
        java.util.Collection<PartRecord> parts;
        try {
            parts = allParts(uploadId).values();
        } catch (RuntimeException e) {
            return; // GC finishes the job (the parts' references are dead once the upload is gone); a recount the figures
        }
        // the usage figures change as the upload ends, not when the background drop gets to its parts
        for (PartRecord p : parts) usage.partDropped(bucket, p.size());
        Runnable drop = () -> {
            try {
                for (PartRecord p : parts) dropPart(bucket, key, uploadId, p, false);
            } catch (RuntimeException e) {
                // GC finishes the job: the parts' references are dead once the upload is gone
            }
        };
        if (background) executor.execute(drop);
        else drop.run();
    }

    /** Tombstones a part's record and references; {@code account}: also takes its bytes off the bucket's usage. */
    private void dropPart(String bucket, String key, String uploadId, PartRecord p, boolean account) {
        table.write(MetaRecord.tombstone(UploadRecord.partsPartition(uploadId), PartRecord.sortKey(p.partNumber()), table.nextVersion()));
        if (account) usage.partDropped(bucket, p.size());
        refs.tombstone(refs.forPart(bucket, key, uploadId, p));
    }

    /** References, check, part record; then the replaced part is dropped. Failures before the record: NotCommitted. */
    private void record(String bucket, String key, String uploadId, PartRecord part, Runnable check) {
        Optional<MetaRecord> old;
        try {
            refs.write(refs.forPart(bucket, key, uploadId, part));
            check.run();
            old = table.read(UploadRecord.partsPartition(uploadId), PartRecord.sortKey(part.partNumber()));
        } catch (RuntimeException e) {
            throw new Committer.NotCommitted(e);
        }
        table.write(new MetaRecord(UploadRecord.partsPartition(uploadId), PartRecord.sortKey(part.partNumber()),
                table.nextVersion(), false, part.encode()));
        usage.partStored(bucket, part.size(), old.filter(r -> !r.tombstone()).map(r -> PartRecord.decode(r.value()).size()).orElse(0L));
        old.filter(r -> !r.tombstone()).map(r -> PartRecord.decode(r.value()))
                .filter(p -> !p.partId().equals(part.partId()))
                .ifPresent(p -> executor.execute(() -> {
                    try {
                        refs.tombstone(refs.forPart(bucket, key, uploadId, p));
                    } catch (RuntimeException e) {
                        // GC dates the release by the part record that replaced it
                    }
                }));
        if (find(bucket, key, uploadId).isEmpty()) { // aborted or completed meanwhile: this part is an orphan
            executor.execute(() -> dropPart(bucket, key, uploadId, part, true));
            throw new RouterException(RouterException.Kind.NO_SUCH_UPLOAD, "upload " + uploadId + " ended during the part upload");
        }
    }

    private Map<Integer, PartRecord> allParts(String uploadId) {
        Map<Integer, PartRecord> out = new java.util.TreeMap<>();
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(UploadRecord.partsPartition(uploadId), null, after, 1000, false);
            for (MetaRecord r : page.records()) {
                PartRecord p = PartRecord.decode(r.value());
                out.put(p.partNumber(), p);
            }
            if (!page.more() || page.records().isEmpty()) return out;
            after = page.records().get(page.records().size() - 1).sortKey();
        }
    }

    /** The slices covering bytes [offset, offset + length) of a ball made of {@code slices}. */
    static List<Slice> range(List<Slice> slices, long offset, long length) {
        List<Slice> out = new ArrayList<>();
        long pos = 0;
        long end = offset + length;
        for (Slice s : slices) {
            long from = Math.max(offset, pos);
            long to = Math.min(end, pos + s.length());
            if (from < to) out.add(new Slice(s.segment(), s.offset() + (from - pos), to - from));
            pos += s.length();
            if (pos >= end) break;
        }
        return out;
    }

    private Map<Digest, byte[]> digestRange(BallInfo source, long offset, long length, Set<Digest> algs) {
        DigestComputer dc = new DigestComputer(algs);
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = balls.open(source, offset, length)) {
            int n;
            while ((n = in.read(buf)) > 0) dc.update(buf, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dc.finish();
    }

    private static boolean checksumsMatch(CompletedPart w, PartRecord p) {
        for (Map.Entry<Digest, byte[]> e : w.checksums().entrySet()) {
            byte[] have = p.digests().get(e.getKey());
            if (have == null || !Arrays.equals(have, e.getValue())) return false;
        }
        return true;
    }

    private Optional<UploadRecord> find(String bucket, String key, String uploadId) {
        if (uploadId == null || !uploadId.matches("[0-9a-f]{32}")) return Optional.empty();
        return table.read(UploadRecord.partition(bucket), UploadRecord.sortKey(key, uploadId))
                .filter(r -> !r.tombstone()).map(r -> UploadRecord.decode(r.value()));
    }

    private UploadRecord require(String bucket, String key, String uploadId) {
        requireKey(key);
        buckets.require(bucket);
        return find(bucket, key, uploadId).orElseThrow(() ->
                new RouterException(RouterException.Kind.NO_SUCH_UPLOAD, "no upload " + uploadId + " for " + bucket + "/" + key));
    }

    private static void requirePartNumber(int n) {
        if (n < 1 || n > MAX_PARTS) throw bad("part number must be 1.." + MAX_PARTS);
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) throw bad("empty key");
    }

    private static RouterException bad(String m) {
        return new RouterException(RouterException.Kind.BAD_REQUEST, m);
    }
}

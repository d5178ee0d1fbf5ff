package org.mictlanx.router.maint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.MetaTable;
import org.mictlanx.router.crypto.BuiltInKeyService;
import org.mictlanx.router.crypto.KeyService;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.router.crypto.SegmentKeys;
import org.mictlanx.router.io.BucketService;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.PartRecord;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.meta.Slice;
import org.mictlanx.router.meta.UploadRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background re-wrap that lets an old master key be retired: every SSE-KMS key version (built-in
 * key service) and then every ball's segment data keys still wrapped under an older master key are
 * unwrapped and wrapped again under the current one. The chunks are never touched (they are sealed
 * under the data keys, which do not change); SSE-C and SSE-KMS segments are wrapped under keys derived
 * from the customer's or the KMS key, not the master key, and are left as they are.
 *
 * <p>Resumable, bounded memory: buckets in name order, each bucket's open uploads (their parts), its
 * latest records in key order, then its version history records (noncurrent versions of versioned
 * buckets), a page of {@link #PAGE}
 * records at a time; after each page the cursor (partition, last sort key) and the counters are
 * stored in the replicated metadata ({@value #PARTITION}), so a job interrupted by a restart is resumed
 * by the router that starts next (or by starting it again) from where it stopped. Progress is
 * {@link #status()} (admin API, {@code /metrics}).
 *
 * <p>A rewritten ball record keeps its version and takes the next revision (+1), as a tag
 * replacement does (+2): under last-writer-wins it replaces only the record it read, loses to any
 * newer commit or delete (never resurrecting a ball), and loses to a tag replacement made from the
 * same record (which then keeps the old wrap; the record is picked up again by the next run, and
 * {@code remaining} in the status says so).
 *
 * <p>Open multipart uploads are covered too: before a bucket's balls, the parts of each of its open
 * uploads ({@code openUploads} in the status) are re-wrapped the same way; a rewritten part record
 * keeps its version and takes the next revision ({@link PartRecord#withRewrappedSlices}), so it loses
 * to a replacement or a drop of that part. A completion (or copy) that read a part or ball before its
 * re-wrap re-wraps what it commits itself ({@code SegmentRewrap#underCurrentMaster}), so nothing it
 * commits after the job passed its key is left under the old master key.
 */
public final class MasterRewrap {

    private static final Logger LOG = LoggerFactory.getLogger(MasterRewrap.class);
    public static final String PARTITION = "_mx.master-rewrap";
    private static final String JOB = "job";
    static final int PAGE = 200;
    private static final String UPLOADS_PREFIX = UploadRecord.partition("");

    /** What the admin API and metrics show. */
    public record Status(String state, String targetMasterKey, long scanned, long rewrapped, long kmsKeysRewrapped,
                         long remaining, long openUploads, String bucket, String startedAt, String finishedAt,
                         String error) {
    }

    private final ReplicatedTable table;
    private final MetaTable meta;
    private final BucketService buckets;
    private final SegmentKeys segmentKeys;
    private final MasterKeys masterKeys;
    private final KeyService keyService;
    private final Clock clock;
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong rewrapped = new AtomicLong();
    private final AtomicLong remaining = new AtomicLong();
    private volatile long kmsKeys;
    private volatile long openUploads;
    private volatile String state = "idle";
    private volatile String bucket = "";
    private volatile String target = "";
    private volatile long started;
    private volatile long finished;
    private volatile String error = "";
    private Thread worker;

    public MasterRewrap(ReplicatedTable table, MetaTable meta, BucketService buckets, SegmentKeys segmentKeys,
                        MasterKeys masterKeys, KeyService keyService, Clock clock) {
        this.table = table;
        this.meta = meta;
        this.buckets = buckets;
        this.segmentKeys = segmentKeys;
        this.masterKeys = masterKeys;
        this.keyService = keyService;
        this.clock = clock;
    }

    /** Starts the job in the background (a new run, or the stored one where it stopped); returns at once. */
    public synchronized Status start() {
        loadOnce();
        if (worker != null && worker.isAlive()) {
            return status();
        }
        if (!state.equals("running")) {
            scanned.set(0);
            rewrapped.set(0);
            remaining.set(0);
            kmsKeys = 0;
            bucket = "";
            started = clock.millis();
            finished = 0;
            error = "";
            cursor = "";
        }
        state = "running";
        target = masterKeys.currentId();
        save();
        worker = Thread.ofVirtual().name("master-rewrap").start(this::runSafely);
        return status();
    }

    /** Resumes a job a previous process left running (called once at router start). */
    public synchronized void resumeIfRunning() {
        loadOnce();
        if (state.equals("running")) {
            start();
        }
    }

    /** Waits for the running job (tests, {@code --wait}); false when it did not end within {@code millis}. */
    public boolean await(long millis) throws InterruptedException {
        Thread w;
        synchronized (this) {
            w = worker;
        }
        return w == null || w.join(java.time.Duration.ofMillis(millis));
    }

    public Status status() {
        synchronized (this) {
            loadOnce();
        }
        return new Status(state, target, scanned.get(), rewrapped.get(), kmsKeys, remaining.get(), openUploads, bucket,
                started == 0 ? "" : java.time.Instant.ofEpochMilli(started).toString(),
                finished == 0 ? "" : java.time.Instant.ofEpochMilli(finished).toString(), error);
    }

    /** Stops the worker (router close); the stored cursor lets the next start resume. */
    public synchronized void stop() {
        if (worker != null) worker.interrupt();
    }

    private volatile String cursor = "";

    private void runSafely() {
        try {
            run();
            state = "done";
            finished = clock.millis();
            LOG.info("master re-wrap done: {} balls scanned, {} re-wrapped, {} KMS keys, {} left for the next run",
                    scanned.get(), rewrapped.get(), kmsKeys, remaining.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.info("master re-wrap interrupted at {}/{}; it resumes on the next start", bucket, cursor);
            return;
        } catch (RuntimeException e) {
            state = "failed";
            error = e.toString();
            finished = clock.millis();
            LOG.warn("master re-wrap failed at {}/{}: {} (start it again to resume)", bucket, cursor, e.toString());
        }
        save();
    }

    private void run() throws InterruptedException {
        if (keyService instanceof BuiltInKeyService kms) {
            kmsKeys += kms.rewrapUnderCurrentMaster();
        }
        List<BucketInfo> all = new ArrayList<>(buckets.list());
        all.sort(java.util.Comparator.comparing(BucketInfo::name));
        // each bucket's open uploads' parts, its latest records, then its version history (noncurrent versions)
        List<String> partitions = new ArrayList<>();
        for (BucketInfo b : all) {
            partitions.add(UploadRecord.partition(b.name())); // open uploads' parts first
            partitions.add(b.name());
            partitions.add(org.mictlanx.router.meta.VersionIds.partition(b.name()));
        }
        int from = bucket.isEmpty() ? 0 : Math.max(0, partitions.indexOf(bucket));
        if (from == 0 && !partitions.isEmpty() && !partitions.get(0).equals(bucket)) cursor = "";
        long open = 0;
        for (int i = from; i < partitions.size(); i++) {
            String partition = partitions.get(i);
            if (!partition.equals(bucket)) {
                bucket = partition;
                cursor = "";
            }
            while (true) {
                if (Thread.interrupted()) throw new InterruptedException();
                ReplicatedTable.Page page = table.scan(partition, null, cursor.isEmpty() ? null : cursor, PAGE, false);
                boolean uploads = partition.startsWith(UPLOADS_PREFIX);
                for (MetaRecord r : page.records()) {
                    if (uploads) {
                        open++;
                        rewrapParts(UploadRecord.decode(r.value()).uploadId());
                    } else {
                        rewrap(r);
                    }
                    cursor = r.sortKey();
                }
                save();
                if (!page.more() || page.records().isEmpty()) break;
            }
        }
        openUploads = open;
        bucket = "";
        cursor = "";
    }

    /** Re-wraps one ball record's master-wrapped segments; writes it back only when something changed. */
    private void rewrap(MetaRecord r) {
        scanned.incrementAndGet();
        BallRecord ball = BallRecord.decode(r.value());
        List<Slice> out = rewrapped(ball.slices());
        if (out == null) return;
        table.write(new MetaRecord(r.partition(), r.sortKey(), r.version(), false, ball.withRewrappedSlices(out).encode()));
        // A tag replacement made from the same record at the same time wins the tie: check and count.
        count(r, v -> BallRecord.decode(v).slices());
    }

    /** Re-wraps the master-wrapped segments of every part of open upload {@code uploadId}. */
    private void rewrapParts(String uploadId) throws InterruptedException {
        String partition = UploadRecord.partsPartition(uploadId);
        String after = null;
        while (true) {
            if (Thread.interrupted()) throw new InterruptedException();
            ReplicatedTable.Page page = table.scan(partition, null, after, PAGE, false);
            for (MetaRecord r : page.records()) {
                scanned.incrementAndGet();
                PartRecord part = PartRecord.decode(r.value());
                List<Slice> out = rewrapped(part.slices());
                if (out != null) {
                    table.write(new MetaRecord(partition, r.sortKey(), r.version(), false,
                            part.withRewrappedSlices(out).encode()));
                    count(r, v -> PartRecord.decode(v).slices());
                }
                after = r.sortKey();
            }
            if (!page.more() || page.records().isEmpty()) return;
        }
    }

    /** {@code slices} with every master-wrapped data key under the current master key; null when none was stale. */
    private List<Slice> rewrapped(List<Slice> slices) {
        String current = masterKeys.currentId();
        Map<String, Segment> done = new HashMap<>();
        List<Slice> out = new ArrayList<>(slices.size());
        boolean changed = false;
        for (Slice sl : slices) {
            Segment s = sl.segment();
            if (SegmentKeys.isCustomer(s.keyId()) || s.keyId().equals(current)) {
                out.add(sl);
                continue;
            }
            Segment n = done.computeIfAbsent(s.id(), id -> rewrapSegment(s));
            out.add(new Slice(n, sl.offset(), sl.length()));
            changed = true;
        }
        return changed ? out : null;
    }

    /**
     * Counts a record written back: re-wrapped, or still stale when a write made from the same record
     * at the same version won the tie (picked up again by the next run).
     */
    private void count(MetaRecord r, java.util.function.Function<byte[], List<Slice>> slices) {
        String current = masterKeys.currentId();
        Optional<MetaRecord> now = table.read(r.partition(), r.sortKey());
        boolean stuck = now.isPresent() && !now.get().tombstone() && now.get().version() == r.version()
                && slices.apply(now.get().value()).stream()
                .anyMatch(x -> !SegmentKeys.isCustomer(x.segment().keyId()) && !x.segment().keyId().equals(current));
        if (stuck) {
            remaining.incrementAndGet();
        } else {
            rewrapped.incrementAndGet();
        }
    }

    private Segment rewrapSegment(Segment s) {
        SecretKey dataKey;
        try {
            dataKey = segmentKeys.unwrap(s.id(), s.keyId(), s.wrappedKey(), null);
        } catch (AEADBadTagException | IllegalStateException e) {
            throw new IllegalStateException("cannot unwrap the data key of segment " + s.id() + " (master key "
                    + s.keyId() + "): is that master key still configured?", e);
        }
        SegmentKeys.Wrapped w = segmentKeys.wrap(s.id(), dataKey, null);
        return new Segment(s.id(), s.size(), s.chunkSize(), s.replication(), w.keyId(), w.wrappedKey(), s.inline());
    }

    private boolean loaded;

    /** Reads the stored job once (lazily: the router may start before its peers answer). */
    private void loadOnce() {
        if (!loaded) {
            load();
            loaded = true;
        }
    }

    private void load() {
        Optional<byte[]> v = meta.get(PARTITION, JOB);
        if (v.isEmpty()) return;
        Properties p = new Properties();
        try {
            p.load(new ByteArrayInputStream(v.get()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        state = p.getProperty("state", "idle");
        target = p.getProperty("target", "");
        bucket = p.getProperty("bucket", "");
        cursor = p.getProperty("cursor", "");
        scanned.set(Long.parseLong(p.getProperty("scanned", "0")));
        rewrapped.set(Long.parseLong(p.getProperty("rewrapped", "0")));
        remaining.set(Long.parseLong(p.getProperty("remaining", "0")));
        kmsKeys = Long.parseLong(p.getProperty("kmsKeys", "0"));
        openUploads = Long.parseLong(p.getProperty("openUploads", "0"));
        started = Long.parseLong(p.getProperty("started", "0"));
        finished = Long.parseLong(p.getProperty("finished", "0"));
        error = p.getProperty("error", "");
    }

    private void save() {
        Properties p = new Properties();
        p.setProperty("state", state);
        p.setProperty("target", target);
        p.setProperty("bucket", bucket);
        p.setProperty("cursor", cursor);
        p.setProperty("scanned", Long.toString(scanned.get()));
        p.setProperty("rewrapped", Long.toString(rewrapped.get()));
        p.setProperty("remaining", Long.toString(remaining.get()));
        p.setProperty("kmsKeys", Long.toString(kmsKeys));
        p.setProperty("openUploads", Long.toString(openUploads));
        p.setProperty("started", Long.toString(started));
        p.setProperty("finished", Long.toString(finished));
        p.setProperty("error", error);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        meta.put(PARTITION, JOB, out.toString(StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1));
    }
}

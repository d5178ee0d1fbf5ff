package org.mictlanx.router.usage;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.BucketUsage;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.UsageRecords;
import org.mictlanx.router.meta.UsageRecords.Base;
import org.mictlanx.router.meta.UsageRecords.Counts;
import org.mictlanx.router.meta.UsageRecords.Writer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-bucket usage (bytes, ball count, bytes of open uploads' parts) kept incrementally, and the hard
 * bucket quotas checked against it.
 *
 * <p><b>Design.</b> Every router process is a <em>writer</em> with a random id (a new one each
 * {@code rotateAfter}): commits, deletes and part writes add their change to the writer's in-memory
 * cumulative counter per bucket (after the metadata write succeeded), and {@link #flush} writes the
 * changed counters to the replicated table (partition {@code _mx.usage}, one quorum batch) every
 * {@code flushInterval}. A counter record is written by its writer only, so last-writer-wins never
 * loses an increment. A bucket's usage is {@code base + sum(writer - base.asOf[writer])}: the base is
 * the last recount's figures together with the writer counters it already includes.
 *
 * <p><b>Drift.</b> Changes not flushed when a router dies, and overwrites racing on one key (each
 * writer subtracts the ball it read as replaced), make the figures drift; {@link #recount} scans the
 * bucket's balls and parts and writes a new base, so no drift survives a recount (periodic, and
 * {@code admin bucket recount}). Writes committing during a recount may be counted twice or not at
 * all; the next recount corrects them. Counter records of writers that stopped writing more than
 * three rotations ago are folded into the base by a recount.
 *
 * <p><b>Quotas.</b> {@link #admit} checks a write's size against the quota before any of its data is
 * stored: the other writers' figures (read at most {@code refreshInterval} ago; for a bucket that had no
 * quota at the last read they are re-read in the background, so a new quota binds this router one
 * metadata read after {@code refreshInterval}) plus this router's
 * own counters and in-flight reservations plus the write. Across routers a quota may therefore be
 * passed by what other routers admitted but had not yet flushed or that this router had not yet
 * read: at most the writes accepted elsewhere within {@code flushInterval + refreshInterval} plus
 * those in flight there (docs/operations.md).
 */
public final class UsageLedger {

    private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);
    private static final int BATCH = 500;
    private static final int PAGE = 1000;

    private final ReplicatedTable table;
    private final Clock clock;
    private final UsageConfig config;
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();
    private final Object flushLock = new Object();
    /** The generation that takes new changes, and rotated ones kept until their records are final and old. */
    private Gen current;
    private final List<Gen> older = new ArrayList<>();
    /** Bytes admitted and not yet committed or given up, per bucket (under lock). */
    private final Map<String, Long> inFlight = new HashMap<>();
    private final Map<String, Shared> shared = new ConcurrentHashMap<>();
    /** Buckets whose figures are being re-read in the background. */
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

    public UsageLedger(ReplicatedTable table, Clock clock, UsageConfig config) {
        this.table = table;
        this.clock = clock;
        this.config = config;
        this.current = new Gen(newWriterId(), clock.millis());
    }

    public UsageConfig config() {
        return config;
    }

    /** The id under which this router currently writes its counters. */
    public String writerId() {
        synchronized (lock) {
            return current.id;
        }
    }

    // ---- changes ----

    /** A ball was committed under a key that held {@code replaced} (empty: no live ball). */
    public void committed(String bucket, Optional<BallRecord> replaced, BallRecord ball) {
        long old = replaced.map(BallRecord::size).orElse(0L);
        add(bucket, new Counts(ball.size() - old, replaced.isPresent() ? 0 : 1, 0));
    }

    /** A live ball was deleted. */
    public void removed(String bucket, BallRecord old) {
        add(bucket, new Counts(-old.size(), -1, 0));
    }

    /** A part of an open upload was stored ({@code replacedSize}: the part it replaced, else 0). */
    public void partStored(String bucket, long size, long replacedSize) {
        add(bucket, new Counts(0, 0, size - replacedSize));
    }

    /** A part was dropped (abort, expiry, completion). */
    public void partDropped(String bucket, long size) {
        add(bucket, new Counts(0, 0, -size));
    }

    private void add(String bucket, Counts delta) {
        if (delta.isZero()) return;
        synchronized (lock) {
            current.cumulative.merge(bucket, delta, Counts::plus);
            current.dirty.add(bucket);
        }
    }

    // ---- quotas ----

    /**
     * Admits a write of {@code bytes} (0 when the length is unknown: grow the reservation as data
     * arrives) into {@code bucket}: QUOTA_EXCEEDED when it would take the bucket past its quota.
     * Close the reservation once the write committed (its change is counted by then) or failed.
     */
    public Reservation admit(String bucket, long bytes) {
        Shared s = shared.get(bucket);
        if (s != null && s.quota < 0 && stale(s)) {
            // no quota as of the last read: re-read in the background instead of delaying this write
            if (refreshing.add(bucket)) {
                Thread.ofVirtual().name("usage-refresh").start(() -> {
                    try {
                        shared(bucket, false);
                    } catch (RuntimeException e) {
                        LOG.debug("usage refresh of {} failed: {}", bucket, e.toString());
                    } finally {
                        refreshing.remove(bucket);
                    }
                });
            }
        } else {
            s = shared(bucket, false);
        }
        if (s.quota < 0) return new Reservation(this, bucket, -1);
        reserve(s, bucket, Math.max(0, bytes));
        return new Reservation(this, bucket, Math.max(0, bytes));
    }

    void reserve(String bucket, long bytes) {
        reserve(shared(bucket, false), bucket, bytes);
    }

    private void reserve(Shared s, String bucket, long bytes) {
        synchronized (lock) {
            long used = s.others.plus(local(bucket, s.asOf)).bytesWithUploads() + inFlight.getOrDefault(bucket, 0L);
            if (s.quota >= 0 && used + bytes > s.quota) {
                throw new RouterException(RouterException.Kind.QUOTA_EXCEEDED, "Bucket quota exceeded: bucket " + bucket
                        + " has a quota of " + s.quota + " bytes and uses " + used + "; this write needs " + bytes + " more",
                        Long.toString(s.quota), null);
            }
            inFlight.merge(bucket, bytes, Long::sum);
        }
    }

    void release(String bucket, long bytes) {
        synchronized (lock) {
            inFlight.computeIfPresent(bucket, (k, v) -> v - bytes == 0 ? null : v - bytes);
        }
    }

    /** Sets the bucket's hard quota in bytes (0 refuses every write that adds bytes). */
    public void setQuota(String bucket, long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("a quota is at least 0 bytes");
        table.write(new MetaRecord(UsageRecords.PARTITION, UsageRecords.quotaKey(bucket), table.nextVersion(), false,
                UsageRecords.encodeQuota(bytes)));
        shared.remove(bucket);
    }

    public void clearQuota(String bucket) {
        table.write(MetaRecord.tombstone(UsageRecords.PARTITION, UsageRecords.quotaKey(bucket), table.nextVersion()));
        shared.remove(bucket);
    }

    // ---- reading ----

    /** The bucket's usage now: a quorum read of the usage records plus this router's unflushed changes. */
    public BucketUsage usage(String bucket) {
        Shared s = shared(bucket, true);
        return toUsage(bucket, s);
    }

    /** The usage of every bucket that has usage records, from one scan of the partition. */
    public Map<String, BucketUsage> all() {
        Map<String, List<MetaRecord>> byBucket = new LinkedHashMap<>();
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(UsageRecords.PARTITION, null, after, PAGE, false);
            for (MetaRecord r : page.records()) byBucket.computeIfAbsent(UsageRecords.bucketOf(r.sortKey()), k -> new ArrayList<>()).add(r);
            if (!page.more() || page.records().isEmpty()) break;
            after = page.records().get(page.records().size() - 1).sortKey();
        }
        Map<String, BucketUsage> out = new LinkedHashMap<>();
        byBucket.forEach((bucket, records) -> {
            Shared s = parse(records);
            shared.put(bucket, s);
            out.put(bucket, toUsage(bucket, s));
        });
        return out;
    }

    private BucketUsage toUsage(String bucket, Shared s) {
        Counts c;
        synchronized (lock) {
            c = s.others.plus(local(bucket, s.asOf));
        }
        return new BucketUsage(bucket, c.bytes(), c.objects(), c.uploadBytes(), s.quota);
    }

    /** What the records say about everyone but this router, read at most {@code refreshInterval} ago unless {@code fresh}. */
    private Shared shared(String bucket, boolean fresh) {
        Shared s = shared.get(bucket);
        if (!fresh && s != null && !stale(s)) return s;
        s = parse(scan(bucket));
        shared.put(bucket, s);
        return s;
    }

    private boolean stale(Shared s) {
        return System.nanoTime() - s.readAtNanos >= config.refreshInterval().toNanos();
    }

    private List<MetaRecord> scan(String bucket) {
        List<MetaRecord> out = new ArrayList<>();
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(UsageRecords.PARTITION, UsageRecords.prefix(bucket), after, PAGE, false);
            out.addAll(page.records());
            if (!page.more() || page.records().isEmpty()) return out;
            after = page.records().get(page.records().size() - 1).sortKey();
        }
    }

    private Shared parse(List<MetaRecord> records) {
        Base base = new Base(Counts.ZERO, 0, Map.of());
        long quota = -1;
        Map<String, Writer> writers = new HashMap<>();
        for (MetaRecord r : records) {
            try {
                String id = UsageRecords.writerOf(r.sortKey());
                if (id != null) writers.put(id, Writer.decode(r.value()));
                else if (UsageRecords.isBase(r.sortKey())) base = Base.decode(r.value());
                else if (UsageRecords.isQuota(r.sortKey())) quota = UsageRecords.decodeQuota(r.value());
            } catch (RuntimeException e) {
                LOG.warn("ignoring an unreadable usage record {}: {}", r.sortKey().replace('\0', '/'), e.toString());
            }
        }
        Set<String> mine = localIds();
        Counts others = base.counts();
        for (Map.Entry<String, Writer> w : writers.entrySet()) {
            if (mine.contains(w.getKey())) continue;
            others = others.plus(w.getValue().counts().minus(base.asOf().getOrDefault(w.getKey(), Counts.ZERO)));
        }
        return new Shared(others, base.asOf(), quota, System.nanoTime());
    }

    /** This router's own change not included in a base (under lock). */
    private Counts local(String bucket, Map<String, Counts> asOf) {
        Counts c = Counts.ZERO;
        for (Gen g : gens()) {
            Counts mine = g.cumulative.get(bucket);
            if (mine != null) c = c.plus(mine.minus(asOf.getOrDefault(g.id, Counts.ZERO)));
        }
        return c;
    }

    private List<Gen> gens() {
        List<Gen> all = new ArrayList<>(older);
        all.add(current);
        return all;
    }

    private Set<String> localIds() {
        synchronized (lock) {
            Set<String> ids = new HashSet<>();
            for (Gen g : gens()) ids.add(g.id);
            return ids;
        }
    }

    // ---- flushing ----

    /**
     * Writes every changed counter of this router (one quorum batch per 500). Returns false when a
     * write failed (its counters stay marked and go with the next flush). Rotates the writer id first
     * when the current one is older than {@code rotateAfter}.
     */
    public boolean flush() {
        synchronized (flushLock) {
            long now = clock.millis();
            List<MetaRecord> records = new ArrayList<>();
            Map<Gen, Set<String>> taken = new HashMap<>();
            synchronized (lock) {
                if (now - current.started >= config.rotateAfter().toMillis()) {
                    older.add(current);
                    current = new Gen(newWriterId(), now);
                }
                // a rotated generation is final once flushed; keep it until its records may be folded
                older.removeIf(g -> g.dirty.isEmpty() && now - g.started > 2 * config.rotateAfter().toMillis());
                for (Gen g : gens()) {
                    for (String bucket : g.dirty) {
                        records.add(new MetaRecord(UsageRecords.PARTITION, UsageRecords.writerKey(bucket, g.id), table.nextVersion(),
                                false, new Writer(g.cumulative.get(bucket), now).encode()));
                    }
                    if (!g.dirty.isEmpty()) taken.put(g, new HashSet<>(g.dirty));
                    g.dirty.clear();
                }
            }
            if (records.isEmpty()) return true;
            boolean ok = true;
            for (int i = 0; i < records.size(); i += BATCH) {
                try {
                    table.write(UsageRecords.PARTITION, records.subList(i, Math.min(records.size(), i + BATCH)));
                } catch (RuntimeException e) {
                    ok = false;
                    LOG.debug("usage flush failed: {}", e.toString());
                }
            }
            if (!ok) {
                synchronized (lock) {
                    taken.forEach((g, buckets) -> g.dirty.addAll(buckets));
                }
            }
            return ok;
        }
    }

    // ---- recount and reset ----

    /** A recount's outcome: the figures before (as accounted) and after (as counted). */
    public record Recount(BucketUsage before, BucketUsage after) {
    }

    /**
     * Counts the bucket's balls and open uploads' parts by scanning their records and writes the
     * result as the new base, together with the writer counters read after the scan; counters of
     * writers idle for more than three rotations are folded in (tombstoned).
     */
    public Recount recount(String bucket, java.util.function.Supplier<Counts> scan) {
        BucketUsage before = usage(bucket);
        flush();
        Counts scanned = scan.get();
        rebase(bucket, scanned, false);
        return new Recount(before, usage(bucket));
    }

    /** A new or deleted bucket starts from zero (and without a quota); best effort. */
    public void reset(String bucket) {
        try {
            flush();
            rebase(bucket, Counts.ZERO, true);
        } catch (RuntimeException e) {
            LOG.warn("could not reset the usage of bucket {} (a recount corrects it): {}", bucket, e.toString());
        }
    }

    private void rebase(String bucket, Counts counts, boolean clearQuota) {
        long now = clock.millis();
        long foldAfter = 3 * config.rotateAfter().toMillis();
        Set<String> mine = localIds();
        List<MetaRecord> out = new ArrayList<>();
        Map<String, Counts> asOf = new LinkedHashMap<>();
        for (MetaRecord r : scan(bucket)) {
            String id = UsageRecords.writerOf(r.sortKey());
            if (id == null) continue;
            Writer w;
            try {
                w = Writer.decode(r.value());
            } catch (RuntimeException e) {
                out.add(MetaRecord.tombstone(UsageRecords.PARTITION, r.sortKey(), table.nextVersion()));
                continue;
            }
            if (!mine.contains(id) && now - w.writtenMillis() > foldAfter) {
                out.add(MetaRecord.tombstone(UsageRecords.PARTITION, r.sortKey(), table.nextVersion()));
            } else {
                asOf.put(id, w.counts());
            }
        }
        if (clearQuota) out.add(MetaRecord.tombstone(UsageRecords.PARTITION, UsageRecords.quotaKey(bucket), table.nextVersion()));
        out.add(new MetaRecord(UsageRecords.PARTITION, UsageRecords.baseKey(bucket), table.nextVersion(), false,
                new Base(counts, now, asOf).encode()));
        table.write(UsageRecords.PARTITION, out);
        shared.remove(bucket);
    }

    private String newWriterId() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static final class Gen {
        final String id;
        final long started;
        final Map<String, Counts> cumulative = new HashMap<>();
        final Set<String> dirty = new HashSet<>();

        Gen(String id, long started) {
            this.id = id;
            this.started = started;
        }
    }

    /** The base and other writers' share of a bucket's usage, as read at {@code readAtNanos}. */
    private record Shared(Counts others, Map<String, Counts> asOf, long quota, long readAtNanos) {
    }
}

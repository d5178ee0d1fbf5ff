package org.mictlanx.peer;

import org.mictlanx.peer.api.ChunkBytes;
import org.mictlanx.peer.api.ChunkIds;
import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.ChunkPage;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.api.PeerHealth;
import org.mictlanx.peer.api.PeerStats;
import org.mictlanx.peer.api.ScrubReport;
import org.mictlanx.peer.http.BodyDigest;
import org.mictlanx.peer.store.ChunkCodec;
import org.mictlanx.peer.store.ChunkStore;
import org.mictlanx.peer.store.DirectBufferPool;
import org.mictlanx.peer.store.DiskGuard;
import org.mictlanx.peer.store.MemoryChunkStore;
import org.mictlanx.peer.store.MemoryRecordStore;
import org.mictlanx.peer.store.OwnerOnly;
import org.mictlanx.peer.store.RecordStore;
import org.mictlanx.peer.store.RocksChunkStore;
import org.mictlanx.peer.store.RocksDatabase;
import org.mictlanx.peer.store.RocksRecordStore;
import org.mictlanx.peer.store.VerifiedChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The in-process storage peer: validates input, reads chunk bodies (at most {@code maxChunkBytes},
 * buffered once), verifies their CRC32C before storing, and delegates to a {@link ChunkStore} and a
 * {@link RecordStore}. Runs the periodic tombstone sweep. Thread-safe.
 */
public final class LocalPeer implements PeerApi {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPeer.class);
    public static final int MAX_LIMIT = 10_000;
    /** Chunks of at least this size are staged off-heap when a staging buffer is free. */
    static final int DIRECT_MIN_BYTES = 256 << 10;
    /** At most this many staging buffers of {@code maxChunkBytes} each (128 MiB at the default 16 MiB). */
    static final int STAGING_BUFFERS = 8;
    /** How often the blob garbage of the chunks family is looked at ({@code RocksDatabase#adjustBlobGarbageCollection}). */
    static final java.time.Duration BLOB_GC_CHECK_EVERY = java.time.Duration.ofSeconds(30);

    private final PeerConfig config;
    /** The store; replaced (under the write lock) only by an online {@link #rebuildStore rebuild}. */
    private volatile RocksDatabase database;
    private volatile ChunkStore chunks;
    private volatile RecordStore records;
    private final DiskGuard diskGuard;
    private final Clock clock;
    private final ScheduledExecutorService sweeper;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Off-heap staging for large chunk bodies on RocksDB peers (null for in-memory ones). */
    private final DirectBufferPool stagingBuffers;
    /** The continuous background scrub (RocksDB peers; null for in-memory ones). */
    private volatile Scrubber scrubber;
    /** RocksDB's identity of the store (created with an empty data directory); random for in-memory peers. */
    private volatile String incarnation;
    private volatile boolean closed;
    /** Set while an online store rebuild runs: data calls are refused until it ends. */
    private volatile boolean rebuilding;
    private volatile org.mictlanx.peer.api.StoreRebuildStatus rebuild;
    /** Calls refused while the store is damaged or rebuilt (the router asks another replica). */
    private static final java.util.Set<String> DATA_OPS = java.util.Set.of("getChunk", "headChunk", "listChunks", "putChunk",
            "deleteChunk", "putRecord", "putRecordIf", "putRecords", "getRecord", "scanRecords");

    private LocalPeer(PeerConfig config, RocksDatabase database, ChunkStore chunks, RecordStore records,
                      DiskGuard diskGuard, Clock clock) {
        this.config = config;
        this.database = database;
        this.chunks = chunks;
        this.records = records;
        this.diskGuard = diskGuard;
        this.clock = clock;
        this.stagingBuffers = database == null ? null
                : new DirectBufferPool(STAGING_BUFFERS, (int) (ChunkCodec.HEADER_BYTES + config.maxChunkBytes()));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "peer-" + config.id() + "-tombstone-sweep");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, config.tombstoneSweepEvery().toMillis());
        sweeper.scheduleWithFixedDelay(this::sweepTombstones, every, every, TimeUnit.MILLISECONDS);
        if (database != null) {
            long gc = BLOB_GC_CHECK_EVERY.toMillis();
            sweeper.scheduleWithFixedDelay(this::adjustBlobGarbageCollection, 0, gc, TimeUnit.MILLISECONDS);
        }
        this.incarnation = database == null ? java.util.UUID.randomUUID().toString() : database.identity();
        this.scrubber = database == null ? null
                : new Scrubber(config.id(), chunks, config.scrubBytesPerSecond(), this::op, clock);
        if (scrubber != null) scrubber.start();
    }

    /**
     * Opens the peer: RocksDB under {@code config.dataDir()} (created owner-only, 0700, its files
     * restricted to 0600; see {@link OwnerOnly}), or in memory when it is null.
     */
    public static LocalPeer open(PeerConfig config) {
        return open(config, Clock.systemUTC());
    }

    public static LocalPeer open(PeerConfig config, Clock clock) {
        if (config.dataDir() == null) {
            DiskGuard guard = new DiskGuard(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")), 0);
            return new LocalPeer(config, null, new MemoryChunkStore(), new MemoryRecordStore(clock), guard, clock);
        }
        try {
            if (!OwnerOnly.directory(config.dataDir())) {
                LOG.warn("peer {}: data directory {} is not owned by this user and stays accessible beyond it; "
                        + "use a subdirectory of it as the data directory to make it owner-only", config.id(), config.dataDir());
            }
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "cannot create " + config.dataDir() + " owner-only", e);
        }
        DiskGuard guard = new DiskGuard(config.dataDir(), config.diskReserveBytes());
        RocksDatabase db = new RocksDatabase(config.dataDir(), guard);
        try {
            OwnerOnly.files(config.dataDir());
        } catch (IOException e) {
            db.close();
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "cannot restrict the files of " + config.dataDir() + " to their owner", e);
        }
        return new LocalPeer(config, db, new RocksChunkStore(db, config.unloggedChunkMinBytes(), RocksChunkStore.DEFAULT_UNLOGGED_MIN_CONCURRENT), new RocksRecordStore(db, clock), guard, clock);
    }

    /** The underlying database (null for in-memory peers): for tests that damage stored values. */
    public RocksDatabase databaseForTesting() {
        return database;
    }

    /** The chunk store: for tests that damage stored values of in-memory peers. */
    public ChunkStore chunkStoreForTesting() {
        return chunks;
    }

    public PeerConfig config() {
        return config;
    }

    /** Runs one tombstone purge now; returns how many tombstones were removed. */
    public int sweepTombstones() {
        try {
            int n = op("sweepTombstones", () -> records.purgeTombstones(clock.millis() - config.tombstoneTtl().toMillis()));
            if (n > 0) LOG.info("peer {} purged {} expired tombstones", config.id(), n);
            return n;
        } catch (RuntimeException e) {
            LOG.warn("peer {} tombstone sweep failed", config.id(), e);
            return 0;
        }
    }

    private void adjustBlobGarbageCollection() {
        try {
            op("adjustBlobGc", () -> database.adjustBlobGarbageCollection());
        } catch (RuntimeException e) {
            LOG.warn("peer {} blob garbage collection check failed", config.id(), e);
        }
    }

    /**
     * Runs one operation under the read side of the open/close lock, so the native database is never
     * closed under a running call.
     */
    <T> T op(String name, Supplier<T> body) {
        counts.computeIfAbsent(name, k -> new LongAdder()).increment();
        if (rebuilding) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + config.id() + ": " + PeerHealth.STORE_REBUILDING);
        }
        if (DATA_OPS.contains(name)) quarantine();
        lifecycle.readLock().lock();
        try {
            if (closed) throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + config.id() + " is closed");
            if (rebuilding) {
                throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + config.id() + ": " + PeerHealth.STORE_REBUILDING);
            }
            return body.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Refuses a data call while the store is damaged (quarantine of the whole store: what a damaged
     * RocksDB still answers cannot be trusted to be complete); the router asks another replica, and
     * the store is rebuilt ({@link #rebuildStore}).
     */
    private void quarantine() {
        RocksDatabase db = database;
        if (db == null) return;
        Optional<String> d = db.storeDamage();
        if (d.isPresent()) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + config.id() + " quarantined: "
                    + PeerHealth.STORE_DAMAGED + d.get() + " (rebuild it: docs/operations.md, \"A damaged peer\")");
        }
    }

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public void putChunk(String id, InputStream body, long length, int crc32c) {
        try (ChunkUpload upload = beginChunkPut(id, length, crc32c)) {
            upload.readFrom(body);
            upload.commit();
        }
    }

    /**
     * Starts a chunk put whose body the caller appends (see {@link ChunkUpload}); checks the id, the
     * length against {@code maxChunkBytes} and the disk reserve first, so a refused put reads nothing.
     * The caller must close the upload.
     */
    public ChunkUpload beginChunkPut(String id, long length, int crc32c) {
        return beginChunkPut(id, length, crc32c, null, null);
    }

    /**
     * Like {@link #beginChunkPut(String, long, int)}, and the body must also match {@code expectedDigest}
     * as computed by {@code digest} (when not null: the digest a signed HTTP request announced),
     * checked before anything is stored.
     */
    public ChunkUpload beginChunkPut(String id, long length, int crc32c, BodyDigest digest, String expectedDigest) {
        ChunkIds.require(id);
        if (length < 0) throw new PeerException(PeerException.Kind.BAD_REQUEST, "negative length");
        if (length > config.maxChunkBytes()) {
            throw new PeerException(PeerException.Kind.TOO_LARGE, "chunk of " + length + " bytes exceeds " + config.maxChunkBytes());
        }
        diskGuard.check(length);
        return new ChunkUpload(this, id, (int) length, crc32c, digest, expectedDigest, length >= DIRECT_MIN_BYTES ? stagingBuffers : null);
    }

    /**
     * Stores a verified framed chunk (see {@link ChunkStore#putFramed(String, ByteBuffer, int, Runnable)});
     * {@code bufferFree} runs at most once, when the store no longer reads {@code framed}.
     */
    void storeFramed(String id, ByteBuffer framed, int crc32c, Runnable bufferFree) {
        op("putChunk", () -> {
            if (framed.hasArray() && framed.arrayOffset() == 0 && framed.limit() == framed.array().length) {
                chunks.putFramed(id, framed.array(), crc32c);
            } else {
                chunks.putFramed(id, framed, crc32c, bufferFree);
            }
            return null;
        });
    }

    @Override
    public byte[] getChunk(String id, long offset, long length) {
        byte[] data = readChunk(id).bytes();
        if (offset < 0 || offset > data.length) {
            throw new PeerException(PeerException.Kind.BAD_REQUEST, "offset " + offset + " outside chunk of " + data.length);
        }
        long end = length < 0 ? data.length : Math.min(data.length, offset + length);
        return offset == 0 && end == data.length ? data : Arrays.copyOfRange(data, (int) offset, (int) end);
    }

    /** The verified stored value's payload in place (no copy). */
    @Override
    public ChunkBytes getChunkBytes(String id) {
        VerifiedChunk v = readChunk(id);
        return new ChunkBytes(v.array(), v.offset(), v.length());
    }

    /**
     * The whole chunk, verified against its stored checksum, with that checksum (so the HTTP layer
     * need not compute it again). Throws NOT_FOUND or CORRUPT; counted as a {@code getChunk}.
     */
    public VerifiedChunk readChunk(String id) {
        ChunkIds.require(id);
        return op("getChunk", () -> chunks.read(id)).orElseThrow(() -> notFound(id));
    }

    private static PeerException notFound(String id) {
        return new PeerException(PeerException.Kind.NOT_FOUND, "no chunk " + id);
    }

    @Override
    public Optional<ChunkInfo> headChunk(String id) {
        ChunkIds.require(id);
        return op("headChunk", () -> chunks.head(id));
    }

    @Override
    public boolean deleteChunk(String id) {
        ChunkIds.require(id);
        return op("deleteChunk", () -> chunks.delete(id));
    }

    @Override
    public ChunkPage listChunks(String after, int limit) {
        if (after != null) ChunkIds.require(after);
        checkLimit(limit);
        return op("listChunks", () -> chunks.list(after, limit));
    }

    private static int checkLimit(int limit) {
        if (limit <= 0 || limit > MAX_LIMIT) throw new PeerException(PeerException.Kind.BAD_REQUEST, "limit must be 1.." + MAX_LIMIT);
        return limit;
    }

    @Override
    public boolean putRecord(MetaRecord record) {
        return op("putRecord", () -> records.put(record));
    }

    @Override
    public boolean putRecordIf(MetaRecord record, long expectedVersion) {
        if (record == null) throw new PeerException(PeerException.Kind.BAD_REQUEST, "null record");
        return op("putRecordIf", () -> records.putIf(record, expectedVersion));
    }

    @Override
    public void putRecords(List<MetaRecord> batch) {
        putRecordsReporting(batch);
    }

    /** Like {@link #putRecords} but reports, per record, whether it is now the stored version. */
    public List<Boolean> putRecordsReporting(List<MetaRecord> batch) {
        return op("putRecords", () -> batch.isEmpty() ? List.<Boolean>of() : records.putAll(batch));
    }

    @Override
    public Optional<MetaRecord> getRecord(String partition, String sortKey) {
        if (partition == null || sortKey == null) throw new PeerException(PeerException.Kind.BAD_REQUEST, "partition and sort key required");
        return op("getRecord", () -> records.get(partition, sortKey));
    }

    @Override
    public List<MetaRecord> scanRecords(String partition, String prefix, String startAfter, int limit) {
        if (partition == null) throw new PeerException(PeerException.Kind.BAD_REQUEST, "partition required");
        checkLimit(limit);
        return op("scanRecords", () -> records.scan(partition, prefix, startAfter, limit));
    }

    /**
     * Ready unless closed, the disk is below its reserve, or RocksDB reported corruption or a
     * background error it has not recovered from ({@link RocksDatabase#problem()}).
     */
    @Override
    public PeerHealth health() {
        long damaged = scrubber == null ? 0 : scrubber.damagedFound();
        if (closed) return new PeerHealth(config.id(), false, false, "closed", damaged, incarnation);
        String problem = problem();
        return new PeerHealth(config.id(), true, problem == null, problem == null ? "ok" : problem, damaged, incarnation);
    }

    /** Why the peer is not ready, null when it is. */
    private String problem() {
        if (rebuilding) return PeerHealth.STORE_REBUILDING;
        RocksDatabase db = database;
        if (db == null) return null;
        Optional<String> damaged = db.storeDamage();
        if (damaged.isPresent()) return PeerHealth.STORE_DAMAGED + damaged.get();
        Optional<String> p = db.problem();
        if (p.isPresent()) return p.get();
        return diskGuard.full() ? "disk free below reserve" : null;
    }

    /** One step of the background scrub now (verifies the next chunk): for tests that need it without waiting. */
    public void scrubStepForTesting() {
        if (scrubber != null) scrubber.step();
    }

    @Override
    public PeerStats stats() {
        if (rebuilding) { // the store is closed: what does not need it
            Map<String, Long> snapshot = new TreeMap<>();
            counts.forEach((k, v) -> snapshot.put(k, v.sum()));
            return new PeerStats(config.id(), 0, 0, 0, diskGuard.freeBytes(), snapshot, 0, problem(),
                    org.mictlanx.peer.api.ScrubProgress.none());
        }
        return op("stats", () -> {
            Map<String, Long> snapshot = new TreeMap<>();
            counts.forEach((k, v) -> snapshot.put(k, v.sum()));
            return new PeerStats(config.id(), chunks.count(), chunks.bytes(), records.count(), diskGuard.freeBytes(), snapshot,
                    database == null ? 0 : database.errorsSeen(), problem(),
                    scrubber == null ? org.mictlanx.peer.api.ScrubProgress.none() : scrubber.progress());
        });
    }

    @Override
    public ScrubReport scrub() {
        ScrubReport r = op("scrub", chunks::scrub);
        if (!r.corruptIds().isEmpty()) LOG.warn("peer {} scrub found corrupt chunks: {}", config.id(), r.corruptIds());
        return r;
    }

    /**
     * Starts the online rebuild of a damaged store (see {@link PeerApi#rebuildStore}) on a thread of its
     * own and returns its status at once. The rebuild: data calls are refused, the scrub stops, the
     * store is closed, {@link org.mictlanx.peer.store.StoreRebuild} sets its files aside and salvages
     * what reads into a fresh store, which is opened in its place (new identity, scrub restarted).
     */
    @Override
    public synchronized org.mictlanx.peer.api.StoreRebuildStatus rebuildStore(boolean force) {
        if (database == null) throw new PeerException(PeerException.Kind.BAD_REQUEST, "in-memory peer " + config.id() + " has no store to rebuild");
        if (closed) throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + config.id() + " is closed");
        if (rebuilding) return rebuild;
        Optional<String> damage = database.storeDamage();
        long now = clock.millis();
        if (damage.isEmpty() && !force) {
            return new org.mictlanx.peer.api.StoreRebuildStatus(config.id(), "not-needed", "the store reports no damage",
                    null, List.of(), incarnation, now, now);
        }
        String reason = damage.orElse("forced by an operator");
        rebuilding = true;
        rebuild = new org.mictlanx.peer.api.StoreRebuildStatus(config.id(), "running", reason, null, List.of(), incarnation, now, 0);
        LOG.warn("peer {}: online store rebuild started ({}); data calls are refused until it ends", config.id(), reason);
        Thread.ofPlatform().name("peer-" + config.id() + "-store-rebuild").daemon(true).start(() -> runRebuild(reason, now));
        return rebuild;
    }

    @Override
    public org.mictlanx.peer.api.StoreRebuildStatus rebuildStatus() {
        var r = rebuild;
        return r != null ? r : PeerApi.super.rebuildStatus();
    }

    private void runRebuild(String reason, long started) {
        Scrubber s = scrubber;
        if (s != null) s.stop(); // before the write lock: its step holds the read lock
        org.mictlanx.peer.api.StoreRebuildStatus end;
        lifecycle.writeLock().lock();
        try {
            if (closed) return;
            chunks.close();
            records.close();
            database.close();
            org.mictlanx.peer.store.StoreRebuild.Report report = null;
            String error = null;
            try {
                report = org.mictlanx.peer.store.StoreRebuild.rebuild(config.dataDir(), org.mictlanx.peer.cli.Preflight.LOCK_FILE,
                        config.diskReserveBytes());
            } catch (IOException | RuntimeException e) {
                error = e.toString();
                LOG.error("peer {}: store salvage failed ({}); opening a store in place of it", config.id(), error);
            }
            openStore();
            List<String> families = report == null ? List.of() : report.families().stream()
                    .map(f -> f.name() + ": " + f.copied() + " copied (" + f.bytes() + " bytes)"
                            + (f.damage().isEmpty() ? "" : ", damage skipped: " + String.join("; ", f.damage())))
                    .toList();
            if (report != null && report.openError() != null) error = "damaged store unreadable: " + report.openError();
            end = new org.mictlanx.peer.api.StoreRebuildStatus(config.id(), error == null ? "done" : "failed",
                    error == null ? reason : reason + "; " + error,
                    report == null ? null : report.setAside().toString(), families, incarnation, started, clock.millis());
            LOG.warn("peer {}: online store rebuild {}: {}; new store {} (routers refill it)", config.id(), end.state(), families, incarnation);
        } catch (RuntimeException e) {
            end = new org.mictlanx.peer.api.StoreRebuildStatus(config.id(), "failed", reason + "; " + e, null, List.of(),
                    incarnation, started, clock.millis());
            LOG.error("peer {}: online store rebuild failed; no store could be opened, the peer closes", config.id(), e);
            closed = true; // never serve from a closed store
        } finally {
            lifecycle.writeLock().unlock();
        }
        rebuild = end;
        rebuilding = false;
        Scrubber fresh = scrubber;
        if (fresh != s && !closed) fresh.start();
    }

    /** Opens the store under the data directory in place of the closed one (rebuild); its scrub is not started yet. */
    private void openStore() {
        RocksDatabase db = new RocksDatabase(config.dataDir(), diskGuard);
        try {
            OwnerOnly.files(config.dataDir());
        } catch (IOException e) {
            LOG.warn("peer {}: cannot restrict the rebuilt store's files to their owner: {}", config.id(), e.toString());
        }
        database = db;
        chunks = new RocksChunkStore(db, config.unloggedChunkMinBytes(), RocksChunkStore.DEFAULT_UNLOGGED_MIN_CONCURRENT);
        records = new RocksRecordStore(db, clock);
        incarnation = db.identity();
        scrubber = new Scrubber(config.id(), chunks, config.scrubBytesPerSecond(), this::op, clock); // started by the caller
    }

    @Override
    public void close() {
        Scrubber scrubber = this.scrubber;
        if (scrubber != null) scrubber.stop(); // before the write lock: its step holds the read lock
        lifecycle.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            sweeper.shutdownNow();
            chunks.close();
            records.close();
            if (database != null) database.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
        Scrubber now = this.scrubber; // one an online rebuild started meanwhile
        if (now != null && now != scrubber) now.stop();
    }
}

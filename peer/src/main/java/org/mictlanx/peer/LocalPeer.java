package org.mictlanx.peer;

import org.mictlanx.peer.api.ChunkBuffer;
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
    /** The online store rebuild: while it runs, data calls are refused. */
    private final OnlineStoreRebuild rebuilds;

    private LocalPeer(PeerConfig config, RocksDatabase database, ChunkStore chunks, RecordStore records,
                      DiskGuard diskGuard, Clock clock) {
        this.config = config;
        this.rebuilds = new OnlineStoreRebuild(config.id(), config.dataDir(), config.diskReserveBytes(), clock);
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
        RocksDatabase db = OwnerOnly.openStore(config.dataDir(), config.diskReserveBytes(), config.id());
        DiskGuard guard = db.diskGuard();
        return new LocalPeer(config, db, new RocksChunkStore(db, config.unloggedChunkMinBytes(), RocksChunkStore.DEFAULT_UNLOGGED_MIN_CONCURRENT), new RocksRecordStore(db, clock), guard, clock);
    }

    /** The underlying database (null for in-memory peers); this package's test fixtures reach it here. */
    RocksDatabase database() {
        return database;
    }

    /** The chunk store; this package's test fixtures reach it here. */
    ChunkStore chunkStore() {
        return chunks;
    }

    /**
     * A RocksDB property of this peer's store (see {@link RocksDatabase#property}), for diagnostics
     * and the peer benchmark; null for an in-memory peer.
     */
    public String storeProperty(String columnFamily, String name) {
        return database == null ? null : database.property(columnFamily, name);
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
        rebuilds.checkServing(name, database);
        lifecycle.readLock().lock();
        try {
            if (closed) throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + config.id() + " is closed");
            if (rebuilds.running()) {
                throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + config.id() + ": " + PeerHealth.STORE_REBUILDING);
            }
            return body.get();
        } finally {
            lifecycle.readLock().unlock();
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

    /** The verified chunk in a buffer of the store's read pool when one is free (see {@link ChunkStore#readBuffer}). */
    @Override
    public ChunkBuffer getChunkBuffer(String id) {
        ChunkIds.require(id);
        return op("getChunk", () -> chunks.readBuffer(id)).orElseThrow(() -> notFound(id));
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
        return new PeerHealth(config.id(), true, problem == null, problem == null ? "ok" : problem, damaged, incarnation,
                database == null || rebuilds.running() ? List.of() : database.damagedRanges());
    }

    /** Why the peer is not ready, null when it is. */
    private String problem() {
        RocksDatabase db = database;
        String rebuildProblem = rebuilds.problem(db);
        if (rebuildProblem != null || db == null) return rebuildProblem;
        Optional<String> p = db.problem();
        if (p.isPresent()) return p.get();
        return diskGuard.full() ? "disk free below reserve" : null;
    }

    @Override
    public PeerStats stats() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((k, v) -> snapshot.put(k, v.sum()));
        if (rebuilds.running()) { // the store is closed: what does not need it
            return new PeerStats(config.id(), 0, 0, 0, diskGuard.freeBytes(), snapshot, 0, problem(),
                    org.mictlanx.peer.api.ScrubProgress.none());
        }
        return op("stats", () -> new PeerStats(config.id(), chunks.count(), chunks.bytes(), records.count(),
                diskGuard.freeBytes(), snapshot, database == null ? 0 : database.errorsSeen(), problem(),
                scrubber == null ? org.mictlanx.peer.api.ScrubProgress.none() : scrubber.progress(), database == null ? null : database.memory()));
    }

    @Override
    public ScrubReport scrub() {
        ScrubReport r = op("scrub", chunks::scrub);
        if (!r.corruptIds().isEmpty()) LOG.warn("peer {} scrub found corrupt chunks: {}", config.id(), r.corruptIds());
        return r;
    }

    /**
     * Starts the online rebuild of a damaged store (see {@link PeerApi#rebuildStore}, {@link OnlineStoreRebuild})
     * on a thread of its own and returns its status at once; the fresh store gets a new identity and scrub.
     */
    @Override
    public synchronized org.mictlanx.peer.api.StoreRebuildStatus rebuildStore(boolean force) {
        if (database == null) throw new PeerException(PeerException.Kind.BAD_REQUEST, "in-memory peer " + config.id() + " has no store to rebuild");
        if (closed) throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + config.id() + " is closed");
        if (rebuilds.running()) return rebuilds.status();
        var start = rebuilds.begin(database.storeDamage(), force, incarnation);
        if (rebuilds.running()) {
            Thread.ofPlatform().name("peer-" + config.id() + "-store-rebuild").daemon(true).start(() -> runRebuild(start));
        }
        return start;
    }

    @Override
    public org.mictlanx.peer.api.StoreRebuildStatus rebuildStatus() {
        var r = rebuilds.status();
        return r != null ? r : PeerApi.super.rebuildStatus();
    }

    private void runRebuild(org.mictlanx.peer.api.StoreRebuildStatus start) {
        Scrubber s = scrubber;
        if (s != null) s.stop(); // before the write lock: its step holds the read lock
        org.mictlanx.peer.api.StoreRebuildStatus end;
        lifecycle.writeLock().lock();
        try {
            if (closed) return;
            chunks.close();
            records.close();
            database.close();
            end = rebuilds.salvage(start, () -> {
                openStore();
                return incarnation;
            });
        } catch (RuntimeException e) {
            end = rebuilds.failed(start, e, incarnation);
            closed = true; // never serve from a closed store
        } finally {
            lifecycle.writeLock().unlock();
        }
        rebuilds.finish(end);
        Scrubber fresh = scrubber;
        if (fresh != s && !closed) fresh.start();
    }

    /** Opens the store under the data directory in place of the closed one (rebuild); its scrub is not started yet. */
    private void openStore() {
        RocksDatabase db = rebuilds.openStore(diskGuard);
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

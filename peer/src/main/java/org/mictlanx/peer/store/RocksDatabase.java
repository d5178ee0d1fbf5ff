package org.mictlanx.peer.store;

import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.api.StoreMemory;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.MutableColumnFamilyOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.ReadOptions;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The peer's one RocksDB instance with three column families:
 * <ul>
 *   <li>{@code chunks}: chunk values (header + bytes), integrated BlobDB for values of 64 KiB and up;
 *   <li>{@code chunk_meta}: 12-byte size+checksum per chunk (head and listing never touch blobs);
 *   <li>{@code records}: metadata records (see {@link RecordCodec}).
 * </ul>
 * Every write goes through {@link #write(WriteBatch)} with {@code sync=true}: RocksDB's write thread
 * groups concurrent writers behind one leader that appends all their batches to the WAL and issues
 * one fsync for the group (group commit), and each writer returns only after the sync covering its
 * batch. Large chunk writes may instead take {@link #writeUnlogged}: no WAL, made durable by a
 * shared synced flush, so their bytes reach the disk once instead of twice. Options are described in docs/architecture.md, "Storage peer".
 */
public final class RocksDatabase implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final Logger LOG = LoggerFactory.getLogger(RocksDatabase.class);
    /**
     * Flushes that may run at once (flush threads and {@link FlushGroup} permits); they mostly wait for
     * I/O. 8 MiB puts at c32 on the 2-core box: 414-426 MiB/s with one, 507-569 MiB/s with two; with
     * three (and 8 memtables) c8 401-414 -> 478-486 MiB/s, c32 +4-7% (docs/performance.md).
     */
    static final int CONCURRENT_FLUSHES = 3;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle chunks;
    private final ColumnFamilyHandle chunkMeta;
    private final ColumnFamilyHandle records;
    private final RocksTables tables;
    private final WriteOptions syncWrite;
    private final WriteOptions unloggedWrite;
    private final FlushOptions syncFlush;
    private final ReadOptions checksummedPayloadRead;
    private final FlushGroup flushGroup;
    private final DiskGuard diskGuard;
    private final BlobGcPolicy blobGcPolicy = BlobGcPolicy.DEFAULT;
    private boolean blobGcEnabled;
    private final boolean directIo;
    private final Path dir;
    /** Sticky: corruption or an I/O error RocksDB reported, located to key ranges where it can be (see {@link #problem()}). */
    private final StoreDamage damage = new StoreDamage(this::locateTableFile);
    private final java.util.concurrent.atomic.AtomicLong errorsSeen = new java.util.concurrent.atomic.AtomicLong();
    /** Background (flush/compaction) errors, each until RocksDB reports its recovery. */
    private final BackgroundErrors background = new BackgroundErrors(damage, errorsSeen);

    public RocksDatabase(Path dir, DiskGuard diskGuard) {
        this.diskGuard = diskGuard;
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            directIo = DirectIo.supported(dir);
            tables = keep(new RocksTables());
            DBOptions dbo = keep(new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                    .setMaxBackgroundJobs(2)
                    // several flush threads (and one compaction): no-WAL chunk puts wait for flushes, and
                    // a new flush starts while the previous ones still write (FlushGroup)
                    .setMaxBackgroundFlushes(CONCURRENT_FLUSHES).setMaxBackgroundCompactions(1).setMaxTotalWalSize(512L << 20).setKeepLogFileNum(4)
                    .setBytesPerSync(1L << 20)
                    // flushes and compactions write blob and table files with O_DIRECT, past the page cache
                    .setUseDirectIoForFlushAndCompaction(directIo)
                    // unlogged (large-chunk) writes to chunks + chunk_meta become durable together
                    .setAtomicFlush(true)
                    // let several large WAL writes (up to 64 MiB in all) share one write group and one fsync (default 1 MiB)
                    .setMaxWriteBatchGroupSizeBytes(64L << 20)
                    // followers of a write group block instead of spinning/yielding up to 100 us each: on 2
                    // cores with dozens of writer threads the yielding starved the leader (in-process 4 KiB
                    // c32: 9.0-10.9k -> 14.6-14.9k puts/s)
                    .setEnableWriteThreadAdaptiveYield(false));
            // background errors (a flush or compaction hitting a damaged table file, ENOSPC) stop
            // writes inside RocksDB: the peer must say so (health) instead of answering 503s quietly
            dbo.setListeners(List.of(keep(background)));
            ColumnFamilyOptions chunkOpts = keep(new ColumnFamilyOptions()
                    // up to 8 memtables of 32 MiB (256 MiB, as 4 x 64 MiB before): no-WAL puts switch a
                    // memtable per flush group and several flushes run at once; with 4, RocksDB delayed
                    // writes whenever 3 were unflushed (memtable-limit-delays, 15-19% of 8 MiB put time)
                    .setWriteBufferSize(32L << 20).setMaxWriteBufferNumber(8)
                    .setCompressionType(CompressionType.NO_COMPRESSION)
                    .setEnableBlobFiles(true).setMinBlobSize(64L << 10).setBlobFileSize(256L << 20)
                    .setBlobCompressionType(CompressionType.NO_COMPRESSION)
                    // GC starts off and is switched by adjustBlobGarbageCollection (BlobGcPolicy)
                    .setEnableBlobGarbageCollection(false).setBlobGarbageCollectionAgeCutoff(0.25)
                    .setBlobGarbageCollectionForceThreshold(0.5)
                    .setLevelCompactionDynamicLevelBytes(true)
                    .setTableFormatConfig(tables.table()));
            ColumnFamilyOptions smallOpts = keep(new ColumnFamilyOptions()
                    // atomic_flush switches these memtables with every chunks flush: allow as many as chunks does
                    .setWriteBufferSize(16L << 20).setMaxWriteBufferNumber(8).setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setLevelCompactionDynamicLevelBytes(true).setTableFormatConfig(tables.table()));
            ColumnFamilyOptions defaultOpts = keep(new ColumnFamilyOptions());
            List<ColumnFamilyDescriptor> cfs = List.of(
                    new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaultOpts),
                    new ColumnFamilyDescriptor(bytes("chunks"), chunkOpts),
                    new ColumnFamilyDescriptor(bytes("chunk_meta"), smallOpts),
                    new ColumnFamilyDescriptor(bytes("records"), smallOpts));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            db = RocksDB.open(dbo, dir.toString(), cfs, handles);
            handles.forEach(this::keep);
            chunks = handles.get(1);
            chunkMeta = handles.get(2);
            records = handles.get(3);
            syncWrite = keep(new WriteOptions().setSync(true));
            unloggedWrite = keep(new WriteOptions().setDisableWAL(true));
            syncFlush = keep(new FlushOptions().setWaitForFlush(true));
            checksummedPayloadRead = keep(new ReadOptions().setVerifyChecksums(false));
            List<ColumnFamilyHandle> chunkFamilies = List.of(chunks, chunkMeta);
            flushGroup = new FlushGroup(() -> {
                try {
                    db.flush(syncFlush, chunkFamilies);
                } catch (RocksDBException e) {
                    throw fail("flush", e);
                }
            }, CONCURRENT_FLUSHES);
        } catch (RocksDBException e) {
            closeResources();
            throw translate("open " + dir, e);
        } catch (IOException e) {
            closeResources();
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "cannot create " + dir, e);
        }
    }

    /**
     * Why this database cannot be trusted to serve, or empty: a corruption or I/O error seen on a read
     * or scan, or in a flush or compaction (sticky until the store is rebuilt from the other replicas,
     * docs/operations.md; see {@link #storeDamage()}), or a background error RocksDB has not recovered
     * from (a full disk: RocksDB then refuses writes).
     */
    public Optional<String> problem() {
        Optional<String> d = damage.describe();
        return d.isPresent() ? d : Optional.ofNullable(background.error());
    }

    /**
     * The store's damage, or empty: a corruption or I/O error seen on a read or scan, or a background
     * (flush/compaction) error that is corruption or an I/O error other than a full disk, with the
     * key ranges quarantined for it ({@link StoreDamage}). Unlike a full disk, damage does not go away
     * by itself: the store must be rebuilt ({@link StoreRebuild}).
     */
    public Optional<String> storeDamage() {
        return damage.describe();
    }

    /**
     * Why the whole store is quarantined (a damage that names no live table file), or empty: then only
     * the {@link #damagedRanges() damaged ranges} are refused and every other key is served.
     */
    public Optional<String> wholeStoreDamage() {
        return damage.wholeStore();
    }

    /** The quarantined key ranges (family, first and last key, table file), for health and metrics. */
    public java.util.List<String> damagedRanges() {
        return damage.describeRanges();
    }

    /** The family, key range and file name of live table file number {@code file}, or empty. */
    private Optional<StoreDamage.Range> locateTableFile(long file) {
        for (org.rocksdb.LiveFileMetaData f : db.getLiveFilesMetaData()) {
            String name = f.fileName().replaceFirst("^.*/", "");
            if (name.endsWith(".sst") && Long.parseLong(name.substring(0, name.length() - 4)) == file) {
                return Optional.of(new StoreDamage.Range(new String(f.columnFamilyName(), StandardCharsets.UTF_8),
                        f.smallestKey(), f.largestKey(), name));
            }
        }
        return Optional.empty();
    }

    /** The name of one of this database's families. */
    private String family(ColumnFamilyHandle cf) {
        return cf == chunks ? "chunks" : cf == chunkMeta ? "chunk_meta" : cf == records ? "records" : "default";
    }

    /** Throws UNAVAILABLE when {@code key} of {@code cf} is quarantined: a write there must not happen either. */
    void checkKey(ColumnFamilyHandle cf, byte[] key) {
        damage.checkKey(family(cf), key);
    }

    /**
     * Throws UNAVAILABLE when a listing of {@code cf} that covered keys {@code [from, to]} starting with
     * {@code prefix} ({@code to} null: all of them from {@code from} on) met a quarantined range.
     */
    void checkSpan(ColumnFamilyHandle cf, byte[] from, byte[] to, byte[] prefix) {
        damage.checkSpan(family(cf), from, to, prefix);
    }

    /**
     * The store's identity: RocksDB's {@code IDENTITY} file, written when the database is created, so
     * it changes exactly when the peer starts on an empty data directory (null when unreadable).
     */
    public String identity() {
        try {
            return Files.readString(dir.resolve("IDENTITY"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** How many corruption, I/O and background errors were seen since open (a metric). */
    public long errorsSeen() {
        return errorsSeen.get();
    }

    /**
     * Records a failure of a read, scan or write: corruption and I/O errors make the database
     * {@link #problem() damaged}, logged once at ERROR. Returns the exception to throw.
     */
    PeerException fail(String what, RocksDBException e) {
        Status s = e.getStatus();
        Status.Code code = s == null ? null : s.getCode();
        String msg = String.valueOf(e.getMessage());
        boolean damaged = code == Status.Code.Corruption || code == Status.Code.IOError
                || msg.contains("Corruption") || msg.contains("IO error");
        if (damaged && !(s != null && s.getSubCode() == Status.SubCode.NoSpace)) {
            errorsSeen.incrementAndGet();
            damage.found("rocksdb " + what + " failed: " + msg); // logged once per damaged file at ERROR
        }
        return translate(what, e);
    }

    /**
     * Throws when the iterator stopped because of an error rather than at the end of its range:
     * a scan must never answer "nothing" when it could not read.
     */
    void checkIterator(RocksIterator it, String what) {
        try {
            it.status();
        } catch (RocksDBException e) {
            throw fail(what, e);
        }
    }

    private <T extends AutoCloseable> T keep(T r) {
        resources.add(r);
        return r;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    ColumnFamilyHandle chunks() {
        return chunks;
    }

    ColumnFamilyHandle chunkMeta() {
        return chunkMeta;
    }

    ColumnFamilyHandle records() {
        return records;
    }

    public DiskGuard diskGuard() {
        return diskGuard;
    }

    /** Durably applies the batch (WAL sync, shared with concurrent writers); returns after the sync. */
    void write(WriteBatch batch) {
        refuseWritesWhenStopped();
        try {
            db.write(syncWrite, batch);
        } catch (RocksDBException e) {
            throw fail("write", e);
        }
    }

    /**
     * Durably applies a batch that touches only {@code chunks} and {@code chunk_meta} without writing
     * it to the WAL: the batch goes to the memtables, then a synced atomic flush of both families
     * (shared with concurrent callers, see {@link FlushGroup}) writes it once, to blob and table files,
     * and commits both families to the MANIFEST together. Returns after that flush. A crash before it
     * loses the whole batch (never acknowledged) and never half of it.
     *
     * <p>Split in two so callers can release their locks between the steps: this method puts the
     * batch into the memtables (visible to reads, not yet durable) and returns a ticket;
     * {@link #awaitDurable(long)} returns once the batch is durable.
     */
    long writeUnlogged(WriteBatch batch) {
        refuseWritesWhenStopped();
        try {
            db.write(unloggedWrite, batch);
            return flushGroup.ticket();
        } catch (RocksDBException e) {
            throw fail("write", e);
        }
    }

    /** RocksDB stops every write after a damaging background error: say so as UNAVAILABLE (another replica takes it). */
    private void refuseWritesWhenStopped() {
        String stopped = background.writesStoppedByDamage() ? background.error() : null;
        if (stopped != null) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "store damaged: RocksDB stopped writes (" + stopped + ")");
        }
    }

    /** Waits for (or leads) the group flush covering a {@link #writeUnlogged} ticket. */
    void awaitDurable(long ticket) {
        flushGroup.awaitDurable(ticket);
    }

    /**
     * Re-evaluates {@link BlobGcPolicy} for {@code chunks} from RocksDB's live blob file and garbage
     * sizes, and switches blob garbage collection on or off when the policy says so (a mutable option:
     * it applies from the next compaction on). Returns whether GC is now on; false once closed.
     */
    public synchronized boolean adjustBlobGarbageCollection() {
        if (resources.isEmpty()) return false;
        try {
            long live = db.getLongProperty(chunks, "rocksdb.live-blob-file-size");
            long garbage = db.getLongProperty(chunks, "rocksdb.live-blob-file-garbage-size");
            boolean want = blobGcPolicy.enabled(blobGcEnabled, live, garbage);
            if (want != blobGcEnabled) {
                db.setOptions(chunks, MutableColumnFamilyOptions.builder().setEnableBlobGarbageCollection(want).build());
                blobGcEnabled = want;
                LOG.info("blob garbage collection {}: {} garbage bytes in {} live blob bytes", want ? "on" : "off", garbage, live);
            }
            return want;
        } catch (RocksDBException e) {
            throw translate("blob gc settings", e);
        }
    }

    /** The RocksDB handle itself (this package's direct-buffer chunk reads, and its test fixtures flush and compact through it). */
    RocksDB handle() {
        return db;
    }

    /**
     * Reads a value that carries its own checksum, which the caller verifies ({@link ChunkCodec}):
     * RocksDB's own checksum check of the blob record is skipped. It would be a second CRC32C over the
     * same bytes, and the published rocksdbjni build computes CRC32C in software (its LOG says "Fast
     * CRC32 supported: Not supported on x86"), about 7 ms per 8 MiB chunk on the benchmark box. A
     * damaged record still fails the caller's check and is reported corrupt, never served.
     */
    byte[] getSelfChecked(ColumnFamilyHandle cf, byte[] key) {
        checkKey(cf, key);
        try {
            return db.get(cf, checksummedPayloadRead, key);
        } catch (RocksDBException e) {
            // one damaged chunk value is the chunk's problem (reported CORRUPT, deleted by scrub,
            // restored by repair), not the whole store's
            throw translate("read", e);
        }
    }

    byte[] get(ColumnFamilyHandle cf, byte[] key) {
        checkKey(cf, key);
        try {
            return db.get(cf, key);
        } catch (RocksDBException e) {
            throw fail("read", e);
        }
    }

    RocksIterator iterator(ColumnFamilyHandle cf, ReadOptions options) {
        return db.newIterator(cf, options);
    }

    /**
     * A RocksDB property of the whole database ({@code rocksdb.stats}, ...) or of one column family
     * when {@code columnFamily} is {@code chunks}, {@code chunk_meta} or {@code records}: for the
     * benchmark and diagnostics.
     */
    public String property(String columnFamily, String name) {
        try {
            return switch (columnFamily == null ? "" : columnFamily) {
                case "chunks" -> db.getProperty(chunks, name);
                case "chunk_meta" -> db.getProperty(chunkMeta, name);
                case "records" -> db.getProperty(records, name);
                default -> db.getProperty(name);
            };
        } catch (RocksDBException e) {
            throw translate("property " + name, e);
        }
    }

    /** The store's native memory as RocksDB accounts for it ({@link StoreMemory}); none once closed. */
    public synchronized StoreMemory memory() {
        if (resources.isEmpty()) return StoreMemory.none();
        try {
            return tables.memory(db, List.of(chunks, chunkMeta, records));
        } catch (RocksDBException e) {
            throw translate("memory properties", e);
        }
    }

    static PeerException translate(String what, RocksDBException e) {
        Status s = e.getStatus();
        boolean noSpace = (s != null && s.getSubCode() == Status.SubCode.NoSpace)
                || String.valueOf(e.getMessage()).contains("No space left");
        if (noSpace) return new PeerException(PeerException.Kind.DISK_FULL, "disk full during " + what, e);
        if (s != null && s.getCode() == Status.Code.Corruption) {
            return new PeerException(PeerException.Kind.CORRUPT, "rocksdb " + what + " found corruption: " + e.getMessage(), e);
        }
        return new PeerException(PeerException.Kind.UNAVAILABLE, "rocksdb " + what + " failed: " + e.getMessage(), e);
    }

    private void closeResources() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // closing native handles: nothing useful to do on failure
            }
        }
        resources.clear();
    }

    @Override
    public synchronized void close() {
        if (resources.isEmpty()) return;
        try {
            db.syncWal();
        } catch (RocksDBException ignored) {
            // every acknowledged write is already synced
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            if (resources.get(i) instanceof ColumnFamilyHandle h) h.close();
        }
        db.close();
        resources.removeIf(r -> r instanceof ColumnFamilyHandle);
        closeResources();
    }
}

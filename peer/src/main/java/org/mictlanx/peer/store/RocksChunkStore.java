package org.mictlanx.peer.store;

import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.ChunkPage;
import org.mictlanx.peer.api.ChunkBuffer;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ChunkStore} on {@link RocksDatabase}: value in {@code chunks}, size+checksum in
 * {@code chunk_meta}, both written in one batch. Chunks smaller than {@code unloggedMinBytes} are
 * written with a WAL sync (group commit). Larger ones, when at least {@code unloggedMinConcurrent}
 * of them are in flight, skip the WAL and are made durable by a shared atomic flush of both families
 * ({@link RocksDatabase#writeUnlogged}), so their bytes are written once; a lone large put keeps the
 * WAL path, where one fsync acknowledges it and the second write (memtable flush) happens in the
 * background, which is faster for one writer than waiting for a whole flush. Either way value and meta
 * become durable together, and {@link #put} returns only after that.
 * Counters are rebuilt from {@code chunk_meta} at open and maintained under per-id stripes.
 */
public final class RocksChunkStore implements ChunkStore {
    /**
     * Default size from which chunks count as large: 4 MiB. Below it the WAL path measured faster
     * (1 MiB chunks: a flush per group costs more than the WAL append); at 8 MiB the no-WAL path
     * costs a third less CPU per put (docs/performance.md).
     */
    public static final int DEFAULT_UNLOGGED_MIN_BYTES = 4 << 20;
    /** Default number of large puts in flight (this one included) from which they skip the WAL. */
    public static final int DEFAULT_UNLOGGED_MIN_CONCURRENT = 2;
    /** Puts of at least this size use a pooled batch. */
    static final int POOLED_BATCH_MIN_BYTES = 256 << 10;
    /** At most this many pooled batches are kept (each keeps up to one chunk of native memory). */
    static final int POOLED_BATCHES = 8;
    /** At most this many bytes of read buffers lent out at once (beyond: reads allocate arrays as before). */
    static final long READ_BUFFERS_LENT_BYTES = 64L << 20;
    /** At most this many bytes of read buffers kept for reuse. */
    static final long READ_BUFFERS_FREE_BYTES = 32L << 20;

    private final RocksDatabase db;
    private final int unloggedMinBytes;
    private final int unloggedMinConcurrent;
    private final AtomicInteger largeInFlight = new AtomicInteger();
    private final Stripes stripes = new Stripes(1024);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    /** Cleared batches kept for large puts; see {@link #putFramed(String, ByteBuffer, int)}. */
    private final ArrayBlockingQueue<WriteBatch> batches = new ArrayBlockingQueue<>(POOLED_BATCHES);
    /** Direct buffers chunk reads are read into ({@link #readBuffer}). */
    private final ReadBufferPool readBuffers = new ReadBufferPool(READ_BUFFERS_LENT_BYTES, READ_BUFFERS_FREE_BYTES);
    /** Reads of values that carry their own checksum (verified by {@link ChunkCodec}), as {@code RocksDatabase#getSelfChecked}. */
    private final ReadOptions payloadRead = new ReadOptions().setVerifyChecksums(false);

    public RocksChunkStore(RocksDatabase db) {
        this(db, DEFAULT_UNLOGGED_MIN_BYTES, DEFAULT_UNLOGGED_MIN_CONCURRENT);
    }

    /**
     * {@code unloggedMinBytes}: chunks of at least this size are large ({@code Integer.MAX_VALUE}:
     * none); {@code unloggedMinConcurrent}: large puts skip the WAL when at least this many (this one
     * included) are in flight (1: always).
     */
    public RocksChunkStore(RocksDatabase db, int unloggedMinBytes, int unloggedMinConcurrent) {
        if (unloggedMinConcurrent < 1) throw new IllegalArgumentException("unloggedMinConcurrent must be >= 1");
        this.db = db;
        this.unloggedMinBytes = unloggedMinBytes;
        this.unloggedMinConcurrent = unloggedMinConcurrent;
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.iterator(db.chunkMeta(), ro)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                count.incrementAndGet();
                bytes.addAndGet(ChunkCodec.decodeMeta("", it.value()).size());
            }
            try {
                db.checkIterator(it, "chunk count at open");
            } catch (org.mictlanx.peer.api.PeerException e) {
                // the count stays partial; the database now reports its damage (health: not ready)
            }
        }
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void put(String id, byte[] data, int crc32c) {
        byte[] value = ChunkCodec.encodeValue(data, crc32c);
        store(id, data.length, crc32c, (b, k) -> b.put(db.chunks(), k, value), NOTHING);
    }

    @Override
    public void putFramed(String id, byte[] framed, int crc32c) {
        byte[] value = ChunkCodec.frame(framed, crc32c);
        store(id, framed.length - ChunkCodec.HEADER, crc32c, (b, k) -> b.put(db.chunks(), k, value), NOTHING);
    }

    /**
     * Direct-buffer form: the value goes to RocksDB without a JNI copy into a temporary array, through
     * a {@link WriteBatch} taken from a small pool whose native buffer stays allocated (a fresh 8 MiB
     * allocation per put cost more in page faults than the copy itself on the benchmark VM). The
     * buffer is free once the batch is in the memtable (WAL path: synced), before a no-WAL put waits
     * for its flush.
     */
    @Override
    public void putFramed(String id, ByteBuffer framed, int crc32c, Runnable bufferFree) {
        if (!framed.isDirect()) {
            ChunkStore.super.putFramed(id, framed, crc32c, bufferFree);
            return;
        }
        ByteBuffer value = ChunkCodec.frame(framed, crc32c);
        byte[] k = key(id);
        ValuePut put = (b, unused) -> {
            ByteBuffer key = ByteBuffer.allocateDirect(k.length).put(k).flip();
            b.put(db.chunks(), key, value.duplicate());
        };
        store(id, value.remaining() - ChunkCodec.HEADER, crc32c, put, bufferFree);
    }

    /** Adds the chunk's value to a batch under its key. */
    private interface ValuePut {
        void put(WriteBatch batch, byte[] key) throws RocksDBException;
    }

    private static final Runnable NOTHING = () -> {
    };

    private void store(String id, int size, int crc32c, ValuePut value, Runnable bufferFree) {
        byte[] k = key(id);
        db.diskGuard().check(size + 64L);
        boolean large = size >= unloggedMinBytes;
        boolean unlogged = large && largeInFlight.incrementAndGet() >= unloggedMinConcurrent;
        try {
            write(id, k, value, size, crc32c, unlogged, bufferFree);
        } finally {
            if (large) largeInFlight.decrementAndGet();
        }
    }

    /** {@code bufferFree} runs once the batch no longer needs the value's buffer, whatever happens. */
    private void write(String id, byte[] k, ValuePut value, int size, int crc32c, boolean unlogged, Runnable bufferFree) {
        long ticket = 0;
        boolean pooled = size >= POOLED_BATCH_MIN_BYTES;
        WriteBatch b = pooled ? batches.poll() : null;
        if (b == null) b = new WriteBatch();
        ReentrantLock lock = stripes.lock(k);
        try {
            db.checkKey(db.chunks(), k); // a write into a quarantined range waits for the rebuild (hinted)
            byte[] old = db.get(db.chunkMeta(), k);
            value.put(b, k);
            b.put(db.chunkMeta(), k, ChunkCodec.encodeMeta(size, crc32c));
            if (unlogged) ticket = db.writeUnlogged(b);
            else db.write(b);
            if (old == null) count.incrementAndGet();
            bytes.addAndGet(size - (old == null ? 0 : ChunkCodec.decodeMeta(id, old).size()));
        } catch (RocksDBException e) {
            throw RocksDatabase.translate("put", e);
        } finally {
            lock.unlock();
            recycle(b, pooled);
            bufferFree.run();
        }
        // outside the stripe: writers of other ids in this stripe can join the same flush
        if (unlogged) db.awaitDurable(ticket);
    }

    /** Returns a large-put batch to the pool (cleared: its native buffer keeps its capacity) or frees it. */
    private void recycle(WriteBatch b, boolean pooled) {
        if (pooled) {
            try {
                b.clear();
                if (batches.offer(b)) return;
            } catch (RuntimeException e) {
                // fall through: free it
            }
        }
        b.close();
    }

    @Override
    public Optional<VerifiedChunk> read(String id) {
        byte[] v = db.getSelfChecked(db.chunks(), key(id));
        return v == null ? Optional.empty() : Optional.of(ChunkCodec.decodeValue(id, v));
    }

    /**
     * {@link #read} straight into a pooled heap buffer (no array allocated per read): the size comes from
     * {@code chunk_meta}, the value is copied once out of RocksDB and verified
     * against its stored CRC32C like {@link #read}; the lent buffer holds the payload. Falls back to
     * {@link #read} when no buffer is free, the meta entry is missing or damaged, or the value is not the
     * size the meta entry says (a concurrent rewrite or damage: {@link #read} then decides).
     */
    @Override
    public Optional<ChunkBuffer> readBuffer(String id) {
        byte[] k = key(id);
        byte[] meta = db.get(db.chunkMeta(), k);
        if (meta == null || meta.length != 12) return ChunkStore.super.readBuffer(id);
        long size = ChunkCodec.decodeMeta(id, meta).size() + ChunkCodec.HEADER;
        ReadBufferPool.Lease lease = readBuffers.acquire(size);
        if (lease == null) return ChunkStore.super.readBuffer(id);
        boolean lent = false;
        try {
            ByteBuffer value = lease.value();
            db.checkKey(db.chunks(), k);
            int n = db.handle().get(db.chunks(), payloadRead, k, 0, k.length, value.array(), 0, (int) size);
            if (n == RocksDB.NOT_FOUND) return Optional.empty();
            if (n != size) return ChunkStore.super.readBuffer(id);
            if (!ChunkCodec.verify(value)) {
                throw new org.mictlanx.peer.api.PeerException(org.mictlanx.peer.api.PeerException.Kind.CORRUPT,
                        "chunk " + id + " fails its checksum");
            }
            value.position(ChunkCodec.HEADER);
            lent = true;
            return Optional.of(readBuffers.lend(lease));
        } catch (RocksDBException e) {
            throw RocksDatabase.translate("read", e);
        } finally {
            if (!lent) readBuffers.giveBack(lease, true);
        }
    }

    @Override
    public Optional<ChunkInfo> head(String id) {
        byte[] m = db.get(db.chunkMeta(), key(id));
        return m == null ? Optional.empty() : Optional.of(ChunkCodec.decodeMeta(id, m));
    }

    @Override
    public boolean delete(String id) {
        byte[] k = key(id);
        ReentrantLock lock = stripes.lock(k);
        try (WriteBatch b = new WriteBatch()) {
            byte[] old = db.get(db.chunkMeta(), k);
            if (old == null && db.get(db.chunks(), k) == null) return false;
            b.delete(db.chunks(), k);
            b.delete(db.chunkMeta(), k);
            db.write(b);
            if (old != null) {
                count.decrementAndGet();
                bytes.addAndGet(-ChunkCodec.decodeMeta(id, old).size());
            }
            return true;
        } catch (RocksDBException e) {
            throw RocksDatabase.translate("delete", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ChunkPage list(String after, int limit) {
        List<String> ids = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.iterator(db.chunkMeta(), ro)) {
            if (after == null) it.seekToFirst();
            else {
                it.seek(key(after));
                if (it.isValid() && new String(it.key(), StandardCharsets.UTF_8).equals(after)) it.next();
            }
            for (; it.isValid() && ids.size() < limit; it.next()) {
                String id = new String(it.key(), StandardCharsets.UTF_8);
                ids.add(id);
                sizes.add(ChunkCodec.decodeMeta(id, it.value()).size());
            }
            if (!it.isValid()) db.checkIterator(it, "chunk listing");
            // a listing that covered part of a quarantined range could miss ids: refused
            byte[] from = after == null ? new byte[0] : java.util.Arrays.copyOf(key(after), key(after).length + 1); // the first id after it
            db.checkSpan(db.chunkMeta(), from, it.isValid() && !ids.isEmpty() ? key(ids.get(ids.size() - 1)) : null, new byte[0]);
            return new ChunkPage(ids, it.isValid() && !ids.isEmpty() ? ids.get(ids.size() - 1) : null, sizes);
        }
    }

    @Override
    public long count() {
        return count.get();
    }

    @Override
    public long bytes() {
        return bytes.get();
    }

    /** Frees the pooled batches and the read options; the database is owned and closed by whoever opened it. */
    @Override
    public void close() {
        for (WriteBatch b; (b = batches.poll()) != null; ) b.close();
        payloadRead.close();
    }
}

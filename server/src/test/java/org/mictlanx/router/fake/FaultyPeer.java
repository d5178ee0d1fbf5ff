package org.mictlanx.router.fake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.ChunkIds;
import org.mictlanx.peer.api.ChunkPage;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.api.PeerHealth;
import org.mictlanx.peer.api.PeerStats;
import org.mictlanx.peer.api.ScrubReport;
import org.mictlanx.router.meta.Utf8Order;

/**
 * An in-memory {@link PeerApi} for fault injection. Faults are queued per operation and consumed
 * one per call: ERROR (UNAVAILABLE), TIMEOUT (blocks until interrupted or {@link #releaseHangs()},
 * then fails), SLOW (waits until the test lets it go with {@link #releaseSlow()}, then answers
 * normally: a late answer, staged by a condition rather than a clock), CORRUPT_SILENT (getChunk
 * returns flipped bytes without detecting it), LOSE (putChunk acknowledges but stores nothing).
 * {@link #down(boolean)} fails every call. {@link #holdNextRead} stalls one record read after it has
 * read the stored state (a stale answer delivered late, to stage races between a reader and a
 * concurrent writer).
 *
 * <p>Without faults (and with SLOW calls released) it keeps the {@link PeerApi} contract as a real
 * peer does, {@code FaultyPeerContractTest} checks it: ids are checked, chunks above
 * {@code maxChunkBytes} get TOO_LARGE, writes that would leave less than {@code diskReserveBytes} of
 * its simulated disk ({@link #DISK_BYTES}) get DISK_FULL.
 */
public final class FaultyPeer implements PeerApi {

    public enum Op {
        PUT_CHUNK, GET_CHUNK, HEAD_CHUNK, DELETE_CHUNK, LIST_CHUNKS, VERIFY_CHUNKS, PUT_RECORD, PUT_RECORD_IF, GET_RECORD,
        SCAN_RECORDS, HEALTH;

        /** The name a real peer counts the call under in {@link PeerStats#requestCounts()} ({@code putChunk}, ...). */
        String countName() {
            String[] words = name().toLowerCase(java.util.Locale.ROOT).split("_");
            StringBuilder b = new StringBuilder(words[0]);
            for (int i = 1; i < words.length; i++) b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            return b.toString();
        }
    }

    public enum Fault { ERROR, TIMEOUT, SLOW, CORRUPT_SILENT, LOSE }

    private record Stored(byte[] data, int crc, boolean corrupt) {
    }

    private final String id;
    private final ConcurrentSkipListMap<String, Stored> chunks = new ConcurrentSkipListMap<>();
    private final Map<String, ConcurrentSkipListMap<String, MetaRecord>> records = new ConcurrentHashMap<>();
    private final Map<Op, ConcurrentLinkedQueue<Fault>> faults = new EnumMap<>(Op.class);
    private final Map<Op, AtomicLong> calls = new EnumMap<>(Op.class);
    private volatile boolean down;
    private volatile CountDownLatch hang = new CountDownLatch(1);
    private final Map<String, CountDownLatch[]> heldReads = new ConcurrentHashMap<>();
    private final SlowGate slow = new SlowGate();
    private final long maxChunkBytes;
    private final long diskReserveBytes;

    /** The size of the simulated disk that {@code diskReserveBytes} is checked against (1 TiB). */
    public static final long DISK_BYTES = 1L << 40;

    /** A peer taking chunks up to 16 MiB with no disk reserve. */
    public FaultyPeer(String id) {
        this(id, 16 << 20, 0);
    }

    public FaultyPeer(String id, long maxChunkBytes, long diskReserveBytes) {
        this.id = id;
        this.maxChunkBytes = maxChunkBytes;
        this.diskReserveBytes = diskReserveBytes;
        for (Op op : Op.values()) {
            faults.put(op, new ConcurrentLinkedQueue<>());
            calls.put(op, new AtomicLong());
        }
    }

    // ---- fault control ----

    /** Queues {@code fault} for the next {@code times} calls of {@code op}. */
    public FaultyPeer inject(Op op, Fault fault, int times) {
        for (int i = 0; i < times; i++) faults.get(op).add(fault);
        return this;
    }

    /**
     * The next {@link #getRecord} of (partition, key) reads the stored record, counts down
     * {@code arrived}, then waits (at most a minute) for {@code release} before answering with what
     * it read. One-shot.
     */
    public void holdNextRead(String partition, String key, CountDownLatch arrived, CountDownLatch release) {
        heldReads.put(partition + "\u0000" + key, new CountDownLatch[] {arrived, release});
    }

    public FaultyPeer down(boolean down) {
        this.down = down;
        return this;
    }

    /** Drops the faults still queued for {@code op}. */
    public void clearFaults(Op op) {
        faults.get(op).clear();
    }

    /** Lets every call now waiting on a SLOW fault answer; later SLOW calls wait for the next release. */
    public void releaseSlow() {
        slow.release();
    }

    /** How many calls are waiting on a SLOW fault now. */
    public int slowWaiting() {
        return slow.waiting();
    }

    /** How many SLOW calls were released and answered (or failed for their own reasons). */
    public long slowPassed() {
        return slow.passed();
    }

    /** Blocks until some call waits on a SLOW fault (interrupt the caller to stop waiting). */
    public void awaitSlowWaiting() throws InterruptedException {
        slow.awaitWaiting();
    }

    /** Unblocks every call hanging on a TIMEOUT fault. */
    public void releaseHangs() {
        CountDownLatch old = hang;
        hang = new CountDownLatch(1);
        old.countDown();
    }

    public long calls(Op op) {
        return calls.get(op).get();
    }

    /** Record scans of partitions whose name starts with {@code partitionPrefix}. */
    public long scans(String partitionPrefix) {
        return scansByPartition.entrySet().stream().filter(e -> e.getKey().startsWith(partitionPrefix))
                .mapToLong(e -> e.getValue().get()).sum();
    }

    private final Map<String, java.util.concurrent.atomic.AtomicLong> scansByPartition = new java.util.concurrent.ConcurrentHashMap<>();

    /** Record reads ({@link #getRecord}) of partition {@code partition}. */
    public long reads(String partition) {
        java.util.concurrent.atomic.AtomicLong n = readsByPartition.get(partition);
        return n == null ? 0 : n.get();
    }

    private final Map<String, java.util.concurrent.atomic.AtomicLong> readsByPartition = new java.util.concurrent.ConcurrentHashMap<>();

    // ---- inspection ----

    public Map<String, byte[]> chunkBytes() {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        chunks.forEach((k, v) -> out.put(k, v.data().clone()));
        return out;
    }

    public boolean hasChunk(String chunkId) {
        return chunks.containsKey(chunkId);
    }

    /** Flips a byte of a stored chunk, keeping its checksum, so the peer reports CORRUPT. */
    public void corruptStored(String chunkId) {
        chunks.computeIfPresent(chunkId, (k, v) -> {
            byte[] d = v.data().clone();
            d[d.length / 2] ^= 0x5a;
            return new Stored(d, v.crc(), true);
        });
    }

    /** Drops every chunk and record (an empty replacement peer). */
    public void wipe() {
        chunks.clear();
        records.clear();
    }

    public void removeChunk(String chunkId) {
        chunks.remove(chunkId);
    }

    public Optional<MetaRecord> storedRecord(String partition, String key) {
        return Optional.ofNullable(records.getOrDefault(partition, new ConcurrentSkipListMap<>()).get(key));
    }

    public void removeRecord(String partition, String key) {
        ConcurrentSkipListMap<String, MetaRecord> p = records.get(partition);
        if (p != null) p.remove(key);
    }

    // ---- PeerApi ----

    @Override
    public String id() {
        return id;
    }

    @Override
    public void putChunk(String chunkId, InputStream body, long length, int crc32c) {
        Fault f = enter(Op.PUT_CHUNK);
        ChunkIds.require(chunkId);
        if (length < 0) throw new PeerException(PeerException.Kind.BAD_REQUEST, "negative length");
        if (length > maxChunkBytes) throw new PeerException(PeerException.Kind.TOO_LARGE, "chunk of " + length + " bytes");
        checkDisk(length);
        byte[] data;
        try {
            data = body.readNBytes((int) length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (data.length != length) throw new PeerException(PeerException.Kind.BAD_REQUEST, "short body");
        CRC32C c = new CRC32C();
        c.update(data);
        if ((int) c.getValue() != crc32c) throw new PeerException(PeerException.Kind.CHECKSUM_MISMATCH, "crc mismatch");
        if (f == Fault.LOSE) return;
        chunks.put(chunkId, new Stored(data, crc32c, false));
    }

    @Override
    public byte[] getChunk(String chunkId, long offset, long length) {
        Fault f = enter(Op.GET_CHUNK);
        ChunkIds.require(chunkId);
        Stored s = chunks.get(chunkId);
        if (s == null) throw new PeerException(PeerException.Kind.NOT_FOUND, "no chunk " + chunkId);
        if (s.corrupt()) throw new PeerException(PeerException.Kind.CORRUPT, "chunk " + chunkId + " is corrupt");
        byte[] d = s.data().clone();
        if (f == Fault.CORRUPT_SILENT) d[d.length / 3] ^= 0x01;
        if (offset < 0 || offset > d.length) throw new PeerException(PeerException.Kind.BAD_REQUEST, "offset " + offset + " outside the chunk");
        long end = length < 0 ? d.length : Math.min(d.length, offset + length);
        return Arrays.copyOfRange(d, (int) offset, (int) end);
    }

    /** Absent or corrupt-flagged copies (a silently corrupt one passes, as its stored checksum does). */
    @Override
    public List<String> verifyChunks(List<String> ids) {
        enter(Op.VERIFY_CHUNKS);
        if (ids.size() > MAX_VERIFY) throw new PeerException(PeerException.Kind.BAD_REQUEST, "too many ids");
        return ids.stream().filter(i -> chunks.get(i) == null || chunks.get(i).corrupt()).toList();
    }

    @Override
    public Optional<ChunkInfo> headChunk(String chunkId) {
        enter(Op.HEAD_CHUNK);
        ChunkIds.require(chunkId);
        Stored s = chunks.get(chunkId);
        return s == null ? Optional.empty() : Optional.of(new ChunkInfo(chunkId, s.data().length, s.crc()));
    }

    @Override
    public boolean deleteChunk(String chunkId) {
        enter(Op.DELETE_CHUNK);
        ChunkIds.require(chunkId);
        return chunks.remove(chunkId) != null;
    }

    @Override
    public ChunkPage listChunks(String after, int limit) {
        enter(Op.LIST_CHUNKS);
        if (after != null) ChunkIds.require(after);
        if (limit <= 0) throw new PeerException(PeerException.Kind.BAD_REQUEST, "limit must be positive");
        List<String> ids = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (var e : (after == null ? chunks : chunks.tailMap(after, false)).entrySet()) {
            if (ids.size() == limit) return new ChunkPage(ids, ids.get(ids.size() - 1), sizes);
            ids.add(e.getKey());
            sizes.add((long) e.getValue().data().length);
        }
        return new ChunkPage(ids, null, sizes);
    }

    @Override
    public boolean putRecord(MetaRecord record) {
        enter(Op.PUT_RECORD);
        checkDisk(0);
        return apply(record);
    }

    @Override
    public synchronized void putRecords(List<MetaRecord> list) {
        enter(Op.PUT_RECORD);
        checkDisk(0);
        for (MetaRecord r : list) apply(r);
    }

    @Override
    public synchronized boolean putRecordIf(MetaRecord record, long expectedVersion) {
        enter(Op.PUT_RECORD_IF);
        checkDisk(0);
        ConcurrentSkipListMap<String, MetaRecord> p = records.computeIfAbsent(record.partition(),
                k -> new ConcurrentSkipListMap<>(Utf8Order.COMPARATOR));
        MetaRecord cur = p.get(record.sortKey());
        if ((cur == null ? ABSENT : cur.version()) != expectedVersion) return false;
        p.put(record.sortKey(), record);
        return true;
    }

    private synchronized boolean apply(MetaRecord record) {
        ConcurrentSkipListMap<String, MetaRecord> p = records.computeIfAbsent(record.partition(),
                k -> new ConcurrentSkipListMap<>(Utf8Order.COMPARATOR));
        MetaRecord cur = p.get(record.sortKey());
        if (cur != null && !record.newer(cur)) return cur.equals(record);
        p.put(record.sortKey(), record);
        return true;
    }

    @Override
    public Optional<MetaRecord> getRecord(String partition, String sortKey) {
        enter(Op.GET_RECORD);
        readsByPartition.computeIfAbsent(partition, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
        Optional<MetaRecord> read = storedRecord(partition, sortKey);
        CountDownLatch[] hold = heldReads.remove(partition + "\u0000" + sortKey);
        if (hold != null) {
            hold[0].countDown();
            try {
                if (!hold[1].await(1, java.util.concurrent.TimeUnit.MINUTES)) {
                    throw new PeerException(PeerException.Kind.UNAVAILABLE, id + ": held read never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PeerException(PeerException.Kind.UNAVAILABLE, id + ": interrupted");
            }
        }
        return read;
    }

    @Override
    public List<MetaRecord> scanRecords(String partition, String prefix, String startAfter, int limit) {
        enter(Op.SCAN_RECORDS);
        scansByPartition.computeIfAbsent(partition, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
        ConcurrentSkipListMap<String, MetaRecord> p = records.get(partition);
        List<MetaRecord> out = new ArrayList<>();
        if (p == null) return out;
        for (MetaRecord r : (startAfter == null ? p : p.tailMap(startAfter, false)).values()) {
            if (out.size() == limit) break;
            if (prefix != null && !prefix.isEmpty() && !r.sortKey().startsWith(prefix)) {
                if (Utf8Order.compare(r.sortKey(), prefix) > 0) break;
                continue;
            }
            out.add(r);
        }
        return out;
    }

    @Override
    public PeerHealth health() {
        enter(Op.HEALTH);
        boolean full = freeDiskBytes() < diskReserveBytes;
        return new PeerHealth(id, true, !full, full ? "disk free below reserve" : "ok");
    }

    @Override
    public PeerStats stats() {
        long recs = records.values().stream().mapToLong(Map::size).sum();
        Map<String, Long> counts = new java.util.TreeMap<>();
        calls.forEach((op, n) -> counts.put(op.countName(), n.get()));
        return new PeerStats(id, chunks.size(), storedBytes(), recs, freeDiskBytes(), counts);
    }

    private long storedBytes() {
        return chunks.values().stream().mapToLong(s -> s.data().length).sum();
    }

    private long freeDiskBytes() {
        return DISK_BYTES - storedBytes();
    }

    /** DISK_FULL when writing {@code bytes} would leave less than the reserve free, as a real peer answers. */
    private void checkDisk(long bytes) {
        if (freeDiskBytes() - bytes < diskReserveBytes) {
            throw new PeerException(PeerException.Kind.DISK_FULL, id + ": disk free below reserve");
        }
    }

    @Override
    public ScrubReport scrub() {
        if (down) throw new PeerException(PeerException.Kind.UNAVAILABLE, id + " is down");
        List<String> bad = new ArrayList<>();
        chunks.forEach((k, v) -> {
            if (v.corrupt()) bad.add(k);
        });
        return new ScrubReport(chunks.size(), bad);
    }

    @Override
    public void close() {
        releaseHangs();
        releaseSlow();
    }

    private Fault enter(Op op) {
        calls.get(op).incrementAndGet();
        if (down) throw new PeerException(PeerException.Kind.UNAVAILABLE, id + " is down");
        Fault f = faults.get(op).poll();
        if (f == null) return null;
        switch (f) {
            case ERROR -> throw new PeerException(PeerException.Kind.UNAVAILABLE, id + ": injected error");
            case TIMEOUT -> {
                try {
                    hang.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new PeerException(PeerException.Kind.UNAVAILABLE, id + ": injected hang ended");
            }
            case SLOW -> slow.pass(id);
            default -> {
            }
        }
        return f;
    }
}

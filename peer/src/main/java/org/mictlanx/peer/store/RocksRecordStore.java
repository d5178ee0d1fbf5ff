package org.mictlanx.peer.store;

import org.mictlanx.peer.api.MetaRecord;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/** {@link RecordStore} on the {@code records} column family of a {@link RocksDatabase}. */
public final class RocksRecordStore implements RecordStore {
    private final RocksDatabase db;
    private final Clock clock;
    private final Stripes stripes = new Stripes(64);
    private final AtomicLong count = new AtomicLong();

    public RocksRecordStore(RocksDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.iterator(db.records(), ro)) {
            for (it.seekToFirst(); it.isValid(); it.next()) count.incrementAndGet();
            try {
                db.checkIterator(it, "record count at open");
            } catch (org.mictlanx.peer.api.PeerException e) {
                // the count stays partial; the database now reports its damage (health: not ready)
            }
        }
    }

    @Override
    public boolean put(MetaRecord record) {
        return putAll(List.of(record)).get(0);
    }

    @Override
    public boolean putIf(MetaRecord record, long expectedVersion) {
        byte[] key = RecordCodec.key(record.partition(), record.sortKey());
        db.diskGuard().check(record.value().length + 64L);
        int[] locked = stripes.lockAll(new byte[][] {key});
        try (WriteBatch b = new WriteBatch()) {
            byte[] v = db.get(db.records(), key);
            long current = v == null ? org.mictlanx.peer.api.PeerApi.ABSENT : RecordCodec.decode(key, v).record().version();
            if (current != expectedVersion) return false;
            b.put(db.records(), key, RecordCodec.value(record, clock.millis()));
            db.write(b);
            if (v == null) count.incrementAndGet();
            return true;
        } catch (RocksDBException e) {
            throw RocksDatabase.translate("record put", e);
        } finally {
            stripes.unlockAll(locked);
        }
    }

    @Override
    public List<Boolean> putAll(List<MetaRecord> records) {
        byte[][] keys = records.stream().map(r -> RecordCodec.key(r.partition(), r.sortKey())).toArray(byte[][]::new);
        long size = records.stream().mapToLong(r -> r.value().length + 64L).sum();
        db.diskGuard().check(size);
        int[] locked = stripes.lockAll(keys);
        try (WriteBatch b = new WriteBatch()) {
            LwwBatch lww = new LwwBatch(records, keys, k -> {
                byte[] v = db.get(db.records(), k);
                return v == null ? null : RecordCodec.decode(k, v).record();
            });
            long now = clock.millis();
            for (int i : lww.toWrite()) b.put(db.records(), keys[i], RecordCodec.value(records.get(i), now));
            if (lww.toWrite().length > 0) db.write(b);
            count.addAndGet(lww.newKeys());
            return lww.results();
        } catch (RocksDBException e) {
            throw RocksDatabase.translate("record put", e);
        } finally {
            stripes.unlockAll(locked);
        }
    }

    @Override
    public Optional<MetaRecord> get(String partition, String sortKey) {
        byte[] k = RecordCodec.key(partition, sortKey);
        byte[] v = db.get(db.records(), k);
        return v == null ? Optional.empty() : Optional.of(RecordCodec.decode(k, v).record());
    }

    @Override
    public List<MetaRecord> scan(String partition, String prefix, String startAfter, int limit) {
        byte[] bound = RecordCodec.key(partition, prefix == null ? "" : prefix);
        byte[] start = bound;
        byte[] after = startAfter == null ? null : RecordCodec.key(partition, startAfter);
        if (after != null && Arrays.compareUnsigned(after, start) >= 0) start = after;
        List<MetaRecord> out = new ArrayList<>();
        try (ReadOptions ro = new ReadOptions().setTotalOrderSeek(true); RocksIterator it = db.iterator(db.records(), ro)) {
            for (it.seek(start); it.isValid() && out.size() < limit; it.next()) {
                byte[] k = it.key();
                if (!RecordCodec.startsWith(k, bound)) break;
                if (after != null && Arrays.equals(k, after)) continue;
                out.add(RecordCodec.decode(k, it.value()).record());
            }
            // an iterator that stopped on an error is not the end of the partition
            if (!it.isValid()) db.checkIterator(it, "record scan");
            // a scan that covered part of a quarantined range could miss records: refused
            boolean full = out.size() >= limit && it.isValid();
            byte[] from = start == after ? Arrays.copyOf(after, after.length + 1) : start; // the first key after startAfter
            db.checkSpan(db.records(), from, full ? RecordCodec.key(partition, out.get(out.size() - 1).sortKey()) : null, bound);
        }
        return out;
    }

    @Override
    public int purgeTombstones(long cutoffMillis) {
        List<byte[]> candidates = new ArrayList<>();
        try (ReadOptions ro = new ReadOptions().setFillCache(false); RocksIterator it = db.iterator(db.records(), ro)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                RecordCodec.Stored s = RecordCodec.decode(it.key(), it.value());
                if (s.record().tombstone() && s.writtenAtMillis() < cutoffMillis) candidates.add(it.key());
            }
            db.checkIterator(it, "tombstone sweep");
        }
        int purged = 0;
        for (byte[] k : candidates) {
            ReentrantLock lock = stripes.lock(k);
            try (WriteBatch b = new WriteBatch()) {
                byte[] v = db.get(db.records(), k);
                if (v == null) continue;
                RecordCodec.Stored s = RecordCodec.decode(k, v);
                if (!s.record().tombstone() || s.writtenAtMillis() >= cutoffMillis) continue;
                b.delete(db.records(), k);
                db.write(b);
                count.decrementAndGet();
                purged++;
            } catch (RocksDBException e) {
                throw RocksDatabase.translate("purge", e);
            } finally {
                lock.unlock();
            }
        }
        return purged;
    }

    @Override
    public long count() {
        return count.get();
    }

    /** The database is owned and closed by whoever opened it. */
    @Override
    public void close() {
    }

}

package org.mictlanx.peer.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Rebuild of a damaged peer store: offline ({@code bin/mictlanx peer --data DIR --repair-store}, the
 * peer not running, the caller holding the data directory lock) or online (the running peer closes
 * its store first, {@code LocalPeer#rebuildStore}). RocksJava has no RepairDB, so
 * this salvages instead: every store file is moved aside into {@code DIR/damaged-<UTC time>} (kept
 * for inspection, never deleted by MictlanX), a fresh store is created in {@code DIR}, and whatever
 * the damaged store still reads with checksums verified is copied over, family by family: records,
 * then chunks, then the chunk metadata of chunks whose bytes were copied (so the fresh store never
 * lists a chunk it cannot return). A family's copy continues past damage: it resumes at the next
 * readable key (the next table file's range, or the next key a sibling family lists), so only the
 * entries of a damaged block are lost (with no sibling hint, the rest of that table file too); the
 * report lists every damaged stretch skipped. Online, {@code LocalPeer#rebuildStore} does the same
 * with the peer running (its store closed meanwhile). The fresh store has a new identity, so
 * when the peer starts again every router runs a full repair pass and refills what was not salvaged
 * (chunks from the other replicas, records by the pass's metadata sync).
 */
public final class StoreRebuild {

    /** What was copied from one column family; {@code damage}: each damaged stretch skipped (empty when it read whole). */
    public record Family(String name, long copied, long bytes, List<String> damage) {
        public Family {
            damage = List.copyOf(damage);
        }
    }

    /** The outcome: where the old files went, per-family copies, or why the old store could not be opened at all. */
    public record Report(Path setAside, List<Family> families, String openError) {
        public boolean complete() {
            return openError == null && families.stream().allMatch(f -> f.damage().isEmpty());
        }
    }

    private static final long BATCH_BYTES = 32L << 20;
    private static final int BATCH_ENTRIES = 1000;

    private StoreRebuild() {
    }

    /**
     * Rebuilds the store under {@code dataDir} (see the class comment); {@code lockFile} names the lock
     * to leave in place. The store must not be open.
     */
    public static Report rebuild(Path dataDir, String lockFile, long diskReserveBytes) throws IOException {
        Path aside = dataDir.resolve("damaged-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")));
        Files.createDirectory(aside);
        try (Stream<Path> entries = Files.list(dataDir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.equals(lockFile) || name.startsWith("damaged-")) continue;
                Files.move(p, aside.resolve(name));
            }
        }
        RocksDB.loadLibrary();
        List<Family> families = new ArrayList<>();
        List<AutoCloseable> open = new ArrayList<>();
        try (RocksDatabase fresh = new RocksDatabase(dataDir, new DiskGuard(dataDir, diskReserveBytes))) {
            RocksDB old;
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try {
                DBOptions dbo = new DBOptions();
                open.add(dbo);
                ColumnFamilyOptions cfo = new ColumnFamilyOptions();
                open.add(cfo);
                List<ColumnFamilyDescriptor> cfs = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfo),
                        new ColumnFamilyDescriptor("chunks".getBytes(), cfo), new ColumnFamilyDescriptor("chunk_meta".getBytes(), cfo),
                        new ColumnFamilyDescriptor("records".getBytes(), cfo));
                old = RocksDB.openReadOnly(dbo, aside.toString(), cfs, handles);
            } catch (RocksDBException e) {
                return new Report(aside, families, String.valueOf(e.getMessage()));
            }
            open.addAll(handles);
            open.add(old);
            families.add(copy(old, handles.get(3), fresh, fresh.records(), "records", null, KeyHints.NONE));
            families.add(copy(old, handles.get(1), fresh, fresh.chunks(), "chunks", null, keysOf(old, handles.get(2))));
            families.add(copy(old, handles.get(2), fresh, fresh.chunkMeta(), "chunk_meta", fresh.chunks(), keysOf(fresh, fresh.chunks())));
            return new Report(aside, families, null);
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception ignored) {
                    // closing a read-only handle
                }
            }
        }
    }

    /**
     * Copies one family to its end, past damage: when the iterator stops on an error after key K, the
     * copy resumes at the first key after K where a seek succeeds, taken from (a) the smallest keys of
     * the family's table files (the next file's range), and (b) the keys {@code hints} lists after K
     * (the keys of a sibling family: a chunk's bytes and its metadata share the key). So only the
     * entries stored in a damaged block (and, without a hint, the rest of that table file) are lost.
     * {@code onlyIfIn}: skip keys absent from that fresh family.
     */
    private static Family copy(RocksDB old, ColumnFamilyHandle from, RocksDatabase fresh, ColumnFamilyHandle to, String name,
                               ColumnFamilyHandle onlyIfIn, KeyHints hints) {
        long copied = 0, bytes = 0;
        List<String> damage = new ArrayList<>();
        byte[] lastKey = null;
        try (ReadOptions ro = new ReadOptions().setVerifyChecksums(true).setFillCache(false)) {
            RocksIterator it = old.newIterator(from, ro);
            it.seekToFirst();
            WriteBatch batch = new WriteBatch();
            long batchBytes = 0;
            int batchEntries = 0;
            try {
                while (true) {
                    for (; it.isValid(); it.next()) {
                        byte[] k = it.key();
                        lastKey = k;
                        if (onlyIfIn != null && fresh.get(onlyIfIn, k) == null) continue;
                        byte[] v = it.value();
                        batch.put(to, k, v);
                        batchBytes += k.length + v.length;
                        batchEntries++;
                        copied++;
                        bytes += v.length;
                        if (batchBytes >= BATCH_BYTES || batchEntries >= BATCH_ENTRIES) {
                            fresh.write(batch);
                            batch.close();
                            batch = new WriteBatch();
                            batchBytes = 0;
                            batchEntries = 0;
                        }
                    }
                    try {
                        it.status();
                        break; // read to the end
                    } catch (RocksDBException e) {
                        damage.add(e.getMessage() + (lastKey == null ? " (before the first entry)" : " (after " + printable(new String(lastKey, java.nio.charset.StandardCharsets.UTF_8)) + ")"));
                    }
                    it.close();
                    it = resume(old, from, ro, name, lastKey, hints);
                    if (it == null) break;
                }
            } finally {
                if (it != null) it.close();
                fresh.write(batch);
                batch.close();
            }
        } catch (RocksDBException e) {
            // a batch put failed: the fresh store, not the damaged one
            throw new org.mictlanx.peer.api.PeerException(org.mictlanx.peer.api.PeerException.Kind.UNAVAILABLE,
                    "salvage of " + name + " could not write the fresh store: " + e.getMessage(), e);
        }
        return new Family(name, copied, bytes, damage);
    }

    /** Keys of a sibling family after a given key (best effort: empty when it cannot be read there). */
    @FunctionalInterface
    interface KeyHints {
        List<byte[]> after(byte[] key, int max);

        KeyHints NONE = (k, max) -> List.of();
    }

    /** Hint keys looked at per resume attempt. */
    private static final int HINTS = 32;

    /**
     * An iterator positioned at the first readable entry after {@code after} (null: after the start),
     * or null when no candidate key reads (the rest of the family is lost or there is none).
     */
    private static RocksIterator resume(RocksDB old, ColumnFamilyHandle from, ReadOptions ro, String name, byte[] after,
                                        KeyHints hints) {
        byte[] floor = after;
        while (true) {
            java.util.TreeSet<byte[]> candidates = new java.util.TreeSet<>(java.util.Arrays::compareUnsigned);
            for (org.rocksdb.LiveFileMetaData f : old.getLiveFilesMetaData()) {
                if (!name.equals(new String(f.columnFamilyName(), java.nio.charset.StandardCharsets.UTF_8))) continue;
                if (floor == null || java.util.Arrays.compareUnsigned(f.smallestKey(), floor) > 0) candidates.add(f.smallestKey());
            }
            for (byte[] k : hints.after(floor, HINTS)) {
                if (floor == null || java.util.Arrays.compareUnsigned(k, floor) > 0) candidates.add(k);
            }
            if (candidates.isEmpty()) return null;
            for (byte[] c : candidates) {
                RocksIterator it = old.newIterator(from, ro);
                it.seek(c);
                if (it.isValid()) return it;
                try {
                    it.status();
                    it.close();
                    return null; // nothing after c
                } catch (RocksDBException e) {
                    it.close(); // c's block is damaged too: try the next candidate
                    floor = c;
                }
            }
        }
    }

    /** Keys of {@code cf} in {@code db} after a key, read with checksums (stops quietly at damage). */
    private static KeyHints keysOf(RocksDB db, ColumnFamilyHandle cf) {
        return (key, max) -> {
            List<byte[]> out = new ArrayList<>();
            try (ReadOptions ro = new ReadOptions().setVerifyChecksums(true).setFillCache(false);
                 RocksIterator it = db.newIterator(cf, ro)) {
                if (key == null) it.seekToFirst();
                else it.seek(key);
                for (; it.isValid() && out.size() < max; it.next()) {
                    if (key == null || java.util.Arrays.compareUnsigned(it.key(), key) > 0) out.add(it.key());
                }
            }
            return out;
        };
    }

    /** Keys of a fresh store's family after a key. */
    private static KeyHints keysOf(RocksDatabase fresh, ColumnFamilyHandle cf) {
        return (key, max) -> {
            List<byte[]> out = new ArrayList<>();
            try (ReadOptions ro = new ReadOptions(); RocksIterator it = fresh.iterator(cf, ro)) {
                if (key == null) it.seekToFirst();
                else it.seek(key);
                for (; it.isValid() && out.size() < max; it.next()) {
                    if (key == null || java.util.Arrays.compareUnsigned(it.key(), key) > 0) out.add(it.key());
                }
            }
            return out;
        };
    }

    private static String printable(String key) {
        StringBuilder sb = new StringBuilder();
        for (char c : key.toCharArray()) sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        return sb.length() > 120 ? sb.substring(0, 120) + "..." : sb.toString();
    }
}

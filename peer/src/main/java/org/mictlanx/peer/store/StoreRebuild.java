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
 * Offline rebuild of a damaged peer store ({@code bin/mictlanx peer --data DIR --repair-store}); the
 * peer must not be running (the caller holds the data directory lock). RocksJava has no RepairDB, so
 * this salvages instead: every store file is moved aside into {@code DIR/damaged-<UTC time>} (kept
 * for inspection, never deleted by MictlanX), a fresh store is created in {@code DIR}, and whatever
 * the damaged store still reads with checksums verified is copied over, family by family: records,
 * then chunks, then the chunk metadata of chunks whose bytes were copied (so the fresh store never
 * lists a chunk it cannot return). A family's copy stops at the first damage it meets (what follows
 * the damaged block is not read); the report says where. The fresh store has a new identity, so
 * when the peer starts again every router runs a full repair pass and refills what was not salvaged
 * (chunks from the other replicas, records by the pass's metadata sync).
 */
public final class StoreRebuild {

    /** What was copied from one column family; {@code damage} is null when it was read to its end. */
    public record Family(String name, long copied, long bytes, String damage) {
    }

    /** The outcome: where the old files went, per-family copies, or why the old store could not be opened at all. */
    public record Report(Path setAside, List<Family> families, String openError) {
        public boolean complete() {
            return openError == null && families.stream().allMatch(f -> f.damage() == null);
        }
    }

    private static final long BATCH_BYTES = 32L << 20;
    private static final int BATCH_ENTRIES = 1000;

    private StoreRebuild() {
    }

    /** Rebuilds the store under {@code dataDir} (see the class comment); {@code lockFile} names the lock to leave in place. */
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
            families.add(copy(old, handles.get(3), fresh, fresh.records(), "records", null));
            families.add(copy(old, handles.get(1), fresh, fresh.chunks(), "chunks", null));
            families.add(copy(old, handles.get(2), fresh, fresh.chunkMeta(), "chunk_meta", fresh.chunks()));
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

    /** Copies one family until its end or its first damage; {@code onlyIfIn}: skip keys absent from that fresh family. */
    private static Family copy(RocksDB old, ColumnFamilyHandle from, RocksDatabase fresh, ColumnFamilyHandle to, String name,
                               ColumnFamilyHandle onlyIfIn) {
        long copied = 0, bytes = 0;
        String lastKey = null;
        try (ReadOptions ro = new ReadOptions().setVerifyChecksums(true).setFillCache(false);
             RocksIterator it = old.newIterator(from, ro)) {
            WriteBatch batch = new WriteBatch();
            long batchBytes = 0;
            int batchEntries = 0;
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (onlyIfIn != null && fresh.get(onlyIfIn, k) == null) continue;
                byte[] v = it.value();
                batch.put(to, k, v);
                batchBytes += k.length + v.length;
                batchEntries++;
                copied++;
                bytes += v.length;
                lastKey = new String(k, java.nio.charset.StandardCharsets.UTF_8);
                if (batchBytes >= BATCH_BYTES || batchEntries >= BATCH_ENTRIES) {
                    fresh.write(batch);
                    batch.close();
                    batch = new WriteBatch();
                    batchBytes = 0;
                    batchEntries = 0;
                }
            }
            fresh.write(batch);
            batch.close();
            try {
                it.status();
            } catch (RocksDBException e) {
                return new Family(name, copied, bytes, e.getMessage() + (lastKey == null ? " (before the first entry)" : " (after " + printable(lastKey) + ")"));
            }
        } catch (RocksDBException e) {
            return new Family(name, copied, bytes, String.valueOf(e.getMessage()));
        }
        return new Family(name, copied, bytes, null);
    }

    private static String printable(String key) {
        StringBuilder sb = new StringBuilder();
        for (char c : key.toCharArray()) sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        return sb.length() > 120 ? sb.substring(0, 120) + "..." : sb.toString();
    }
}

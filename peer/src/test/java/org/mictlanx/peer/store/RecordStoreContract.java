package org.mictlanx.peer.store;

import org.mictlanx.peer.api.MetaRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The contract every {@link RecordStore} passes; subclasses supply the implementation. */
public abstract class RecordStoreContract {
    /** A settable clock for tombstone write times. */
    protected final MutableClock clock = new MutableClock();
    protected RecordStore store;

    protected abstract RecordStore open(Clock clock);

    protected abstract RecordStore reopen(Clock clock);

    @BeforeEach
    void setUp() {
        store = open(clock);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    static MetaRecord rec(String p, String k, long v, String value) {
        return new MetaRecord(p, k, v, false, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void lastWriterWinsWhateverTheArrivalOrder() {
        assertTrue(store.put(rec("p", "k", 5, "five")));
        assertFalse(store.put(rec("p", "k", 4, "four")));
        assertTrue(store.put(rec("p", "k", 5, "five")), "re-applying the stored record is a success");
        assertTrue(store.put(rec("p", "k", 5, "zzz")), "equal version: greater value wins");
        assertFalse(store.put(rec("p", "k", 5, "aaa")));
        assertFalse(store.put(MetaRecord.tombstone("p", "k", 5)), "equal version: tombstone loses");
        assertEquals(rec("p", "k", 5, "zzz"), store.get("p", "k").orElseThrow());
        assertTrue(store.put(MetaRecord.tombstone("p", "k", 6)));
        assertEquals(MetaRecord.tombstone("p", "k", 6), store.get("p", "k").orElseThrow());
        assertEquals(1, store.count());
    }

    @Test
    void batchIsResolvedPerRecordIncludingDuplicatesInTheBatch() {
        store.put(rec("p", "a", 10, "stored"));
        List<Boolean> r = store.putAll(List.of(rec("p", "a", 9, "old"), rec("p", "b", 1, "b1"),
                rec("p", "b", 3, "b3"), rec("p", "b", 2, "b2")));
        assertEquals(List.of(false, false, true, false), r);
        assertEquals(rec("p", "b", 3, "b3"), store.get("p", "b").orElseThrow());
        assertEquals(2, store.count());
    }

    @Test
    void scanIsUtf8OrderedWithinPartitionWithPrefixAndStartAfter() {
        List<String> keys = List.of("a", "a\u0000", "a\u0000b", "ab", "b", "\u00e9", "\uD83D\uDE00", "\u0000");
        for (String k : keys) store.put(rec("p\u0000x", k, 1, k));
        store.put(rec("p", "zz", 1, "other partition"));
        store.put(rec("p\u0000", "zz", 1, "other partition"));
        store.put(rec("p\u0000xy", "a", 1, "other partition"));
        List<String> all = store.scan("p\u0000x", null, null, 100).stream().map(MetaRecord::sortKey).toList();
        assertEquals(List.of("\u0000", "a", "a\u0000", "a\u0000b", "ab", "b", "\u00e9", "\uD83D\uDE00"), all);
        assertEquals(List.of("a", "a\u0000", "a\u0000b", "ab"), keysOf(store.scan("p\u0000x", "a", null, 100)));
        assertEquals(List.of("a\u0000b", "ab"), keysOf(store.scan("p\u0000x", "a", "a\u0000", 100)));
        assertEquals(List.of("a\u0000"), keysOf(store.scan("p\u0000x", "a", "a", 1)));
        assertEquals(List.of("a", "a\u0000"), keysOf(store.scan("p\u0000x", "a", "\u0000", 2)));
        assertEquals(List.of(), keysOf(store.scan("p\u0000x", "a", "b", 10)));
        assertEquals(List.of(), keysOf(store.scan("nope", null, null, 10)));
        assertEquals(Optional.empty(), store.get("p\u0000x", "c"));
    }

    private static List<String> keysOf(List<MetaRecord> rs) {
        return rs.stream().map(MetaRecord::sortKey).toList();
    }

    @Test
    void tombstonesAreScannedAndPurgedOnlyAfterTheirTtl() {
        clock.set(1_000);
        store.put(rec("p", "live", 1, "v"));
        store.put(MetaRecord.tombstone("p", "dead", 2));
        clock.set(5_000);
        store.put(MetaRecord.tombstone("p", "young", 2));
        assertEquals(3, store.scan("p", null, null, 10).size());
        assertEquals(0, store.purgeTombstones(1_000));
        assertEquals(1, store.purgeTombstones(1_001));
        assertEquals(Optional.empty(), store.get("p", "dead"));
        assertTrue(store.get("p", "young").orElseThrow().tombstone());
        assertTrue(store.get("p", "live").isPresent());
        assertEquals(2, store.count());
    }

    @Test
    void survivesReopen() {
        clock.set(7);
        store.put(rec("p", "k", 3, "durable"));
        store.put(MetaRecord.tombstone("p", "t", 3));
        store = reopen(clock);
        assertEquals(rec("p", "k", 3, "durable"), store.get("p", "k").orElseThrow());
        assertEquals(2, store.count());
        assertEquals(1, store.purgeTombstones(8), "the write time of a tombstone survives restarts");
    }

    /** A clock the test moves by hand. */
    public static final class MutableClock extends Clock {
        private volatile long millis;

        public void set(long millis) {
            this.millis = millis;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

package org.mictlanx.router.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.router.MetaTable;

/**
 * The contract of {@link MetaTable}, run against every implementation: the router's replicated
 * table over RocksDB peers and the in-memory fake. One table serves the whole class; every test
 * works in partitions of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MetaTableContract {

    private static final AtomicInteger SEQ = new AtomicInteger();

    /** The table under test (the same instance for every test of the class). */
    protected abstract MetaTable table();

    private static String partition() {
        return "contract-" + SEQ.incrementAndGet();
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<String> keys(List<MetaTable.Entry> entries) {
        return entries.stream().map(MetaTable.Entry::sortKey).toList();
    }

    @Test
    void aPutIsReadBackAndALaterPutReplacesIt() {
        String p = partition();
        assertTrue(table().get(p, "k").isEmpty());
        table().put(p, "k", b("one"));
        assertArrayEquals(b("one"), table().get(p, "k").orElseThrow());
        table().put(p, "k", b("two"));
        assertArrayEquals(b("two"), table().get(p, "k").orElseThrow());
        assertTrue(table().get(partition(), "k").isEmpty(), "partitions are separate");
    }

    @Test
    void theTableKeepsItsOwnCopyOfAValue() {
        String p = partition();
        byte[] value = b("original");
        table().put(p, "k", value);
        value[0] = 'X';
        assertArrayEquals(b("original"), table().get(p, "k").orElseThrow());
    }

    @Test
    void deleteReportsWhetherALiveValueExistedAndHidesIt() {
        String p = partition();
        assertFalse(table().delete(p, "k"));
        table().put(p, "k", b("v"));
        table().put(p, "other", b("w"));
        assertTrue(table().delete(p, "k"));
        assertTrue(table().get(p, "k").isEmpty());
        assertFalse(table().delete(p, "k"), "a second delete finds nothing live");
        assertEquals(List.of("other"), keys(table().scan(p, null, null, 10)));
        table().put(p, "k", b("again"));
        assertArrayEquals(b("again"), table().get(p, "k").orElseThrow(), "a deleted key can be written again");
    }

    @Test
    void writeOwnStoresAndRemovesInOneCallAndTheResultReadsLikePutsAndDeletes() {
        String p = partition();
        table().writeOwn(p, java.util.Map.of("w/1", b("one")), List.of());
        assertArrayEquals(b("one"), table().get(p, "w/1").orElseThrow());
        java.util.Map<String, byte[]> puts = new java.util.LinkedHashMap<>();
        puts.put("w/2", b("two"));
        puts.put("w/3", b("three"));
        table().writeOwn(p, puts, List.of("w/1", "w/never"));
        assertTrue(table().get(p, "w/1").isEmpty(), "removed in the same write");
        assertTrue(table().get(p, "w/never").isEmpty(), "removing what was never written leaves nothing live");
        assertEquals(List.of("w/2", "w/3"), keys(table().scan(p, "w/", null, 10)));
        byte[] value = b("mine");
        table().writeOwn(p, java.util.Map.of("w/4", value), List.of());
        value[0] = 'X';
        assertArrayEquals(b("mine"), table().get(p, "w/4").orElseThrow(), "the table keeps its own copy");
        table().writeOwn(p, java.util.Map.of(), List.of()); // nothing to do
        table().writeOwn(p, java.util.Map.of("w/2", b("again")), List.of("w/3"));
        assertArrayEquals(b("again"), table().get(p, "w/2").orElseThrow(), "a later own write replaces the earlier");
        assertEquals(List.of("w/2", "w/4"), keys(table().scan(p, "w/", null, 10)));
    }

    @Test
    void scanIsInUtf8OrderWithPrefixStartAfterAndLimit() {
        String p = partition();
        // UTF-16 order would put the emoji (a surrogate pair, 0xD83D) before U+FF21; UTF-8 puts it after.
        List<String> all = List.of("a/1", "a/2", "a/\uFF21", "a/\uD83D\uDE00", "b/1");
        for (String k : List.of("b/1", "a/\uD83D\uDE00", "a/2", "a/\uFF21", "a/1")) table().put(p, k, b("v-" + k));
        List<MetaTable.Entry> every = table().scan(p, null, null, 100);
        assertEquals(all, keys(every));
        assertArrayEquals(b("v-a/\uFF21"), every.get(2).value());
        assertEquals(all.subList(0, 4), keys(table().scan(p, "a/", null, 100)));
        assertEquals(List.of("a/\uFF21", "a/\uD83D\uDE00"), keys(table().scan(p, "a/", "a/2", 100)));
        assertEquals(List.of("a/1", "a/2"), keys(table().scan(p, "a/", null, 2)));
        assertEquals(List.of("b/1"), keys(table().scan(p, null, "a/\uD83D\uDE00", 100)));
        assertEquals(List.of(), keys(table().scan(p, "c", null, 100)));
        assertEquals(List.of(), keys(table().scan(partition(), null, null, 100)));
    }
}

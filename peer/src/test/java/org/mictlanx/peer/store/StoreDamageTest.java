package org.mictlanx.peer.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.PeerException;

/** Locating RocksDB's damage messages to key ranges, and the whole-store fallback. */
class StoreDamageTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static StoreDamage damage() {
        return new StoreDamage(file -> file == 12
                ? Optional.of(new StoreDamage.Range("chunk_meta", b("c100"), b("c199"), "000012.sst")) : Optional.empty());
    }

    @Test
    void namesTheLastTableFileOfTheMessage() {
        assertEquals(12, StoreDamage.tableFile("Corruption: block checksum mismatch: stored = 1, computed = 2, type = 4  in "
                + "/var/lib/mictlanx/peer1/000012.sst offset 0 size 3822"));
        assertEquals(-1, StoreDamage.tableFile("IO error: While reading MANIFEST-000005"));
        assertEquals(-1, StoreDamage.tableFile(null));
    }

    @Test
    void aLocatedDamageQuarantinesOnlyItsRange() {
        StoreDamage d = damage();
        d.found("rocksdb read failed: Corruption: block checksum mismatch in /d/000012.sst offset 0 size 9");
        assertTrue(d.wholeStore().isEmpty());
        assertEquals(1, d.describeRanges().size());
        assertThrows(PeerException.class, () -> d.checkKey("chunk_meta", b("c150")));
        assertDoesNotThrow(() -> d.checkKey("chunk_meta", b("c200")));
        assertDoesNotThrow(() -> d.checkKey("chunks", b("c150")), "another family");
        PeerException e = assertThrows(PeerException.class, () -> d.checkSpan("chunk_meta", b("c0"), null, new byte[0]));
        assertEquals(PeerException.Kind.UNAVAILABLE, e.kind());
        assertDoesNotThrow(() -> d.checkSpan("chunk_meta", b("c0"), b("c099"), new byte[0]), "a listing that stopped before it");
        assertDoesNotThrow(() -> d.checkSpan("chunk_meta", b("c2"), null, new byte[0]), "one that began after it");
        assertDoesNotThrow(() -> d.checkSpan("chunk_meta", b("c0"), null, b("c0")), "a prefix whose keys all sort before it");
        assertTrue(d.describe().orElseThrow().contains("chunk_meta keys \"c100\" .. \"c199\" (000012.sst)"), d.describe().toString());
        d.found("rocksdb scan failed: Corruption: bad block in /d/000012.sst offset 9");
        assertEquals(1, d.describeRanges().size(), "one range per file");
    }

    @Test
    void aDamageNamingNoLiveTableFileQuarantinesTheWholeStore() {
        StoreDamage d = damage();
        d.foundInBackground("rocksdb background error during COMPACTION: Corruption/None bad blob in /d/000031.blob");
        assertTrue(d.any());
        assertTrue(d.wholeStore().isPresent());
        assertThrows(PeerException.class, () -> d.checkKey("records", b("x")));
        StoreDamage unknown = damage();
        unknown.found("rocksdb read failed: Corruption: block checksum mismatch in /d/000077.sst offset 0");
        assertTrue(unknown.wholeStore().isPresent(), "a table file that is not live any more");
    }
}

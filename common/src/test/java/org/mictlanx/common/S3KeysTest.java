package org.mictlanx.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3KeysTest {

    /** The order S3 lists in: UTF-8 bytes compared unsigned. */
    private static int bytewise(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void ordersAsUtf8BytesNotAsUtf16() {
        // U+FF21 (3 UTF-8 bytes, one UTF-16 unit) sorts before U+1F600 (4 bytes, a surrogate pair) in
        // UTF-8 order, after it in String.compareTo's UTF-16 order.
        String fullwidth = "\uFF21";
        String emoji = "\uD83D\uDE00";
        assertTrue(S3Keys.compare(fullwidth, emoji) < 0);
        assertTrue(fullwidth.compareTo(emoji) > 0);
        assertTrue(S3Keys.compare("a", "ab") < 0);
        assertTrue(S3Keys.compare("ab", "a") > 0);
        assertEquals(0, S3Keys.compare("k\u00e9y", "k\u00e9y"));
    }

    @Test
    void agreesWithUnsignedByteComparison() {
        List<String> keys = new ArrayList<>(List.of("", "a", "A", "a/b", "a-b", "\u00e9", "\u0800", "\uFF21",
                "\uD83D\uDE00", "z\uD83D\uDE00", "z\uFFFF", "~", "a\u0000"));
        for (String a : keys) {
            for (String b : keys) {
                assertEquals(Integer.signum(bytewise(a, b)), Integer.signum(S3Keys.compare(a, b)), a + " vs " + b);
            }
        }
        keys.sort(S3Keys.UTF8_ORDER);
        for (int i = 1; i < keys.size(); i++) {
            assertTrue(bytewise(keys.get(i - 1), keys.get(i)) <= 0, keys.toString());
        }
    }

    @Test
    void rollsKeysUpToTheFirstDelimiterAfterThePrefix() {
        assertEquals("photos/2024/", S3Keys.commonPrefix("photos/2024/jan.jpg", "photos/", "/"));
        assertEquals("a/", S3Keys.commonPrefix("a/b/c", "", "/"));
        assertNull(S3Keys.commonPrefix("photos/jan.jpg", "photos/", "/"));
        assertNull(S3Keys.commonPrefix("a/b/c", "", null));
        // the delimiter inside the prefix does not count
        assertEquals("a/b/", S3Keys.commonPrefix("a/b/c", "a/", "/"));
        assertEquals("x--", S3Keys.commonPrefix("x--y--z", "", "--"));
    }
}

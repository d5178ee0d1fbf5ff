package org.mictlanx.s3.xml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The ListObjectsV2 fast writer answers exactly the Jackson mapper's bytes, or nothing (then Jackson renders). */
class ListingXmlWriterTest {

    private final S3Xml xml = new S3Xml();

    /** Plain characters of every UTF-8 length, then characters that need escaping or are not plain. */
    private static final String PLAIN = "az AZ09/._-!\"#$%'()*+,:;=?@[\\]^`{|}~é\u00a0\u07ff\u0800ह\ud7ff\ue000\ufffd";
    private static final String SPECIAL = "<>&\r\n\t\u007f\u0080\u009f\ud83d\ude00]";

    @Test
    void randomListingsRenderAsJacksonDoesOrFallBackToIt() {
        SplittableRandom random = new SplittableRandom(21);
        int fast = 0;
        for (int doc = 0; doc < 400; doc++) {
            boolean special = doc % 3 == 0;
            ListBucketResultV2 r = listing(random, special);
            byte[] expected = xml.jackson(r);
            byte[] got = ListingXmlWriter.write(r);
            if (got != null) {
                fast++;
                assertArrayEquals(expected, got, new String(expected, java.nio.charset.StandardCharsets.UTF_8));
            } else {
                assertTrue(special, "a listing of plain text takes the fast path");
            }
            assertArrayEquals(expected, xml.write(r));
        }
        assertTrue(fast > 250, "most documents took the fast path: " + fast);
    }

    @Test
    void theGoldenShapesMatchAndEscapesFallBack() {
        ListBucketResultV2 empty = new ListBucketResultV2(S3Xml.NS, "b", "", 0, 1000, "/", false, List.of(), List.of(),
                "url", "tok", null, null);
        assertArrayEquals(xml.jackson(empty), ListingXmlWriter.write(empty));
        ListBucketResultV2 withOwner = new ListBucketResultV2(S3Xml.NS, "b", "p/", 1, 1, null, true,
                List.of(new ObjectEntry("p/k", "2014-11-21T19:40:05.000Z", "\"70ee\"", 11, "STANDARD", Owner.of("alice"))),
                List.of(new CommonPrefix("p/q/")), null, null, "cA", "");
        assertArrayEquals(xml.jackson(withOwner), ListingXmlWriter.write(withOwner));
        for (String key : List.of("a&b", "a<b", "a>b", "]]>", "a\rb", "a\tb", "😀")) {
            assertFalse(ListingXmlWriter.plain(key), key);
            ListBucketResultV2 r = new ListBucketResultV2(S3Xml.NS, "b", "", 1, 1000, null, false,
                    List.of(new ObjectEntry(key, "2014-11-21T19:40:05.000Z", "\"e\"", 1, "STANDARD", null)), List.of(),
                    null, null, null, null);
            assertNull(ListingXmlWriter.write(r));
            assertArrayEquals(xml.jackson(r), xml.write(r));
        }
        assertNotNull(ListingXmlWriter.write(new ListBucketResultV2(null, "b", "", 0, 0, null, false, null, null,
                null, null, null, null)));
    }

    private static ListBucketResultV2 listing(SplittableRandom random, boolean special) {
        List<ObjectEntry> contents = new ArrayList<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            contents.add(new ObjectEntry(text(random, special), maybe(random, "2014-11-21T19:40:05.000Z"),
                    maybe(random, "\"" + Long.toHexString(random.nextLong()) + "\""), random.nextLong(0, 1L << 40),
                    maybe(random, random.nextBoolean() ? "STANDARD" : "GLACIER"),
                    random.nextBoolean() ? null : new Owner(text(random, special), maybe(random, text(random, special)))));
        }
        List<CommonPrefix> prefixes = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) prefixes.add(new CommonPrefix(text(random, special)));
        return new ListBucketResultV2(random.nextInt(5) == 0 ? null : S3Xml.NS, text(random, false),
                maybe(random, text(random, special)), n, random.nextInt(1001), maybe(random, text(random, special)),
                random.nextBoolean(), random.nextInt(5) == 0 ? null : contents, random.nextInt(5) == 0 ? null : prefixes,
                maybe(random, "url"), maybe(random, text(random, special)), maybe(random, text(random, special)),
                maybe(random, text(random, special)));
    }

    private static String text(SplittableRandom random, boolean special) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            String from = special && random.nextInt(8) == 0 ? SPECIAL : PLAIN;
            int at = random.nextInt(from.length());
            char c = from.charAt(at);
            if (Character.isHighSurrogate(c) && at + 1 < from.length()) {
                b.append(c).append(from.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String maybe(SplittableRandom random, String s) {
        return random.nextInt(4) == 0 ? null : s;
    }
}

package org.mictlanx.s3.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class XmlCharsTest {

    @Test
    void legalCharactersAreXml10sAndSurrogatesMustPair() {
        for (String ok : new String[] {null, "", "k/0001", "\t\n\r", "é\uD7FF\uE000\uFFFD", "\uD83D\uDE00", "\uDBFF\uDFFF"}) {
            assertTrue(XmlChars.isValid(ok), String.valueOf(ok));
        }
        for (String bad : new String[] {"\u0000", "a\u0001b", "\u001F", "\uFFFE", "\uFFFF", "\uD83D", "a\uDE00", "\uD83Dx"}) {
            assertFalse(XmlChars.isValid(bad), bad);
        }
        assertEquals("a\uFFFDb\uD83D\uDE00", XmlChars.sanitize("a\u0001b\uD83D\uDE00"));
    }
}

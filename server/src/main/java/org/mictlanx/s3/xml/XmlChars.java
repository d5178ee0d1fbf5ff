package org.mictlanx.s3.xml;

/** Which characters XML 1.0 can carry; keys may hold others (NUL, most C0 controls). */
public final class XmlChars {

    private XmlChars() {
    }

    /** Whether every code point of {@code s} is a legal XML 1.0 character. */
    public static boolean isValid(String s) {
        if (s == null) {
            return true;
        }
        for (int i = 0, n = s.length(); i < n; ) {
            int cp = s.codePointAt(i);
            if (!legal(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** {@code s} with each illegal code point replaced by U+FFFD (for informational fields only). */
    public static String sanitize(String s) {
        if (isValid(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(legal(cp) ? cp : 0xFFFD));
        return sb.toString();
    }

    private static boolean legal(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD || cp >= 0x20 && cp <= 0xD7FF
                || cp >= 0xE000 && cp <= 0xFFFD || cp >= 0x10000 && cp <= 0x10FFFF;
    }
}

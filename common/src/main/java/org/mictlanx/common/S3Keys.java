package org.mictlanx.common;

import java.util.Comparator;

/**
 * How S3 orders and rolls up keys: keys sort in UTF-8 byte order (which is Unicode code point order,
 * not Java's UTF-16 {@code String.compareTo}), and a listing with a delimiter rolls every key that has
 * the delimiter after the prefix up into one common prefix. Pure functions.
 */
public final class S3Keys {

    /**
     * Appended to a prefix, sorts after every key of at most 1024 UTF-8 bytes that starts with that
     * prefix (U+10FFFF is the largest code point): where a listing resumes to skip a whole common prefix.
     */
    public static final String PAST_PREFIX = "\uDBFF\uDFFF".repeat(257);

    /** UTF-8 byte order, as {@link #compare}. */
    public static final Comparator<String> UTF8_ORDER = S3Keys::compare;

    private S3Keys() {
    }

    /** Compares {@code a} and {@code b} in UTF-8 byte order (= code point order), without encoding them. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * The common prefix {@code key} rolls up into under {@code prefix} and {@code delimiter}: the key up
     * to and including the first delimiter after the prefix; null when there is no delimiter or the key
     * has none after the prefix (it is then listed itself). {@code key} must start with {@code prefix}.
     */
    public static String commonPrefix(String key, String prefix, String delimiter) {
        if (delimiter == null) {
            return null;
        }
        int at = key.indexOf(delimiter, prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }
}

package org.mictlanx.router.meta;

import java.util.Comparator;

import org.mictlanx.common.S3Keys;

/** Compares strings in UTF-8 byte order (= code point order), the order peers scan in: {@link S3Keys#compare}. */
public final class Utf8Order {

    public static final Comparator<String> COMPARATOR = S3Keys.UTF8_ORDER;

    private Utf8Order() {
    }

    public static int compare(String a, String b) {
        return S3Keys.compare(a, b);
    }
}

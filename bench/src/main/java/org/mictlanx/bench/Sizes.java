package org.mictlanx.bench;

import java.util.Locale;

/** Parses and prints byte sizes in binary units ({@code 4KiB}, {@code 1MiB}, {@code 5GiB}). */
public final class Sizes {

    public static final long KIB = 1024L;
    public static final long MIB = KIB * 1024;
    public static final long GIB = MIB * 1024;

    private Sizes() {
    }

    /** Accepts a plain byte count or a number followed by K, KiB, M, MiB, G or GiB (case-insensitive). */
    public static long parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("ib")) t = t.substring(0, t.length() - 2);
        if (t.endsWith("k")) unit = KIB;
        else if (t.endsWith("m")) unit = MIB;
        else if (t.endsWith("g")) unit = GIB;
        if (unit != 1) t = t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(t.strip());
            if (v <= 0) throw new IllegalArgumentException("size must be positive: '" + text + "'");
            return Math.multiplyExact(v, unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + text + "' (e.g. 4KiB, 1MiB, 64MiB)", e);
        }
    }

    /** The shortest exact binary-unit form: 4096 gives {@code 4KiB}, 1000 gives {@code 1000B}. */
    public static String format(long bytes) {
        if (bytes % GIB == 0) return bytes / GIB + "GiB";
        if (bytes % MIB == 0) return bytes / MIB + "MiB";
        if (bytes % KIB == 0) return bytes / KIB + "KiB";
        return bytes + "B";
    }
}

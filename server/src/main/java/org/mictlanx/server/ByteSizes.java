package org.mictlanx.server;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as operators write them: a number of bytes ({@code 1048576}), with a decimal unit ({@code 500MB},
 * {@code 1.5TB}: powers of 1000, as S3 consoles and disks count) or a binary one ({@code 10GiB}: powers
 * of 1024); {@code B}, {@code KB}/{@code KiB}, {@code MB}/{@code MiB}, {@code GB}/{@code GiB},
 * {@code TB}/{@code TiB}, {@code PB}/{@code PiB}, case-insensitive, spaces allowed before the unit.
 * Fractions are rounded down to whole bytes.
 */
final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]i?b?|b)?", Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "KMGTP";

    private ByteSizes() {
    }

    static long parse(String text) {
        Matcher m = text == null ? null : SIZE.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (examples: 1048576, 500MB, 10GiB)");
        }
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        BigDecimal multiplier = BigDecimal.ONE;
        if (!unit.equals("B")) {
            int power = UNITS.indexOf(unit.charAt(0)) + 1;
            multiplier = BigDecimal.valueOf(unit.contains("I") ? 1024 : 1000).pow(power);
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(multiplier).setScale(0, RoundingMode.DOWN);
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) throw new IllegalArgumentException("size too large: '" + text + "'");
        return bytes.longValueExact();
    }
}

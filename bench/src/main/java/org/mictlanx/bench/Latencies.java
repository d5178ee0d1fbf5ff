package org.mictlanx.bench;

import java.util.Arrays;

/**
 * Request latencies of one worker, in nanoseconds, appended without boxing. Not thread-safe: each
 * worker owns one, and {@link #merge} combines them after the workers have stopped.
 */
public final class Latencies {

    private long[] values = new long[1024];
    private int size;

    public void add(long nanos) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = nanos;
    }

    public int size() {
        return size;
    }

    /** All values of all parts, sorted ascending. */
    public static long[] merge(Iterable<Latencies> parts) {
        int total = 0;
        for (Latencies l : parts) total += l.size;
        long[] all = new long[total];
        int at = 0;
        for (Latencies l : parts) {
            System.arraycopy(l.values, 0, all, at, l.size);
            at += l.size;
        }
        Arrays.sort(all);
        return all;
    }

    /**
     * The nearest-rank percentile {@code p} (0 &lt; p &lt;= 100) of ascending {@code sorted}; 0 when empty.
     */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}

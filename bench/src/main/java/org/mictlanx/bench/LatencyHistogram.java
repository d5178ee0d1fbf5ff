package org.mictlanx.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Request latencies as counts in fixed log-linear buckets (16 per power of two of microseconds, so a
 * percentile is within about 6% of the true value): memory stays constant however many requests are
 * recorded, which a million-request run needs. Thread-safe; {@link #reset} between phases.
 */
public final class LatencyHistogram {

    private static final int SUB = 16;
    private static final int BUCKETS = 64 * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one latency of {@code nanos} (negative counts as 0). */
    public void add(long nanos) {
        counts.incrementAndGet(bucket(Math.max(0, nanos) / 1000));
    }

    /** Bucket of {@code micros}: values below 16 exactly, above in 16 linear steps per power of two. */
    static int bucket(long micros) {
        if (micros < SUB) return (int) micros;
        int exp = 63 - Long.numberOfLeadingZeros(micros);
        int sub = (int) ((micros >>> (exp - 4)) & (SUB - 1));
        return Math.min(BUCKETS - 1, (exp - 3) * SUB + sub);
    }

    /** The smallest value (microseconds) of bucket {@code b}; the inverse of {@link #bucket} on bucket starts. */
    static long lowerBound(int b) {
        if (b < SUB) return b;
        int exp = b / SUB + 3;
        int sub = b % SUB;
        return (long) (SUB + sub) << (exp - 4);
    }

    /** How many latencies were recorded since the last reset. */
    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) n += counts.get(i);
        return n;
    }

    /**
     * The nearest-rank percentile {@code p} (0 &lt; p &lt;= 100) in milliseconds, as the middle of its
     * bucket; 0 when nothing was recorded.
     */
    public double percentileMillis(double p) {
        long total = count();
        if (total == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                long lo = lowerBound(i);
                long hi = i + 1 < BUCKETS ? lowerBound(i + 1) : lo;
                return (lo + hi) / 2.0 / 1000.0;
            }
        }
        return lowerBound(BUCKETS - 1) / 1000.0;
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) counts.set(i, 0);
    }
}

package org.mictlanx.bench;

/**
 * What one run of a {@link Cell} measured. {@code elapsedNanos} runs from the start of the first
 * request to the end of the last one (requests started before the deadline are allowed to finish);
 * latencies are client-side per successful request; {@code serverCpuMillis} is the user+system CPU
 * the server process used over the same window, or -1 when it could not be read.
 */
public record CellResult(Cell cell, long ops, long errors, long bytes, long elapsedNanos,
                         long p50Nanos, long p99Nanos, long serverCpuMillis) {

    public double opsPerSecond() {
        return elapsedNanos == 0 ? 0 : ops * 1e9 / elapsedNanos;
    }

    public double mibPerSecond() {
        return elapsedNanos == 0 ? 0 : bytes / (double) Sizes.MIB * 1e9 / elapsedNanos;
    }

    public double p50Millis() {
        return p50Nanos / 1e6;
    }

    public double p99Millis() {
        return p99Nanos / 1e6;
    }

    /** Server CPU milliseconds per successful request, NaN when unknown or no request succeeded. */
    public double cpuMillisPerOp() {
        return serverCpuMillis < 0 || ops == 0 ? Double.NaN : serverCpuMillis / (double) ops;
    }
}

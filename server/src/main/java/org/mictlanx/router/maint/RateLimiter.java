package org.mictlanx.router.maint;

import java.util.concurrent.locks.LockSupport;

/** Paces background copies to a byte rate (a simple token bucket with one second of burst). */
public final class RateLimiter {

    private final long bytesPerSecond;
    private double tokens;
    private long last = System.nanoTime();

    public RateLimiter(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
    }

    /** Blocks until {@code bytes} may be spent (requests larger than the burst wait proportionally). */
    public void acquire(long bytes) {
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(bytesPerSecond, tokens + (now - last) * bytesPerSecond / 1e9);
            last = now;
            tokens -= bytes;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / bytesPerSecond);
        }
        if (waitNanos > 0) LockSupport.parkNanos(waitNanos);
    }
}

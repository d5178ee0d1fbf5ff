package org.mictlanx.router.meta;

/**
 * A hybrid logical clock for record versions: {@code millis << 16 | counter}. Versions it issues
 * are strictly increasing, never behind the wall clock, and never behind any version it has
 * {@link #observe observed}; so a router that read a record always writes a newer one, even if its
 * wall clock lags the writer's.
 */
public final class HybridClock {

    private final java.time.Clock wall;
    private long last;

    public HybridClock() {
        this(java.time.Clock.systemUTC());
    }

    /** @param wall the physical clock versions are based on (tests inject one) */
    public HybridClock(java.time.Clock wall) {
        this.wall = wall;
    }

    public synchronized long next() {
        long phys = wall.millis() << 16;
        last = Math.max(last + 1, phys);
        return last;
    }

    public synchronized void observe(long version) {
        if (version > last) last = version;
    }

    /** The wall-clock milliseconds a version was issued at. */
    public static long millis(long version) {
        return version >>> 16;
    }
}

package org.mictlanx.router.usage;

import java.time.Duration;

/**
 * Usage accounting tunables.
 *
 * @param flushInterval   how often a router writes its changed usage counters (settings {@code usage-flush-ms})
 * @param refreshInterval how old the other routers' figures a quota check uses may be ({@code quota-refresh-ms})
 * @param recountInterval how often the maintenance pass recounts every bucket ({@code usage-recount-seconds};
 *                        zero: never, only {@code admin bucket recount})
 * @param rotateAfter     a router takes a new writer id this often, so idle counters can be folded by a recount
 */
public record UsageConfig(Duration flushInterval, Duration refreshInterval, Duration recountInterval, Duration rotateAfter) {

    public UsageConfig {
        if (flushInterval.isNegative() || flushInterval.isZero()) throw new IllegalArgumentException("usage flush interval must be > 0");
        if (refreshInterval.isNegative()) throw new IllegalArgumentException("negative quota refresh interval");
        if (recountInterval.isNegative()) throw new IllegalArgumentException("negative usage recount interval");
        if (rotateAfter.isNegative() || rotateAfter.isZero()) throw new IllegalArgumentException("rotation must be > 0");
    }

    public static UsageConfig defaults() {
        return new UsageConfig(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofHours(6), Duration.ofHours(1));
    }

    public UsageConfig withIntervals(Duration flush, Duration refresh, Duration recount) {
        return new UsageConfig(flush, refresh, recount, rotateAfter);
    }
}

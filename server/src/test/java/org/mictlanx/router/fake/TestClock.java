package org.mictlanx.router.fake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The system clock plus an offset a test moves forward, to pass grace periods without sleeping. */
public final class TestClock extends Clock {

    private final AtomicLong offsetMillis = new AtomicLong();
    private final AtomicLong frozenAt = new AtomicLong(-1);

    /** Stops time at its current value until {@link #advance} moves it; for TTL tests. */
    public void freeze() {
        frozenAt.set(System.currentTimeMillis());
    }

    public void advance(Duration d) {
        offsetMillis.addAndGet(d.toMillis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public long millis() {
        long frozen = frozenAt.get();
        return (frozen >= 0 ? frozen : System.currentTimeMillis()) + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }
}

package org.mictlanx.peer.http;

import org.junit.jupiter.api.Test;
import org.mictlanx.peer.api.PeerException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class ReplayCacheTest {
    static final Duration WINDOW = Duration.ofMinutes(5);

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_800_000_000_000L);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    static String nonce() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static PeerException.Kind kindOf(Runnable r) {
        try {
            r.run();
        } catch (PeerException e) {
            return e.kind();
        }
        return null;
    }

    @Test
    void aNonceIsAcceptedOnceWhileItsDateIsInTheWindow() {
        TestClock clock = new TestClock();
        ReplayCache cache = new ReplayCache(clock, WINDOW, 1000);
        long now = clock.millis();
        String n = nonce();
        cache.admit(now, n);
        assertEquals(PeerException.Kind.FORBIDDEN, kindOf(() -> cache.admit(now, n)));
        clock.millis.addAndGet(WINDOW.toMillis() - 1);
        assertEquals(PeerException.Kind.FORBIDDEN, kindOf(() -> cache.admit(now, n)), "still inside the window");
        cache.admit(now + 1, nonce());
        assertEquals(2, cache.size());
        // once the window has passed, the peer's date check refuses the old request; its nonce is dropped
        clock.millis.addAndGet(2 * ReplayCache.BUCKET + 1);
        cache.admit(clock.millis(), nonce());
        assertEquals(1, cache.size());
    }

    @Test
    void underLoadTheOldestDatesAreEvictedAndThenRefusedNeverForgotten() {
        TestClock clock = new TestClock();
        ReplayCache cache = new ReplayCache(clock, WINDOW, 4);
        long old = clock.millis();
        String first = nonce();
        cache.admit(old, first);
        for (int i = 0; i < 3; i++) cache.admit(old, nonce());
        clock.millis.addAndGet(60_000);
        cache.admit(clock.millis(), nonce()); // full: the bucket of `old` goes
        assertTrue(cache.size() <= 4);
        assertEquals(PeerException.Kind.FORBIDDEN, kindOf(() -> cache.admit(old, first)), "its nonce is gone, so its date is refused");
        assertEquals(PeerException.Kind.FORBIDDEN, kindOf(() -> cache.admit(old, nonce())));
        for (int i = 0; i < 3; i++) cache.admit(clock.millis(), nonce());
        assertEquals(PeerException.Kind.UNAVAILABLE, kindOf(() -> cache.admit(clock.millis(), nonce())),
                "only the request's own bucket is left: refused, retryable");
    }

    @Test
    void requestsDatedBeforeTheCacheExistedAreRefused() {
        TestClock clock = new TestClock();
        long captured = clock.millis() - 1_000;
        ReplayCache afterRestart = new ReplayCache(clock, WINDOW, 1000);
        assertEquals(PeerException.Kind.FORBIDDEN, kindOf(() -> afterRestart.admit(captured, nonce())));
        afterRestart.admit(clock.millis(), nonce());
    }

    @Test
    void memoryStaysBoundedUnderSustainedLoad() {
        TestClock clock = new TestClock();
        ReplayCache cache = new ReplayCache(clock, WINDOW, 10_000);
        for (int i = 0; i < 200_000; i++) {
            clock.millis.addAndGet(1);
            cache.admit(clock.millis(), nonce());
            assertTrue(cache.size() <= 10_000);
        }
    }
}

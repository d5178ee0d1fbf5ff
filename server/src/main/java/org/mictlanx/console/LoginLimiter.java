package org.mictlanx.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds password guessing at the console's login: at most {@code maxFailures} failed logins per
 * client address and, separately, per access key id within a sliding {@code window}; past that, login
 * attempts from that address or for that key are refused (HTTP 429) until the oldest failure leaves
 * the window, whatever the secret. A success does not reset the address's count (so one valid key
 * cannot be used to keep guessing others). At most {@code capacity} addresses/keys are tracked; when
 * full, the tracker forgets entries whose failures all left the window, then refuses untracked ones
 * (fail closed). Thread-safe.
 */
public final class LoginLimiter {

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final int capacity;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginLimiter(Clock clock, int maxFailures, Duration window, int capacity) {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || capacity < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
        this.capacity = capacity;
    }

    /** Whether a login from {@code address} for {@code accessKeyId} may be tried now. */
    public boolean allowed(String address, String accessKeyId) {
        Instant now = clock.instant();
        if (failures.size() >= capacity) {
            failures.entrySet().removeIf(e -> recent(e.getValue(), now) == 0);
            if (failures.size() >= capacity) {
                return false;
            }
        }
        return recent(failures.get("a:" + address), now) < maxFailures
                && recent(failures.get("k:" + accessKeyId), now) < maxFailures;
    }

    /** Counts a failed login from {@code address} for {@code accessKeyId}. */
    public void failed(String address, String accessKeyId) {
        Instant now = clock.instant();
        for (String k : new String[] {"a:" + address, "k:" + accessKeyId}) {
            failures.compute(k, (key, q) -> {
                Deque<Instant> d = q == null ? new ArrayDeque<>() : q;
                synchronized (d) {
                    d.addLast(now);
                    while (d.size() > maxFailures) {
                        d.removeFirst();
                    }
                }
                return d;
            });
        }
    }

    private int recent(Deque<Instant> q, Instant now) {
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            Instant from = now.minus(window);
            return (int) q.stream().filter(t -> t.isAfter(from)).count();
        }
    }
}

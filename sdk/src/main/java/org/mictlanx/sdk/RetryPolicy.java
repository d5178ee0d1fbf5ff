package org.mictlanx.sdk;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Exponential backoff with full jitter: attempt {@code n} (1-based) waits a uniformly random time in
 * {@code [0, min(maxDelay, baseDelay * 2^(n-1))]}. {@code maxAttempts} counts the first try.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    /** Five attempts, 50 ms base, 2 s cap. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(50), Duration.ofSeconds(2));

    /** Validates: at least one attempt, non-negative delays. */
    public RetryPolicy {
        if (maxAttempts < 1 || baseDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("invalid retry policy");
        }
    }

    /** The wait before retry number {@code attempt} (1 = the first retry). */
    public long delayMillis(int attempt) {
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        return cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
    }

    /** Whether an answer with this status and S3 error code (null: none) is worth retrying: 500, 503, SlowDown. */
    public static boolean retryable(int status, @Nullable String code) {
        return status == 500 || status == 503 || "SlowDown".equals(code);
    }
}

package org.mictlanx.s3.lifecycle;

import java.util.Optional;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.HttpFormats;

/**
 * The {@code x-amz-expiration} header S3 sends on PUT, GET and HEAD of an object a lifecycle
 * Expiration rule (Days or Date) covers: {@code expiry-date="Fri, 23 Dec 2012 00:00:00 GMT",
 * rule-id="..."}, the earliest such rule when several do. Days are counted from the ball's
 * last-modified time and rounded up to the next day boundary (midnight UTC), as S3 does; with the
 * {@code lifecycle-seconds-per-day} test setting a "day" is that many seconds.
 */
public final class ExpirationHeader {

    /** The header name. */
    public static final String NAME = "x-amz-expiration";

    private final LifecycleConfigs configs;
    private final long dayMillis;

    public ExpirationHeader(LifecycleConfigs configs, long dayMillis) {
        this.configs = configs;
        this.dayMillis = dayMillis;
    }

    /**
     * When an upload of {@code key} initiated at {@code initiated} becomes eligible for abortion by an
     * AbortIncompleteMultipartUpload rule of {@code bucket} (S3's {@code x-amz-abort-date} and
     * {@code x-amz-abort-rule-id}); empty when no rule covers it.
     */
    public Optional<LifecycleRules.Expiry> abort(BucketInfo bucket, String key, java.time.Instant initiated) {
        return configs.recentRules(bucket).flatMap(r -> r.abortExpiry(key, initiated, dayMillis));
    }

    /** Whether an AbortIncompleteMultipartUpload rule of {@code bucket} covers {@code key} (no upload looked up). */
    public boolean abortCovers(BucketInfo bucket, String key) {
        return configs.recentRules(bucket).flatMap(r -> r.abortExpiry(key, java.time.Instant.EPOCH, dayMillis)).isPresent();
    }

    /** The header value for the current version {@code ball} of {@code bucket}; empty when no rule covers it. */
    public Optional<String> value(BucketInfo bucket, BallInfo ball) {
        if (ball.deleteMarker()) return Optional.empty();
        return configs.recentRules(bucket)
                .flatMap(r -> r.currentExpiry(ball.key(), ball.tags(), ball.size(), ball.lastModified(), dayMillis))
                .map(e -> "expiry-date=\"" + HttpFormats.httpDate(e.at()) + "\", rule-id=\"" + e.ruleId() + "\"");
    }
}

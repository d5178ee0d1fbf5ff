package org.mictlanx.s3.handler;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import org.mictlanx.router.BallInfo;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;

/**
 * GET/HEAD preconditions with S3's precedence: If-Match decides alone when present (a true
 * If-Match overrides a false If-Unmodified-Since), else If-Unmodified-Since; both fail with 412.
 * Then If-None-Match decides alone when present (a matching ETag gives 304 whatever
 * If-Modified-Since says), else If-Modified-Since gives 304 when not modified. Unparseable dates are
 * ignored, as are dates in the future for If-Modified-Since.
 */
final class Conditionals {

    private Conditionals() {
    }

    static void check(S3Request req, BallInfo ball, Instant now) {
        Instant modified = ball.lastModified().truncatedTo(ChronoUnit.SECONDS);
        String ifMatch = req.header("if-match");
        if (ifMatch != null) {
            if (!matches(ifMatch, ball.etag())) {
                throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
            }
        } else {
            Optional<Instant> ius = HttpFormats.parseHttpDate(req.header("if-unmodified-since"));
            if (ius.isPresent() && modified.isAfter(ius.get())) {
                throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
            }
        }
        String ifNoneMatch = req.header("if-none-match");
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, ball.etag())) {
                throw notModified(ball);
            }
        } else {
            Optional<Instant> ims = HttpFormats.parseHttpDate(req.header("if-modified-since"));
            if (ims.isPresent() && !ims.get().isAfter(now) && !modified.isAfter(ims.get())) {
                throw notModified(ball);
            }
        }
    }

    /** Whether an entity-tag list ({@code *}, quoted or bare, weak or strong) names {@code etag}. */
    static boolean matches(String header, String etag) {
        for (String raw : header.split(",")) {
            String t = raw.trim();
            if (t.equals("*")) {
                return true;
            }
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                t = t.substring(1, t.length() - 1);
            }
            if (t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static S3Exception notModified(BallInfo ball) {
        return new S3Exception(S3ErrorCode.NOT_MODIFIED, "Not Modified",
                Map.of("ETag", HttpFormats.quotedEtag(ball.etag()),
                        "Last-Modified", HttpFormats.httpDate(ball.lastModified())), null);
    }
}

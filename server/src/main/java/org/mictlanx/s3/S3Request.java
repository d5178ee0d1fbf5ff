package org.mictlanx.s3;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.xolo.policy.Caller;
import org.mictlanx.xolo.sigv4.AuthResult;

/**
 * A verified request as handlers see it: authenticated and authorized. The body is already the
 * plain payload (aws-chunked framing removed and chunk signatures checked while it is read);
 * handlers must still verify digests (see {@link org.mictlanx.s3.handler.Checksums}) before commit.
 *
 * @param headers       header names in lower case, values in arrival order
 * @param bucket        the addressed bucket when it exists
 * @param contentLength the plain payload length, or -1 when unknown
 * @param trailers      trailing headers of an aws-chunked body, valid once the body is exhausted
 * @param resource      the addressed resource for error bodies, e.g. {@code /bucket/key}
 * @param accessKeyId   who signed; null for an anonymous request
 * @param ownerId       the caller's owner id (user name, {@code root}); null for an anonymous request
 * @param caller        who the request acts as, for further authorization by handlers
 * @param conditionKeys the request's policy condition keys
 * @param buffers       the request's share of the buffer budget: reserve before buffering body bytes
 *                      (the pipeline closes it when the request ends)
 * @param ownership     what a write commits with its ball about its owner and ACL (internal stored
 *                      headers, {@link org.mictlanx.xolo.policy.StoredOwnership}), and the event
 *                      notification write token ({@link org.mictlanx.s3.notify.EventScope#storedHeaders});
 *                      empty for other requests
 * @param events        the request's part in event notifications: handlers of DeleteObjects and the
 *                      tagging operations write their intents through it before they commit
 */
public record S3Request(S3Operation operation, String accessKeyId, String ownerId, AuthResult auth,
                        Map<String, List<String>> headers, Optional<BucketInfo> bucket, InputStream body,
                        long contentLength, Supplier<Map<String, String>> trailers, String requestId,
                        String resource, BufferBudget.Lease buffers, Caller caller,
                        RequestConditionKeys conditionKeys, Map<String, String> ownership,
                        org.mictlanx.s3.notify.EventScope events) {

    public S3Request {
        ownership = ownership == null ? Map.of() : Map.copyOf(ownership);
        events = events == null ? org.mictlanx.s3.notify.EventScope.NONE : events;
    }

    /** First value of a header by lower-case name, or null. */
    public String header(String lowerCaseName) {
        List<String> v = headers.get(lowerCaseName);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The bucket, which the pipeline guarantees for bucket-scoped operations other than CreateBucket. */
    public BucketInfo requireBucket() {
        return bucket.orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET));
    }
}

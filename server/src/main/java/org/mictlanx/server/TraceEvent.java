package org.mictlanx.server;

import java.time.Instant;

/**
 * One finished request as {@code admin trace} shows it. Never holds a secret: the caller is named by its
 * access key id and user name only.
 *
 * @param time       when the request arrived (UTC)
 * @param requestId  the {@code x-amz-request-id} answered (null for the admin API)
 * @param accessKey  the access key id the request was signed with (null: anonymous or not authenticated)
 * @param user       the user of that key ({@code root} for root; null: anonymous)
 * @param operation  the AWS action name (e.g. {@code PutObject}), {@code Admin}, {@code NotImplemented} or
 *                   {@code Unknown} (refused before routing), as the {@code operation} metrics label
 * @param bucket     the bucket addressed, or null
 * @param key        the object key addressed, or null
 * @param status     the HTTP status answered
 * @param error      the S3 error code answered (e.g. {@code AccessDenied}), or null
 * @param durationMs from arrival to the last byte of the answer, in milliseconds
 * @param bytesIn    request body bytes read
 * @param bytesOut   response body bytes written
 * @param remote     the client's address
 */
public record TraceEvent(Instant time, String requestId, String accessKey, String user, String operation, String bucket,
                         String key, int status, String error, double durationMs, long bytesIn, long bytesOut, String remote) {

    /** The JSON form: the fields above, {@code time} as ISO-8601 text. */
    java.util.Map<String, Object> toJson() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("time", time.toString());
        putIfSet(m, "requestId", requestId);
        putIfSet(m, "accessKey", accessKey);
        putIfSet(m, "user", user);
        m.put("operation", operation);
        putIfSet(m, "bucket", bucket);
        putIfSet(m, "key", key);
        m.put("status", status);
        putIfSet(m, "error", error);
        m.put("durationMs", Math.round(durationMs * 1000) / 1000.0);
        m.put("bytesIn", bytesIn);
        m.put("bytesOut", bytesOut);
        putIfSet(m, "remote", remote);
        return m;
    }

    private static void putIfSet(java.util.Map<String, Object> m, String name, String value) {
        if (value != null) m.put(name, value);
    }
}

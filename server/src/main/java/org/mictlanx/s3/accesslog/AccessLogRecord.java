package org.mictlanx.s3.accesslog;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line of S3's server access log format: bucket owner, bucket, {@code [time]}, remote IP,
 * requester, request id, operation ({@code REST.PUT.OBJECT}), key (URL-encoded), {@code "request URI"},
 * HTTP status, error code, bytes sent, object size, total time (ms), turn-around time (ms),
 * {@code "referer"}, {@code "user agent"}, version id, host id, signature version, cipher suite,
 * authentication type, host header, TLS version, access point ARN, aclRequired; {@code -} for none.
 */
public record AccessLogRecord(String bucketOwner, String bucket, Instant time, String remoteIp, String requester,
                              String requestId, String operation, String key, String requestUri, int status,
                              String errorCode, Long bytesSent, Long objectSize, long totalMillis, long turnAroundMillis,
                              String referer, String userAgent, String versionId, String hostId, String signatureVersion,
                              String cipherSuite, String authType, String hostHeader, String tlsVersion) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The operation name S3 logs: {@code REST.METHOD.RESOURCE}. */
    public static String operation(String method, boolean object, String subresource) {
        String resource = subresource != null ? subresource.toUpperCase(Locale.ROOT).replace('-', '_')
                : object ? "OBJECT" : "BUCKET";
        return "REST." + method.toUpperCase(Locale.ROOT) + "." + resource;
    }

    public String line() {
        return String.join(" ", dash(bucketOwner), dash(bucket), "[" + TIME.format(time) + "]", dash(remoteIp),
                dash(requester), dash(requestId), dash(operation),
                key == null ? "-" : URLEncoder.encode(key, StandardCharsets.UTF_8), quoted(requestUri),
                Integer.toString(status), dash(errorCode), bytesSent == null || bytesSent == 0 ? "-" : bytesSent.toString(),
                objectSize == null ? "-" : objectSize.toString(), Long.toString(totalMillis), Long.toString(turnAroundMillis),
                quoted(referer), quoted(userAgent), dash(versionId), dash(hostId), dash(signatureVersion),
                dash(cipherSuite), dash(authType), dash(hostHeader), dash(tlsVersion), "-", "-");
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s.replace(' ', '+');
    }

    private static String quoted(String s) {
        return s == null || s.isEmpty() ? "-" : "\"" + s.replace("\"", "%22") + "\"";
    }
}

package org.mictlanx.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.mictlanx.s3.accesslog.AccessLogRecord;

/** ?notification and ?logging route to their operations and IAM actions; the access log line's format. */
class BucketAutomationRoutingTest {

    private final S3RequestParser parser = new S3RequestParser(new S3Config("s3.example.com", "us-east-1"));

    private S3Operation parse(String method, String query) {
        return parser.parse(method, "localhost", "/b", query, h -> null);
    }

    @Test
    void routesAndPermissions() {
        S3Operation put = parse("PUT", "notification");
        assertEquals(new S3Operation.PutBucketNotificationConfiguration("b"), put);
        assertEquals("s3:PutBucketNotification", S3Permissions.action(put));
        assertEquals("s3:GetBucketNotification", S3Permissions.action(parse("GET", "notification")));
        assertEquals("PutBucketNotificationConfiguration", put.action());
        assertEquals(new S3Operation.PutBucketLogging("b"), parse("PUT", "logging"));
        assertEquals("s3:PutBucketLogging", S3Permissions.action(parse("PUT", "logging")));
        assertEquals("s3:GetBucketLogging", S3Permissions.action(parse("GET", "logging")));
        assertEquals(S3ErrorCode.METHOD_NOT_ALLOWED, assertThrows(S3Exception.class, () -> parse("DELETE", "notification")).code());
        assertEquals(S3ErrorCode.METHOD_NOT_ALLOWED, assertThrows(S3Exception.class, () -> parse("DELETE", "logging")).code());
    }

    @Test
    void accessLogLineHasS3sFields() {
        AccessLogRecord r = new AccessLogRecord("owner", "b", Instant.parse("2019-02-06T00:00:38Z"), "192.0.2.3", "alice",
                "REQ", AccessLogRecord.operation("GET", true, null), "a b", "GET /b/a%20b HTTP/1.1", 200, null, 5L, null,
                7, 7, null, "aws-sdk \"x\"", null, "HOST", "SigV4", null, "AuthHeader", "localhost", null);
        String line = r.line();
        assertEquals("owner b [06/Feb/2019:00:00:38 +0000] 192.0.2.3 alice REQ REST.GET.OBJECT a+b \"GET /b/a%20b HTTP/1.1\" 200 - 5 - 7 7"
                + " - \"aws-sdk %22x%22\" - HOST SigV4 - AuthHeader localhost - - -", line);
        assertEquals("REST.PUT.LOGGING", AccessLogRecord.operation("PUT", false, "logging"));
        assertTrue(Pattern.matches("[^\\n]+", line));
    }
}

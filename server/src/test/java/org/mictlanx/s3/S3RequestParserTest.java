package org.mictlanx.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mictlanx.s3.S3Operation.*;

/** URL shapes from the AWS S3 API reference, path-style and virtual-hosted. */
class S3RequestParserTest {

    private final S3RequestParser parser = new S3RequestParser(new S3Config("s3.example.com", "us-east-1"));

    private S3Operation parse(String method, String host, String pathAndQuery) {
        return parse(method, host, pathAndQuery, Map.of());
    }

    private S3Operation parse(String method, String host, String pathAndQuery, Map<String, String> headers) {
        int q = pathAndQuery.indexOf('?');
        return parser.parse(method, host, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q),
                q < 0 ? null : pathAndQuery.substring(q + 1), headers::get);
    }

    private S3ErrorCode failure(String method, String host, String pathAndQuery) {
        return assertThrows(S3Exception.class, () -> parse(method, host, pathAndQuery)).code();
    }

    @Test
    void serviceAndBucketOperations() {
        assertInstanceOf(ListBuckets.class, parse("GET", "s3.example.com", "/"));
        assertInstanceOf(ListBuckets.class, parse("GET", "localhost:9000", "/?x-id=ListBuckets"));
        assertEquals(new CreateBucket("amzn-bucket"), parse("PUT", "localhost", "/amzn-bucket"));
        assertEquals(new CreateBucket("amzn-bucket"), parse("PUT", "amzn-bucket.s3.example.com", "/"));
        assertEquals(new HeadBucket("b1"), parse("HEAD", "localhost", "/b1/"));
        assertEquals(new DeleteBucket("b1"), parse("DELETE", "b1.s3.example.com:9000", "/"));
        assertEquals(new GetBucketLocation("b1"), parse("GET", "localhost", "/b1?location"));
        assertEquals(new DeleteObjects("b1"), parse("POST", "b1.s3.example.com", "/?delete"));
        assertEquals(METHOD_NOT_ALLOWED(), failure("PUT", "localhost", "/"));
    }

    private static S3ErrorCode METHOD_NOT_ALLOWED() {
        return S3ErrorCode.METHOD_NOT_ALLOWED;
    }

    @Test
    void listings() {
        var v2 = (ListObjectsV2) parse("GET", "examplebucket.s3.example.com",
                "/?list-type=2&max-keys=3&prefix=E&start-after=ExampleGuide.pdf&delimiter=%2F&encoding-type=url"
                        + "&fetch-owner=true&continuation-token=1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J%2Fwm36Hy4vbOwM%3D");
        assertEquals(new ListParams("E", "/", 3, true), v2.params());
        assertEquals("ExampleGuide.pdf", v2.startAfter());
        assertEquals("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=", v2.continuationToken());
        assertTrue(v2.fetchOwner());
        var v1 = (ListObjects) parse("GET", "localhost", "/quotes?prefix=N&marker=Ned&max-keys=40");
        assertEquals(new ListParams("N", null, 40, false), v1.params());
        assertEquals("Ned", v1.marker());
        var versions = (ListObjectVersions) parse("GET", "localhost", "/b?versions&key-marker=key2&max-keys=5000");
        assertEquals(1000, versions.params().maxKeys());
        assertEquals("key2", versions.keyMarker());
        assertEquals(0, ((ListObjects) parse("GET", "localhost", "/b?max-keys=0")).params().maxKeys());
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("GET", "localhost", "/b?max-keys=-1"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("GET", "localhost", "/b?max-keys=ten"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("GET", "localhost", "/b?encoding-type=base64"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("GET", "localhost", "/b?list-type=3"));
    }

    @Test
    void objectOperationsAndKeysAreData() {
        assertEquals(new PutObject("b", "my-image.jpg"), parse("PUT", "localhost", "/b/my-image.jpg"));
        assertEquals(new PutObject("b", "../x"), parse("PUT", "localhost", "/b/../x"));
        assertEquals(new PutObject("b", "/"), parse("PUT", "localhost", "/b//"));
        assertEquals(new PutObject("b", "a//b/"), parse("PUT", "b.s3.example.com", "/a//b/"));
        assertEquals(new PutObject("b", "nul\0key"), parse("PUT", "localhost", "/b/nul%00key"));
        assertEquals(new PutObject("b", "ñandú 🐦+x"), parse("PUT", "localhost", "/b/%C3%B1and%C3%BA%20%F0%9F%90%A6+x"));
        assertEquals(new DeleteObject("b", "k", null), parse("DELETE", "localhost", "/b/k"));
        var get = (GetObject) parse("GET", "localhost",
                "/b/k?versionId=null&response-content-type=text%2Fplain&response-expires=Thu%2C%2001%20Dec%201994"
                        + "&x-id=GetObject");
        assertEquals("null", get.versionId());
        assertEquals(Map.of("Content-Type", "text/plain", "Expires", "Thu, 01 Dec 1994"), get.overrides().headers());
        assertInstanceOf(HeadObject.class, parse("HEAD", "localhost", "/b/k"));
    }

    @Test
    void limitsAndMalformedUris() {
        assertInstanceOf(PutObject.class, parse("PUT", "localhost", "/b/" + "k".repeat(1024)));
        assertEquals(S3ErrorCode.KEY_TOO_LONG, failure("PUT", "localhost", "/b/" + "k".repeat(1025)));
        assertEquals(S3ErrorCode.KEY_TOO_LONG, failure("PUT", "localhost", "/b/" + "%C3%B1".repeat(513)));
        assertEquals(S3ErrorCode.INVALID_URI, failure("GET", "localhost", "/b/%zz"));
        assertEquals(S3ErrorCode.INVALID_URI, failure("GET", "localhost", "/b/%C3"));
        assertEquals(S3ErrorCode.INVALID_URI, failure("GET", "localhost", "/b/%FF%FE"));
        assertEquals(S3ErrorCode.INVALID_BUCKET_NAME, failure("GET", "localhost", "/b%20c/k"));
        assertEquals(S3ErrorCode.METHOD_NOT_ALLOWED, failure("PATCH", "localhost", "/b/k"));
    }

    @Test
    void knownButUnbuiltSubresourcesAreNotImplemented() {
        assertEquals(new NotImplemented("GetBucketAcl", java.util.Optional.of("b")), parse("GET", "localhost", "/b?acl"));
        assertEquals("PutBucketVersioning", action("PUT", "/b?versioning"));
        assertEquals("GetBucketPolicy", action("GET", "/b?policy"));
        assertEquals("DeleteBucketCors", action("DELETE", "/b?cors"));
        assertEquals("PutBucketLifecycle", action("PUT", "/b?lifecycle"));
        assertEquals("GetBucketUploads", action("GET", "/b?uploads"));
        assertEquals("GetObjectTagging", action("GET", "/b/k?tagging"));
        assertEquals("PutObjectLegalHold", action("PUT", "/b/k?legal-hold"));
        assertEquals("CreateMultipartUpload", action("POST", "/b/k?uploads"));
        assertEquals("UploadPart", action("PUT", "/b/k?partNumber=1&uploadId=abc"));
        assertEquals("CompleteMultipartUpload", action("POST", "/b/k?uploadId=abc"));
        assertEquals("AbortMultipartUpload", action("DELETE", "/b/k?uploadId=abc"));
        assertEquals("GetObjectPartNumber", action("GET", "/b/k?partNumber=2"));
        assertEquals("PostObject", action("POST", "/b"));
        assertEquals("CopyObject", ((NotImplemented) parse("PUT", "localhost", "/b/k",
                Map.of("x-amz-copy-source", "/a/b"))).action());
    }

    private String action(String method, String pathAndQuery) {
        return ((NotImplemented) parse(method, "localhost", pathAndQuery)).action();
    }

    @Test
    void permissions() {
        assertEquals(Permission.LIST_BUCKETS, parse("GET", "localhost", "/").permission());
        assertEquals(Permission.OWNER, parse("DELETE", "localhost", "/b").permission());
        assertEquals(Permission.WRITE, parse("PUT", "localhost", "/b/k").permission());
        assertEquals(Permission.READ, parse("GET", "localhost", "/b?list-type=2").permission());
    }

    @Test
    void bucketNameRules() {
        for (String ok : new String[] {"abc", "my-bucket.v2", "a".repeat(63), "123"}) {
            assertTrue(BucketNames.isValidForCreate(ok), ok);
        }
        for (String bad : new String[] {"ab", "a".repeat(64), "My-Bucket", "-abc", "abc-", "a..b", "192.168.5.4",
                "xn--abc", "sthree-x", "abc-s3alias", "abc--ol-s3", "a_b", "abc.mrap", ""}) {
            assertTrue(!BucketNames.isValidForCreate(bad), bad);
        }
    }
}

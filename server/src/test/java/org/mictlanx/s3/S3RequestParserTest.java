package org.mictlanx.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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
        assertEquals(new S3Operation.PutBucketLogging("b"), parse("PUT", "localhost", "/b?logging")); // built (issue 18)
        assertEquals(new S3Operation.PutBucketVersioning("b"), parse("PUT", "localhost", "/b?versioning"));
        assertEquals("PostBucketEncryption", action("POST", "/b?encryption"));
        assertEquals(new S3Operation.DeleteBucketEncryption("b"), parse("DELETE", "localhost", "/b?encryption"));
        assertEquals(new S3Operation.PutBucketEncryption("b"), parse("PUT", "localhost", "/b?encryption"));
        assertEquals(new S3Operation.PutBucketLifecycleConfiguration("b"), parse("PUT", "localhost", "/b?lifecycle"));
        assertEquals(new S3Operation.GetBucketLifecycleConfiguration("b"), parse("GET", "localhost", "/b?lifecycle"));
        assertEquals(new S3Operation.DeleteBucketLifecycle("b"), parse("DELETE", "localhost", "/b?lifecycle"));
        assertEquals("PostBucketTagging", action("POST", "/b?tagging"));
        assertEquals("PostObjectRestore", action("POST", "/b/k?restore"));
        assertEquals(new S3Operation.PutObjectLegalHold("b", "k", null), parse("PUT", "localhost", "/b/k?legal-hold"));
        assertEquals(new S3Operation.GetObjectRetention("b", "k", "v"), parse("GET", "localhost", "/b/k?retention&versionId=v"));
        assertEquals(S3ErrorCode.METHOD_NOT_ALLOWED, failure("POST", "localhost", "/b?lifecycle"));
        assertEquals("PutObjectAttributes", action("PUT", "/b/k?attributes"));
    }

    @Test
    void bucketConfigurationReadsAndBucketTagging() {
        assertEquals(new S3Operation.GetBucketLogging("b"), parse("GET", "localhost", "/b?logging"));
        // the access configurations are real operations, not "not configured" reads
        assertEquals(new GetBucketPolicy("b"), parse("GET", "localhost", "/b?policy"));
        assertEquals(new GetPublicAccessBlock("b"), parse("GET", "localhost", "/b?publicAccessBlock"));
        assertEquals(new GetBucketOwnershipControls("b"), parse("GET", "localhost", "/b?ownershipControls"));
        assertEquals(new GetBucketAcl("b"), parse("GET", "localhost", "/b?acl"));
        assertEquals("GetObjectLockConfiguration", parse("GET", "localhost", "/b?object-lock").action());
        assertEquals(new S3Operation.GetBucketNotificationConfiguration("b"), parse("GET", "localhost", "/b?notification"));
        assertEquals("s3:GetReplicationConfiguration",
                S3Permissions.action(new GetBucketConfiguration("b", BucketConfiguration.REPLICATION)));
        assertEquals("s3:GetBucketVersioning",
                S3Permissions.action(new GetBucketConfiguration("b", BucketConfiguration.VERSIONING)));
        assertEquals(new GetBucketTagging("b"), parse("GET", "localhost", "/b?tagging"));
        assertEquals(new PutBucketTagging("b"), parse("PUT", "localhost", "/b?tagging"));
        assertEquals(new DeleteBucketTagging("b"), parse("DELETE", "localhost", "/b?tagging"));
        assertEquals(new ListBuckets(new ListBucketsParams(2, "tok", "p", "eu-west-1")),
                parse("GET", "localhost", "/?max-buckets=2&continuation-token=tok&prefix=p&bucket-region=eu-west-1"));
        assertEquals(new ListBuckets(), parse("GET", "localhost", "/?continuation-token=&prefix="));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("GET", "localhost", "/?max-buckets=0"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("GET", "localhost", "/?max-buckets=10001"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("GET", "localhost", "/?max-buckets=x"));
        ListObjectsV2 empty = (ListObjectsV2) parse("GET", "localhost", "/b?list-type=2&continuation-token=");
        assertNull(empty.continuationToken(), "an empty continuation token is no token");
    }

    @Test
    void browserOperationsAreTyped() {
        assertEquals(new S3Operation.GetBucketCors("b"), parse("GET", "localhost", "/b?cors"));
        assertEquals(new S3Operation.PutBucketCors("b"), parse("PUT", "localhost", "/b?cors"));
        assertEquals(new S3Operation.DeleteBucketCors("b"), parse("DELETE", "localhost", "/b?cors"));
        assertEquals(new S3Operation.PutBucketWebsite("b"), parse("PUT", "localhost", "/b?website"));
        assertEquals(new S3Operation.GetBucketWebsite("b"), parse("GET", "localhost", "/b?website"));
        assertEquals(new S3Operation.DeleteBucketWebsite("b"), parse("DELETE", "localhost", "/b?website"));
        assertEquals(new S3Operation.PostObject("b"), parse("POST", "localhost", "/b"));
    }

    private String action(String method, String pathAndQuery) {
        return ((NotImplemented) parse(method, "localhost", pathAndQuery)).action();
    }

    @Test
    void permissions() {
        assertEquals("s3:ListAllMyBuckets", S3Permissions.action(parse("GET", "localhost", "/")));
        assertEquals("s3:DeleteBucket", S3Permissions.action(parse("DELETE", "localhost", "/b")));
        assertEquals("s3:PutObject", S3Permissions.action(parse("PUT", "localhost", "/b/k")));
        assertEquals("arn:aws:s3:::b/k", S3Permissions.resource(parse("PUT", "localhost", "/b/k")));
        assertEquals("s3:ListBucket", S3Permissions.action(parse("GET", "localhost", "/b?list-type=2")));
        assertEquals("arn:aws:s3:::b", S3Permissions.resource(parse("GET", "localhost", "/b?list-type=2")));
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

    @Test
    void multipartOperations() {
        assertEquals(new CreateMultipartUpload("b", "photos/a b.jpg"), parse("POST", "localhost", "/b/photos/a%20b.jpg?uploads"));
        assertEquals(new CreateMultipartUpload("b", "k"), parse("POST", "b.s3.example.com", "/k?uploads="));
        assertEquals(new UploadPart("b", "k", "abc", 7), parse("PUT", "localhost", "/b/k?partNumber=7&uploadId=abc"));
        assertEquals(new CompleteMultipartUpload("b", "k", "abc"), parse("POST", "localhost", "/b/k?uploadId=abc"));
        assertEquals(new AbortMultipartUpload("b", "k", "abc"), parse("DELETE", "localhost", "/b/k?uploadId=abc"));
        assertEquals(new ListParts("b", "k", "abc", 1000, 0), parse("GET", "localhost", "/b/k?uploadId=abc"));
        assertEquals(new ListParts("b", "k", "abc", 1000, 3),
                parse("GET", "localhost", "/b/k?uploadId=abc&max-parts=5000&part-number-marker=3"));
        assertEquals(new ListParts("b", "k", "abc", 2, 0), parse("GET", "localhost", "/b/k?uploadId=abc&max-parts=2"));
        var uploads = (ListMultipartUploads) parse("GET", "localhost",
                "/b?uploads&prefix=p%2F&delimiter=%2F&max-uploads=3&key-marker=p%2Fa&upload-id-marker=u1&encoding-type=url");
        assertEquals(new ListParams("p/", "/", 3, true), uploads.params());
        assertEquals("p/a", uploads.keyMarker());
        assertEquals("u1", uploads.uploadIdMarker());
        assertEquals(1000, ((ListMultipartUploads) parse("GET", "localhost", "/b?uploads")).params().maxKeys());
        for (String bad : new String[] {"0", "10001", "-1", "x", ""}) {
            assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("PUT", "localhost", "/b/k?uploadId=abc&partNumber=" + bad), bad);
        }
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("PUT", "localhost", "/b/k?uploadId=abc"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("GET", "localhost", "/b/k?uploadId=abc&max-parts=-1"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("GET", "localhost", "/b/k?uploadId=abc&part-number-marker=x"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("GET", "localhost", "/b?uploads&max-uploads=many"));
        assertEquals(S3ErrorCode.NO_SUCH_UPLOAD, failure("POST", "localhost", "/b/k?uploadId="));
        assertEquals(S3ErrorCode.METHOD_NOT_ALLOWED, failure("GET", "localhost", "/b/k?uploads"));
    }

    @Test
    void getAndHeadWithPartNumber() {
        var get = (GetObject) parse("GET", "localhost", "/b/k?partNumber=2");
        assertEquals(2, get.partNumber());
        assertEquals(3, ((HeadObject) parse("HEAD", "localhost", "/b/k?partNumber=3")).partNumber());
        assertEquals(null, ((GetObject) parse("GET", "localhost", "/b/k")).partNumber());
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("GET", "localhost", "/b/k?partNumber=0"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("HEAD", "localhost", "/b/k?partNumber=abc"));
    }

    @Test
    void copySources() {
        Map<String, String> h = Map.of("x-amz-copy-source", "/src-bucket/dir/a%20b%3Fc.txt");
        assertEquals(new CopyObject("b", "k", new CopySource("src-bucket", "dir/a b?c.txt", null)),
                parse("PUT", "localhost", "/b/k", h));
        assertEquals(new CopySource("src", "k%", "null"), ((CopyObject) parse("PUT", "localhost", "/b/k",
                Map.of("x-amz-copy-source", "src/k%25?versionId=null"))).source());
        assertEquals(new UploadPartCopy("b", "k", "u", 2, new CopySource("s", "x", null), new CopyRange(0, 5242879)),
                parse("PUT", "localhost", "/b/k?partNumber=2&uploadId=u",
                        Map.of("x-amz-copy-source", "s/x", "x-amz-copy-source-range", "bytes=0-5242879")));
        assertEquals(new UploadPartCopy("b", "k", "u", 2, new CopySource("s", "x", null), null),
                parse("PUT", "localhost", "/b/k?partNumber=2&uploadId=u", Map.of("x-amz-copy-source", "s/x")));
        for (String bad : new String[] {"bucket-only", "/bucket-only/", "/", "", "//k"}) {
            assertEquals(S3ErrorCode.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> parse("PUT", "localhost",
                    "/b/k", Map.of("x-amz-copy-source", bad))).code(), bad);
        }
        assertEquals(S3ErrorCode.INVALID_BUCKET_NAME, assertThrows(S3Exception.class, () -> parse("PUT", "localhost",
                "/b/k", Map.of("x-amz-copy-source", "BAD_name!/k"))).code());
        for (String bad : new String[] {"bytes=5-1", "bytes=-5", "bytes=1-", "0-5", "bytes=a-b", "bytes=0-1,3-4"}) {
            assertEquals(S3ErrorCode.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> parse("PUT", "localhost",
                    "/b/k?partNumber=1&uploadId=u", Map.of("x-amz-copy-source", "s/x", "x-amz-copy-source-range", bad)))
                    .code(), bad);
        }
    }

    @Test
    void getObjectAttributes() {
        var op = (GetObjectAttributes) parse("GET", "localhost", "/b/k?attributes", Map.of(
                "x-amz-object-attributes", "ETag, ObjectParts,Checksum,StorageClass,ObjectSize",
                "x-amz-max-parts", "10", "x-amz-part-number-marker", "2"));
        assertEquals(java.util.EnumSet.allOf(ObjectAttribute.class), op.attributes());
        assertEquals(10, op.maxParts());
        assertEquals(2, op.partNumberMarker());
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, failure("GET", "localhost", "/b/k?attributes"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> parse("GET", "localhost",
                "/b/k?attributes", Map.of("x-amz-object-attributes", "ETag,Colour"))).code());
    }

    @Test
    void newOperationPermissions() {
        assertEquals("s3:PutObject", S3Permissions.action(parse("POST", "localhost", "/b/k?uploads")));
        assertEquals("s3:PutObject", S3Permissions.action(parse("PUT", "localhost", "/b/k?partNumber=1&uploadId=u")));
        assertEquals("s3:ListMultipartUploadParts", S3Permissions.action(parse("GET", "localhost", "/b/k?uploadId=u")));
        assertEquals("s3:ListBucketMultipartUploads", S3Permissions.action(parse("GET", "localhost", "/b?uploads")));
        assertEquals("s3:PutObject", S3Permissions.action(parse("PUT", "localhost", "/b/k", Map.of("x-amz-copy-source", "a/b"))));
    }

    @Test
    void objectTaggingRoutesToItsThreeActions() {
        assertEquals(new S3Operation.GetObjectTagging("b", "k", null), parse("GET", "localhost", "/b/k?tagging"));
        assertEquals(new S3Operation.PutObjectTagging("b", "k", "null"), parse("PUT", "localhost", "/b/k?tagging&versionId=null"));
        assertEquals(new S3Operation.DeleteObjectTagging("b", "k", null), parse("DELETE", "localhost", "/b/k?tagging="));
        assertEquals("GetObjectTagging", parse("GET", "localhost", "/b/k?tagging").action());
        assertEquals("s3:GetObjectTagging", S3Permissions.action(parse("GET", "localhost", "/b/k?tagging")));
        assertEquals("s3:PutObjectTagging", S3Permissions.action(parse("PUT", "localhost", "/b/k?tagging")));
        assertEquals("s3:DeleteObjectTagging", S3Permissions.action(parse("DELETE", "localhost", "/b/k?tagging")));
        assertEquals(S3ErrorCode.METHOD_NOT_ALLOWED, failure("POST", "localhost", "/b/k?tagging"));
        // x-amz-tagging on writes is now stored, so the writes parse as themselves.
        Map<String, String> tagged = Map.of("x-amz-tagging", "team=core");
        assertEquals(new S3Operation.PutObject("b", "k"), parse("PUT", null, "/b/k", tagged));
        assertEquals(new S3Operation.CreateMultipartUpload("b", "k"), parse("POST", null, "/b/k?uploads", tagged));
    }
}

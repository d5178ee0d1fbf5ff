package org.mictlanx.s3.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.xml.XmlAssert.assertSameXml;
import static org.mictlanx.s3.xml.XmlAssert.golden;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Our records serialize to (and parse from) the samples in the AWS S3 API reference. */
class XmlGoldenTest {

    private final S3Xml xml = new S3Xml();
    private static final Owner MTD = new Owner("75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a",
            "mtd@amazon.com");

    @Test
    void listBuckets() throws Exception {
        var result = new ListAllMyBucketsResult(new Owner("bcaf1ffd86f461ca5fb16fd081034f", "webfile"), List.of(
                new ListAllMyBucketsResult.Bucket("quotes", "2006-02-03T16:45:09.000Z"),
                new ListAllMyBucketsResult.Bucket("samples", "2006-02-03T16:41:58.000Z")));
        assertSameXml(golden("ListBucketsResult.xml"), xml.write(result));
    }

    @Test
    void listObjectsV1() throws Exception {
        var result = new ListBucketResult(S3Xml.NS, "bucket", "", "", null, 1000, null, false, List.of(
                new ObjectEntry("my-image.jpg", "2009-10-12T17:50:30.000Z", "\"fba9dede5f27731c9771645a39863328\"",
                        434234, "STANDARD", MTD),
                new ObjectEntry("my-third-image.jpg", "2009-10-12T17:50:30.000Z",
                        "\"1b2cf535f27731c974343645a3985328\"", 64994, "STANDARD_IA", MTD)), List.of(), null);
        assertSameXml(golden("ListObjectsV1Result.xml"), xml.write(result));
    }

    @Test
    void listObjectsV2WithDelimiter() throws Exception {
        var result = new ListBucketResultV2(S3Xml.NS, "example-bucket", "photos/2006/", 3, 1000, "/", false,
                List.of(new ObjectEntry("photos/2006/", "2016-04-30T23:51:29.000Z",
                        "\"d41d8cd98f00b204e9800998ecf8427e\"", 0, "STANDARD", null)),
                List.of(new CommonPrefix("photos/2006/February/"), new CommonPrefix("photos/2006/January/")),
                null, null, null, null);
        assertSameXml(golden("ListObjectsV2Delimiter.xml"), xml.write(result));
    }

    @Test
    void listObjectsV2Continuation() throws Exception {
        var result = new ListBucketResultV2(S3Xml.NS, "bucket", "", 112, 1000, null, false,
                List.of(new ObjectEntry("happyface.jpg", "2014-11-21T19:40:05.000Z",
                        "\"70ee1738b6b21e2c8a43f3a5ab0eee71\"", 11, "STANDARD", null)),
                List.of(), null, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=", null, null);
        assertSameXml(golden("ListObjectsV2Continuation.xml"), xml.write(result));
    }

    @Test
    void listVersions() throws Exception {
        var result = new ListVersionsResult(S3Xml.NS, "bucket", "my", "", "", null, null, 5, null, false,
                new ListVersionsResult.Entries(List.of(new ListVersionsResult.Version("my-image.jpg", "3/L4kqtJl40Nr8X8gdRQBpUMLUo", true,
                        "2009-10-12T17:50:30.000Z", "\"fba9dede5f27731c9771645a39863328\"", 434234, "STANDARD",
                        MTD))), List.of(), null);
        assertSameXml(golden("ListVersionsResult.xml"), xml.write(result));
    }

    /** Versions and delete markers interleave in the order listed (S3: key ascending, newest first), no wrapper. */
    @Test
    void listVersionsInterleavesMarkers() throws Exception {
        var v1 = new ListVersionsResult.Version("a", "v3", false, "2009-10-12T17:50:30.000Z", "\"e\"", 1, "STANDARD", MTD);
        var m = new ListVersionsResult.DeleteMarker("a", "v4", true, "2009-10-13T17:50:30.000Z", MTD);
        var v2 = new ListVersionsResult.Version("b", "v1", true, "2009-10-12T17:50:30.000Z", "\"e\"", 1, "STANDARD", MTD);
        String out = new String(xml.write(new ListVersionsResult(S3Xml.NS, "bucket", "", "", "", null, null, 5, null,
                false, new ListVersionsResult.Entries(List.of(m, v1, v2)), List.of(), null)),
                java.nio.charset.StandardCharsets.UTF_8);
        int marker = out.indexOf("<DeleteMarker><Key>a</Key><VersionId>v4</VersionId>");
        int first = out.indexOf("<Version><Key>a</Key><VersionId>v3</VersionId>");
        int second = out.indexOf("<Version><Key>b</Key>");
        org.junit.jupiter.api.Assertions.assertTrue(marker > 0 && marker < first && first < second, out);
        org.junit.jupiter.api.Assertions.assertFalse(out.contains("<Entries"), out);
    }

    @Test
    void deleteResult() throws Exception {
        var result = new DeleteResult(S3Xml.NS, List.of(new DeleteResult.Deleted("sample1.txt", null)),
                List.of(new DeleteResult.DeleteError("sample2.txt", null, "AccessDenied", "Access Denied")));
        assertSameXml(golden("DeleteResult.xml"), xml.write(result));
    }

    @Test
    void locationConstraint() throws Exception {
        assertSameXml(golden("LocationConstraint.xml"), xml.write(LocationConstraint.of("eu-west-1")));
        assertSameXml("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>".getBytes(),
                xml.write(LocationConstraint.of("us-east-1")));
    }

    @Test
    void error() throws Exception {
        var result = new ErrorResponse("NoSuchKey", "The resource you requested does not exist",
                "/mybucket/myfoto.jpg", "4442587FB7D0A2F9");
        assertSameXml(golden("Error.xml"), xml.write(result));
    }

    @Test
    void parsesDeleteRequests() throws Exception {
        Delete verbose = xml.read(golden("DeleteRequest.xml"), Delete.class);
        assertEquals(List.of("sample1.txt", "sample2.txt"),
                verbose.objects().stream().map(Delete.ObjectIdentifier::key).toList());
        assertNull(verbose.quiet());
        Delete quiet = xml.read(golden("DeleteRequestQuiet.xml"), Delete.class);
        assertTrue(quiet.quiet());
        assertEquals(1, quiet.objects().size());
        assertEquals("VersionId", quiet.objects().get(0).versionId());
    }

    @Test
    void parsesCreateBucketConfiguration() throws Exception {
        var config = xml.read(golden("CreateBucketConfiguration.xml"), CreateBucketConfiguration.class);
        assertEquals("eu-west-1", config.locationConstraint());
    }

    @Test
    void writesDeclarationAndEscapesKeys() {
        String out = new String(xml.write(new DeleteResult(S3Xml.NS,
                List.of(new DeleteResult.Deleted("a<&>\"b", null)), List.of())), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(out.startsWith("<?xml"), out);
        assertTrue(out.contains("a&lt;&amp;>\"b") || out.contains("a&lt;&amp;&gt;"), out);
        assertFalse(out.contains("xmlns=\"\""), out);
    }
}

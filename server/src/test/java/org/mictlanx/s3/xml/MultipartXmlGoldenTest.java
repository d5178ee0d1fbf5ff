package org.mictlanx.s3.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mictlanx.s3.xml.XmlAssert.assertSameXml;
import static org.mictlanx.s3.xml.XmlAssert.golden;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Multipart, copy and attributes records against the samples of the AWS S3 API reference. */
class MultipartXmlGoldenTest {

    private final S3Xml xml = new S3Xml();

    @Test
    void initiateMultipartUploadResult() throws Exception {
        assertSameXml(golden("InitiateMultipartUploadResult.xml"), xml.write(new InitiateMultipartUploadResult(S3Xml.NS,
                "example-bucket", "example-object", "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA")));
    }

    @Test
    void completeMultipartUploadRequest() throws Exception {
        var request = xml.read(golden("CompleteMultipartUpload.xml"), CompleteMultipartUpload.class);
        assertEquals(3, request.parts().size());
        assertEquals(2, request.parts().get(1).partNumber());
        assertEquals("\"0c78aef83f66abc1fa1e8477f296d394\"", request.parts().get(1).etag());
        assertNull(request.parts().get(1).crc32());
        var withChecksum = xml.read(golden("CompleteMultipartUploadChecksums.xml"), CompleteMultipartUpload.class);
        assertEquals("JbH2Kg==", withChecksum.parts().get(0).crc32());
        assertEquals(1, withChecksum.parts().get(0).partNumber());
    }

    @Test
    void completeMultipartUploadResult() throws Exception {
        String location = "http://Example-Bucket.s3.Region.amazonaws.com/Example-Object";
        assertSameXml(golden("CompleteMultipartUploadResult.xml"), xml.write(new CompleteMultipartUploadResult(S3Xml.NS,
                location, "Example-Bucket", "Example-Object", "\"3858f62230ac3c915f300c664312c11f-9\"",
                ChecksumValues.NONE, null)));
        assertSameXml(golden("CompleteMultipartUploadResultChecksum.xml"), xml.write(new CompleteMultipartUploadResult(
                S3Xml.NS, location, "Example-Bucket", "Example-Object", "\"3858f62230ac3c915f300c664312c11f-9\"",
                new ChecksumValues(null, "7Ba3uA==-9", null, null, null), "COMPOSITE")));
    }

    @Test
    void listPartsResult() throws Exception {
        var result = new ListPartsResult(S3Xml.NS, "example-bucket", "example-object",
                "XXBsb2FkIElEIGZvciBlbHZpbmcncyVcdS1tb3ZpZS5tMnRzEEEwbG9hZA",
                new Owner("arn:aws:iam::111122223333:user/some-user-11116a31-17b5-4fb7-9df5-b288870f11xx",
                        "umat-user-11116a31-17b5-4fb7-9df5-b288870f11xx"),
                new Owner("75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a", "someName"),
                "STANDARD", 1, 3, 2, true, List.of(
                new ListPartsResult.Part(2, "2010-11-10T20:48:34.000Z", "\"7778aef83f66abc1fa1e8477f296d394\"",
                        10485760, ChecksumValues.NONE),
                new ListPartsResult.Part(3, "2010-11-10T20:48:33.000Z", "\"aaaa18db4cc2f85cedef654fccc4a4x8\"",
                        10485760, ChecksumValues.NONE)), null, null);
        assertSameXml(golden("ListPartsResult.xml"), xml.write(result));
    }

    @Test
    void listMultipartUploadsResult() throws Exception {
        var result = new ListMultipartUploadsResult(S3Xml.NS, "bucket", "", "", "my-movie.m2ts", null, null,
                "YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ", 3, true, List.of(
                new ListMultipartUploadsResult.Upload("my-divisor", "XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw",
                        new Owner("arn:aws:iam::111122223333:user/user1-11111a31-17b5-4fb7-9df5-b111111f13de",
                                "user1-11111a31-17b5-4fb7-9df5-b111111f13de"),
                        new Owner("75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a", "OwnerDisplayName"),
                        "REDUCED_REDUNDANCY", "2010-11-10T20:48:33.000Z", null, null),
                new ListMultipartUploadsResult.Upload("my-movie.m2ts",
                        "VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA",
                        new Owner("b1d16700c70b0b05597d7acd6a3f92be", "InitiatorDisplayName"),
                        new Owner("b1d16700c70b0b05597d7acd6a3f92be", "OwnerDisplayName"),
                        "STANDARD", "2010-11-10T20:48:33.000Z", null, null)), List.of(), null);
        assertSameXml(golden("ListMultipartUploadsResult.xml"), xml.write(result));
    }

    @Test
    void listMultipartUploadsWithDelimiter() throws Exception {
        Owner o = new Owner("314133b66967d86f031c7249d1d9a80249109428335cd0ef1cdc487b4566cb1b", "s3-nickname");
        var result = new ListMultipartUploadsResult(S3Xml.NS, "example-bucket", "", "", "", null, "/", "", 1000, false,
                List.of(new ListMultipartUploadsResult.Upload("sample.jpg",
                        "Agw4MJR6vw0S1yZwwgtVoW2aUUcV9QyUg4lbkrfVqKcCJ0eYdo1mBjkQFGQ8gmmSBtFByBPjkkSIJ0TTK8VnrQnaVwvwiX9n",
                        o, o, "STANDARD", "2010-11-26T19:24:17.000Z", null, null)),
                List.of(new CommonPrefix("photos/"), new CommonPrefix("videos/")), null);
        assertSameXml(golden("ListMultipartUploadsDelimiter.xml"), xml.write(result));
    }

    @Test
    void copyResults() throws Exception {
        assertSameXml(golden("CopyObjectResult.xml"), xml.write(new CopyObjectResult(S3Xml.NS,
                "2009-10-28T22:32:00.000Z", "\"9b2cf535f27731c974343645a3985328\"", ChecksumValues.NONE)));
        assertSameXml(golden("CopyPartResult.xml"), xml.write(new CopyPartResult(S3Xml.NS,
                "2009-10-28T22:32:00.000Z", "\"9b2cf535f27731c974343645a3985328\"",
                new ChecksumValues(null, null, null, null, "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="))));
    }

    @Test
    void getObjectAttributesResponse() throws Exception {
        var parts = new GetObjectAttributesResponse.ObjectParts(false, 1000, 2, 0, List.of(
                new GetObjectAttributesResponse.Part(new ChecksumValues(null, "i0Z7Ow==", null, null, null), 1, 5242880),
                new GetObjectAttributesResponse.Part(new ChecksumValues(null, "Pn8z6A==", null, null, null), 2, 1024)), 2);
        var result = new GetObjectAttributesResponse(S3Xml.NS, "3858f62230ac3c915f300c664312c11f-2",
                new GetObjectAttributesResponse.Checksum(new ChecksumValues(null, "7Ba3uA==-2", null, null, null),
                        "COMPOSITE"), parts, "STANDARD", 5243904L);
        assertSameXml(golden("GetObjectAttributesResponse.xml"), xml.write(result));
    }
}

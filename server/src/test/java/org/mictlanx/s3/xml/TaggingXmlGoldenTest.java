package org.mictlanx.s3.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.xml.XmlAssert.assertSameXml;
import static org.mictlanx.s3.xml.XmlAssert.golden;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;

/** The Tagging document against the GetObjectTagging / PutObjectTagging samples of the AWS S3 API reference. */
class TaggingXmlGoldenTest {

    private final S3Xml xml = new S3Xml();

    @Test
    void getObjectTaggingResponse() throws Exception {
        var result = new Tagging(S3Xml.NS, new Tagging.TagSet(
                List.of(new Tagging.Tag("tag1", "val1"), new Tagging.Tag("tag2", "val2"))));
        assertSameXml(golden("Tagging.xml"), xml.write(result));
    }

    @Test
    void emptyTagSetIsWrittenAsAnEmptyElement() throws Exception {
        assertSameXml("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet/></Tagging>"
                .getBytes(StandardCharsets.UTF_8), xml.write(new Tagging(S3Xml.NS, new Tagging.TagSet(List.of()))));
    }

    @Test
    void parsesPutObjectTaggingRequestWithAndWithoutNamespace() throws Exception {
        for (String name : List.of("TaggingRequest.xml", "Tagging.xml")) {
            Tagging t = xml.read(golden(name), Tagging.class);
            assertEquals(List.of(new Tagging.Tag("tag1", "val1"), new Tagging.Tag("tag2", "val2")), t.tagSet().tags(), name);
        }
    }

    @Test
    void parsesEmptyAndMissingPieces() {
        for (String empty : List.of("<Tagging><TagSet/></Tagging>", "<Tagging><TagSet></TagSet></Tagging>",
                "<Tagging>\n  <TagSet>\n  </TagSet>\n</Tagging>")) {
            Tagging.TagSet set = xml.read(empty.getBytes(StandardCharsets.UTF_8), Tagging.class).tagSet();
            assertTrue(set != null && (set.tags() == null || set.tags().isEmpty()), empty + " -> " + set);
        }
        assertNull(xml.read("<Tagging></Tagging>".getBytes(StandardCharsets.UTF_8), Tagging.class).tagSet());
        Tagging noValue = xml.read("<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>"
                .getBytes(StandardCharsets.UTF_8), Tagging.class);
        assertNull(noValue.tagSet().tags().get(0).value());
        Tagging emptyValue = xml.read("<Tagging><TagSet><Tag><Key>k</Key><Value></Value></Tag></TagSet></Tagging>"
                .getBytes(StandardCharsets.UTF_8), Tagging.class);
        assertEquals("", emptyValue.tagSet().tags().get(0).value());
        S3Exception e = assertThrows(S3Exception.class,
                () -> xml.read("<Tagging><TagSet><Tag>".getBytes(StandardCharsets.UTF_8), Tagging.class));
        assertEquals(S3ErrorCode.MALFORMED_XML, e.code());
    }
}

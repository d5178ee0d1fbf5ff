package org.mictlanx.s3.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.xml.S3Xml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Golden tests of the notification XML (AWS documentation samples), its validation and the event JSON. */
class NotificationXmlTest {

    private final S3Xml xml = new S3Xml();

    /** From the PutBucketNotificationConfiguration documentation (filter example). */
    static final String FILTER_SAMPLE = """
            <NotificationConfiguration>
              <QueueConfiguration>
                  <Id>1</Id>
                  <Filter>
                      <S3Key>
                          <FilterRule>
                              <Name>prefix</Name>
                              <Value>images/</Value>
                          </FilterRule>
                          <FilterRule>
                              <Name>suffix</Name>
                              <Value>.jpg</Value>
                          </FilterRule>
                      </S3Key>
                 </Filter>
                 <Queue>arn:aws:sqs:us-west-2:444455556666:s3notificationqueue</Queue>
                 <Event>s3:ObjectCreated:Put</Event>
              </QueueConfiguration>
            </NotificationConfiguration>""";

    /** From the documentation's example with a topic and a queue. */
    static final String TWO_SAMPLE = """
            <NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <TopicConfiguration>
                <Id>YjVkM2Y0YmUtNGI3NC00ZjQyLWEwNGItNDIyYWUxY2I0N2M4</Id>
                <Topic>arn:aws:sns:us-east-1:356671443308:s3notificationtopic2</Topic>
                <Event>s3:ObjectRemoved:*</Event>
              </TopicConfiguration>
              <QueueConfiguration>
                  <Id>ObjectCreatedEvents</Id>
                  <Queue>arn:aws:sqs:us-east-1:356671443308:s3notificationqueue</Queue>
                  <Event>s3:ObjectCreated:*</Event>
              </QueueConfiguration>
            </NotificationConfiguration>""";

    private NotificationConfiguration read(String s) {
        return xml.read(s.getBytes(StandardCharsets.UTF_8), NotificationConfiguration.class);
    }

    @Test
    void readsTheDocumentationSamples() {
        NotificationConfiguration doc = read(FILTER_SAMPLE);
        assertEquals(1, doc.queues().size());
        NotificationConfiguration.Destination q = doc.queues().get(0);
        assertEquals("1", q.id());
        assertEquals("arn:aws:sqs:us-west-2:444455556666:s3notificationqueue", q.arn());
        assertEquals(List.of("s3:ObjectCreated:Put"), q.events());
        assertEquals(List.of(new NotificationConfiguration.FilterRule("prefix", "images/"),
                new NotificationConfiguration.FilterRule("suffix", ".jpg")), q.filter().s3Key().rules());

        NotificationConfiguration two = read(TWO_SAMPLE);
        assertEquals("arn:aws:sns:us-east-1:356671443308:s3notificationtopic2", two.topics().get(0).arn());
        assertEquals("ObjectCreatedEvents", two.queues().get(0).id());
    }

    @Test
    void writesS3sElementsInS3sOrder() {
        String out = new String(xml.write(read(FILTER_SAMPLE)), StandardCharsets.UTF_8).replaceAll(">\\s+<", "><");
        assertTrue(out.contains("<QueueConfiguration><Id>1</Id><Queue>arn:aws:sqs:us-west-2:444455556666:s3notificationqueue</Queue>"
                + "<Event>s3:ObjectCreated:Put</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>images/</Value>"
                + "</FilterRule><FilterRule><Name>suffix</Name><Value>.jpg</Value></FilterRule></S3Key></Filter>"
                + "</QueueConfiguration>"), out);
        assertEquals(read(FILTER_SAMPLE), read(out));
        String empty = new String(xml.write(new NotificationConfiguration(S3Xml.NS, null, null, null, null)), StandardCharsets.UTF_8);
        assertTrue(empty.contains("<NotificationConfiguration xmlns=\"" + S3Xml.NS + "\"/>"), empty);
    }

    @Test
    void validatesAsS3() {
        Set<String> known = Set.of("arn:aws:sqs:us-west-2:444455556666:s3notificationqueue");
        NotificationRules rules = NotificationRules.of(read(FILTER_SAMPLE), known::contains);
        assertEquals(List.of("arn:aws:sqs:us-west-2:444455556666:s3notificationqueue"),
                rules.targets("s3:ObjectCreated:Put", "images/cat.jpg"));
        assertEquals(List.of(), rules.targets("s3:ObjectCreated:Copy", "images/cat.jpg"));
        assertEquals(List.of(), rules.targets("s3:ObjectCreated:Put", "images/cat.png"));
        assertEquals(List.of(), rules.targets("s3:ObjectCreated:Put", "docs/cat.jpg"));

        S3Exception unknown = assertThrows(S3Exception.class, () -> NotificationRules.of(read(TWO_SAMPLE), known::contains));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, unknown.code());
        assertTrue(unknown.getMessage().startsWith("Unable to validate the following destination configurations"));

        assertEquals(S3ErrorCode.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> NotificationRules.of(
                read(FILTER_SAMPLE.replace("s3:ObjectCreated:Put", "s3:ReducedRedundancyLostObject")), a -> true)).code());
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> NotificationRules.of(
                read(FILTER_SAMPLE.replace("<Name>suffix</Name>", "<Name>prefix</Name>")), a -> true)).code());
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> NotificationRules.of(
                read(FILTER_SAMPLE.replace("<Name>suffix</Name>", "<Name>middle</Name>")), a -> true)).code());
        assertEquals(S3ErrorCode.MALFORMED_XML, assertThrows(S3Exception.class, () -> NotificationRules.of(
                read(FILTER_SAMPLE.replace("<Event>s3:ObjectCreated:Put</Event>", "")), a -> true)).code());
        String overlapping = TWO_SAMPLE.replace("s3:ObjectRemoved:*", "s3:ObjectCreated:Put");
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, assertThrows(S3Exception.class,
                () -> NotificationRules.of(read(overlapping), a -> true)).code());
        assertEquals(S3ErrorCode.NOT_IMPLEMENTED, assertThrows(S3Exception.class, () -> NotificationRules.of(
                read(TWO_SAMPLE.replace("</NotificationConfiguration>", "<EventBridgeConfiguration/></NotificationConfiguration>")),
                a -> true)).code());
    }

    @Test
    void missingIdsAreGenerated() {
        NotificationConfiguration doc = read(FILTER_SAMPLE.replace("<Id>1</Id>", ""));
        NotificationRules rules = NotificationRules.of(doc, a -> true);
        String id = NotificationRules.normalized(doc, rules).queues().get(0).id();
        assertEquals(rules.rules().get(0).id(), id);
        assertTrue(!id.isBlank());
    }

    @Test
    void eventJsonHasS3sFields() throws Exception {
        S3Event e = new S3Event("s3:ObjectCreated:Put", Instant.parse("2026-01-02T03:04:05Z"), "us-east-1", "alice",
                "127.0.0.1", "REQ1", "cfg", "photos", "owner-id", "a b/ñ+.jpg", 42L, "abc", "v1", 0x1234L);
        JsonNode r = new ObjectMapper().readTree(e.toJson()).get("Records").get(0);
        assertEquals("2.1", r.get("eventVersion").asText());
        assertEquals("aws:s3", r.get("eventSource").asText());
        assertEquals("ObjectCreated:Put", r.get("eventName").asText());
        assertEquals("2026-01-02T03:04:05Z", r.get("eventTime").asText());
        assertEquals("photos", r.at("/s3/bucket/name").asText());
        assertEquals("arn:aws:s3:::photos", r.at("/s3/bucket/arn").asText());
        assertEquals("a+b%2F%C3%B1%2B.jpg", r.at("/s3/object/key").asText());
        assertEquals(42, r.at("/s3/object/size").asLong());
        assertEquals("abc", r.at("/s3/object/eTag").asText());
        assertEquals("v1", r.at("/s3/object/versionId").asText());
        assertEquals("0000000000001234", r.at("/s3/object/sequencer").asText());
        assertEquals("REQ1", r.at("/responseElements/x-amz-request-id").asText());
    }
}

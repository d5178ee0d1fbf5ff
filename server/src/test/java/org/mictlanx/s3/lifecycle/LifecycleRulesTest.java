package org.mictlanx.s3.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.xml.S3Xml;

/**
 * Lifecycle XML and validation against the samples of the AWS documentation
 * (PutBucketLifecycleConfiguration and the S3 user guide's lifecycle examples): exact stored
 * documents, S3's error codes and messages, filters, and S3's day rounding.
 */
class LifecycleRulesTest {

    private final S3Xml xml = new S3Xml();

    /** The user guide's "tags, prefix and object size" example. */
    static final String AND_FILTER = """
            <LifecycleConfiguration>
                <Rule>
                    <ID>example-id</ID>
                    <Filter>
                        <And>
                            <Prefix>tax/</Prefix>
                            <Tag><Key>key1</Key><Value>value1</Value></Tag>
                            <Tag><Key>key2</Key><Value>value2</Value></Tag>
                            <ObjectSizeGreaterThan>500</ObjectSizeGreaterThan>
                            <ObjectSizeLessThan>64000</ObjectSizeLessThan>
                        </And>
                    </Filter>
                    <Status>Enabled</Status>
                    <Expiration><Days>365</Days></Expiration>
                </Rule>
            </LifecycleConfiguration>""";

    private LifecycleConfiguration read(String doc) {
        return xml.read(doc.getBytes(StandardCharsets.UTF_8), LifecycleConfiguration.class);
    }

    private String stored(String doc) {
        return new String(xml.write(LifecycleRules.normalized(read(doc))), StandardCharsets.UTF_8);
    }

    private S3Exception refused(String doc) {
        return assertThrows(S3Exception.class, () -> LifecycleRules.of(read(doc)));
    }

    private static String rule(String body) {
        return "<LifecycleConfiguration><Rule>" + body + "</Rule></LifecycleConfiguration>";
    }

    @Test
    void andFilterExampleIsStoredExactly() {
        assertEquals("<?xml version='1.0' encoding='UTF-8'?>"
                + "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ID>example-id</ID>"
                + "<Filter><And><Prefix>tax/</Prefix><Tag><Key>key1</Key><Value>value1</Value></Tag>"
                + "<Tag><Key>key2</Key><Value>value2</Value></Tag><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan>"
                + "<ObjectSizeLessThan>64000</ObjectSizeLessThan></And></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>365</Days></Expiration></Rule></LifecycleConfiguration>", stored(AND_FILTER));
        LifecycleRules.Filter f = LifecycleRules.of(read(AND_FILTER)).rules().get(0).filter();
        Map<String, String> tags = Map.of("key1", "value1", "key2", "value2", "other", "x");
        assertTrue(f.matches("tax/2024.pdf", tags, 501));
        assertFalse(f.matches("tax/2024.pdf", tags, 500), "ObjectSizeGreaterThan is strict");
        assertFalse(f.matches("tax/2024.pdf", tags, 64000), "ObjectSizeLessThan is strict");
        assertFalse(f.matches("tax/2024.pdf", Map.of("key1", "value1"), 1000), "every tag must match");
        assertFalse(f.matches("docs/2024.pdf", tags, 1000));
    }

    @Test
    void versionedBucketExamplesAreStoredExactly() {
        // "Example 7" of the user guide: remove expired delete markers and noncurrent versions
        String doc = rule("<ID>ExampleRule</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>"
                + "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>"
                + "<NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions>"
                + "</NoncurrentVersionExpiration>");
        assertEquals("<?xml version='1.0' encoding='UTF-8'?><LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Rule><ID>ExampleRule</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>"
                + "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>"
                + "<NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions>"
                + "</NoncurrentVersionExpiration></Rule></LifecycleConfiguration>", stored(doc));
        LifecycleRules.Rule r = LifecycleRules.of(read(doc)).rules().get(0);
        assertTrue(r.expiredObjectDeleteMarker());
        assertEquals(30, r.noncurrentDays());
        assertEquals(2, r.newerNoncurrentVersions());
        assertTrue(r.filter().matches("anything", Map.of(), 0), "an empty prefix covers every key");
    }

    @Test
    void abortAndDateExamplesAndLegacyPrefix() {
        String abort = rule("<ID>sample-rule</ID><Filter><Prefix>SomeKeyPrefix/</Prefix></Filter><Status>Enabled</Status>"
                + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>");
        assertEquals(7, LifecycleRules.of(read(abort)).rules().get(0).abortDaysAfterInitiation());
        String date = rule("<ID>d</ID><Filter/><Status>Disabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration>");
        assertTrue(stored(date).contains("<Expiration><Date>2030-01-01T00:00:00.000Z</Date></Expiration>"), stored(date));
        LifecycleRules.Rule d = LifecycleRules.of(read(date)).rules().get(0);
        assertFalse(d.enabled());
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), d.expirationDate());
        String legacy = rule("<ID>old</ID><Prefix>logs/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>");
        assertTrue(stored(legacy).contains("<Prefix>logs/</Prefix>"), stored(legacy));
        assertEquals("logs/", LifecycleRules.of(read(legacy)).rules().get(0).filter().prefix());
        String noId = rule("<Filter><Prefix>a/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>");
        assertFalse(LifecycleRules.of(read(noId)).rules().get(0).id().isEmpty(), "a missing ID is generated, as S3 does");
    }

    @Test
    void transitionsAreRefusedAsInvalidStorageClass() {
        // the API reference's first example: a GLACIER transition and an expiration
        String doc = """
                <LifecycleConfiguration>
                  <Rule><ID>id1</ID><Filter><Prefix>documents/</Prefix></Filter><Status>Enabled</Status>
                    <Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>
                  <Rule><ID>id2</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>
                    <Expiration><Days>365</Days></Expiration></Rule>
                </LifecycleConfiguration>""";
        assertEquals(S3ErrorCode.INVALID_STORAGE_CLASS, refused(doc).code());
        assertEquals(S3ErrorCode.INVALID_STORAGE_CLASS, refused(rule("<ID>n</ID><Filter/><Status>Enabled</Status>"
                + "<NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>STANDARD_IA</StorageClass>"
                + "</NoncurrentVersionTransition>")).code());
    }

    @Test
    void s3sValidationErrors() {
        String days = "<Expiration><Days>1</Days></Expiration>";
        assertMessage(S3ErrorCode.MALFORMED_XML, null, "<LifecycleConfiguration></LifecycleConfiguration>");
        StringBuilder many = new StringBuilder("<LifecycleConfiguration>");
        for (int i = 0; i <= LifecycleRules.MAX_RULES; i++) {
            many.append("<Rule><ID>r").append(i).append("</ID><Filter/><Status>Enabled</Status>").append(days).append("</Rule>");
        }
        assertMessage(S3ErrorCode.MALFORMED_XML, null, many.append("</LifecycleConfiguration>").toString());
        assertMessage(S3ErrorCode.INVALID_ARGUMENT, "ID length should not exceed allowed limit of 255",
                rule("<ID>" + "x".repeat(256) + "</ID><Filter/><Status>Enabled</Status>" + days));
        assertEquals(1, LifecycleRules.of(read(rule("<ID>" + "x".repeat(255) + "</ID><Filter/><Status>Enabled</Status>" + days)))
                .rules().size());
        assertMessage(S3ErrorCode.INVALID_ARGUMENT, "Rule ID must be unique. Found same ID for more than one rule",
                "<LifecycleConfiguration><Rule><ID>a</ID><Filter/><Status>Enabled</Status>" + days + "</Rule>"
                        + "<Rule><ID>a</ID><Filter/><Status>Enabled</Status>" + days + "</Rule></LifecycleConfiguration>");
        assertMessage(S3ErrorCode.MALFORMED_XML, null, rule("<ID>a</ID><Filter/><Status>enabled</Status>" + days));
        assertMessage(S3ErrorCode.MALFORMED_XML, null, rule("<ID>a</ID><Status>Enabled</Status>" + days));
        assertMessage(S3ErrorCode.MALFORMED_XML, null, rule("<ID>a</ID><Prefix>x</Prefix><Filter/><Status>Enabled</Status>" + days));
        assertMessage(S3ErrorCode.MALFORMED_XML, null,
                rule("<ID>a</ID><Filter><Prefix>x</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter><Status>Enabled</Status>" + days));
        assertMessage(S3ErrorCode.MALFORMED_XML, null,
                rule("<ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>"));
        assertMessage(S3ErrorCode.MALFORMED_XML, null, rule("<ID>a</ID><Filter/><Status>Enabled</Status><Expiration></Expiration>"));
        assertMessage(S3ErrorCode.INVALID_REQUEST, "At least one action needs to be specified in a rule",
                rule("<ID>a</ID><Filter/><Status>Enabled</Status>"));
        assertMessage(S3ErrorCode.INVALID_ARGUMENT, "'Days' for Expiration action must be a positive integer",
                rule("<ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>0</Days></Expiration>"));
        assertMessage(S3ErrorCode.INVALID_ARGUMENT, "'Date' must be at midnight GMT",
                rule("<ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>"));
        assertMessage(S3ErrorCode.INVALID_ARGUMENT, "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
                rule("<ID>a</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays>"
                        + "</NoncurrentVersionExpiration>"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, refused(rule("<ID>a</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration>"
                + "<NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration>")).code());
        assertMessage(S3ErrorCode.INVALID_ARGUMENT,
                "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
                rule("<ID>a</ID><Filter/><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation>"
                        + "</AbortIncompleteMultipartUpload>"));
        assertMessage(S3ErrorCode.INVALID_ARGUMENT, "AbortIncompleteMultipartUpload cannot be specified with Tags",
                rule("<ID>a</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status>"
                        + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, refused(rule("<ID>a</ID><Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan>"
                + "<ObjectSizeLessThan>10</ObjectSizeLessThan></And></Filter><Status>Enabled</Status>" + days)).code());
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, refused(rule("<ID>a</ID><Filter><And><Tag><Key>k</Key><Value>1</Value></Tag>"
                + "<Tag><Key>k</Key><Value>2</Value></Tag></And></Filter><Status>Enabled</Status>" + days)).code());
        assertEquals(S3ErrorCode.MALFORMED_XML, assertThrows(S3Exception.class, () -> read(
                rule("<ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>soon</Days></Expiration>"))).code());
    }

    private void assertMessage(S3ErrorCode code, String message, String doc) {
        S3Exception e = refused(doc);
        assertEquals(code, e.code(), doc.length() > 300 ? doc.substring(0, 300) : doc);
        if (message != null) assertEquals(message, e.getMessage());
    }

    @Test
    void daysRoundUpToTheNextDayBoundaryAsS3Does() {
        // the user guide: created 2014-01-15 10:30 UTC, 3 days → expires 2014-01-19 00:00 UTC
        assertEquals(Instant.parse("2014-01-19T00:00:00Z"),
                LifecycleRules.due(Instant.parse("2014-01-15T10:30:00Z"), 3, LifecycleWorker.DAY_MILLIS));
        // a scaled day of 2 s: 10.3 s + 2 days (4 s) → next multiple of 2 s after 14.3 s
        assertEquals(Instant.ofEpochMilli(16_000), LifecycleRules.due(Instant.ofEpochMilli(10_300), 2, 2_000));
        LifecycleRules rules = LifecycleRules.of(read("<LifecycleConfiguration>"
                + "<Rule><ID>late</ID><Filter><Prefix>a/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>10</Days></Expiration></Rule>"
                + "<Rule><ID>early</ID><Filter><Prefix>a/b</Prefix></Filter><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule>"
                + "<Rule><ID>off</ID><Filter/><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>"
                + "</LifecycleConfiguration>"));
        Instant created = Instant.parse("2024-03-01T12:00:00Z");
        assertEquals(Optional.of(new LifecycleRules.Expiry(Instant.parse("2024-03-04T00:00:00Z"), "early")),
                rules.currentExpiry("a/b/c", Map.of(), 1, created, LifecycleWorker.DAY_MILLIS), "the earliest covering rule wins");
        assertEquals("late", rules.currentExpiry("a/x", Map.of(), 1, created, LifecycleWorker.DAY_MILLIS).orElseThrow().ruleId());
        assertTrue(rules.currentExpiry("z", Map.of(), 1, created, LifecycleWorker.DAY_MILLIS).isEmpty(), "disabled rules do not apply");
    }
}

package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** The S3 Object Lock documents: bucket configuration, a version's retention and its legal hold. */
public final class ObjectLockDocuments {

    private ObjectLockDocuments() {
    }

    /** Put/GetObjectLockConfiguration; {@code rule} is null when there is no default retention. */
    @JacksonXmlRootElement(localName = "ObjectLockConfiguration")
    @JsonPropertyOrder({"xmlns", "ObjectLockEnabled", "Rule"})
    public record ObjectLockConfiguration(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                          @JacksonXmlProperty(localName = "ObjectLockEnabled") String objectLockEnabled,
                                          @JacksonXmlProperty(localName = "Rule") Rule rule) {
    }

    public record Rule(@JacksonXmlProperty(localName = "DefaultRetention") DefaultRetention defaultRetention) {
    }

    /** Mode with exactly one of Days or Years. */
    @JsonPropertyOrder({"Mode", "Days", "Years"})
    public record DefaultRetention(@JacksonXmlProperty(localName = "Mode") String mode,
                                   @JacksonXmlProperty(localName = "Days") Integer days,
                                   @JacksonXmlProperty(localName = "Years") Integer years) {
    }

    /** Put/GetObjectRetention. */
    @JacksonXmlRootElement(localName = "Retention")
    @JsonPropertyOrder({"xmlns", "Mode", "RetainUntilDate"})
    public record Retention(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                            @JacksonXmlProperty(localName = "Mode") String mode,
                            @JacksonXmlProperty(localName = "RetainUntilDate") String retainUntilDate) {
    }

    /** Put/GetObjectLegalHold. */
    @JacksonXmlRootElement(localName = "LegalHold")
    @JsonPropertyOrder({"xmlns", "Status"})
    public record LegalHold(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                            @JacksonXmlProperty(localName = "Status") String status) {
    }
}

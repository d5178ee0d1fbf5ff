package org.mictlanx.s3.lifecycle;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The PutBucketLifecycleConfiguration request body and GetBucketLifecycleConfiguration answer, as
 * S3's XML. Absent elements are null; {@link LifecycleRules#of} validates a document and
 * {@link LifecycleRules#toDocument} writes the stored (normalized) one.
 */
@JacksonXmlRootElement(localName = "LifecycleConfiguration")
@JsonPropertyOrder({"xmlns", "Rule"})
public record LifecycleConfiguration(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                     @JacksonXmlElementWrapper(useWrapping = false)
                                     @JacksonXmlProperty(localName = "Rule") List<Rule> rules) {

    /** One {@code Rule}. {@code prefix} is the legacy top-level {@code Prefix} (instead of a {@code Filter}). */
    @JsonPropertyOrder({"ID", "Filter", "Prefix", "Status", "Transition", "NoncurrentVersionTransition", "Expiration",
            "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload"})
    public record Rule(@JacksonXmlProperty(localName = "ID") String id,
                       @JacksonXmlProperty(localName = "Filter") Filter filter,
                       @JacksonXmlProperty(localName = "Prefix") String prefix,
                       @JacksonXmlProperty(localName = "Status") String status,
                       @JacksonXmlElementWrapper(useWrapping = false)
                       @JacksonXmlProperty(localName = "Transition") List<Transition> transitions,
                       @JacksonXmlElementWrapper(useWrapping = false)
                       @JacksonXmlProperty(localName = "NoncurrentVersionTransition") List<Transition> noncurrentTransitions,
                       @JacksonXmlProperty(localName = "Expiration") Expiration expiration,
                       @JacksonXmlProperty(localName = "NoncurrentVersionExpiration") NoncurrentVersionExpiration noncurrentExpiration,
                       @JacksonXmlProperty(localName = "AbortIncompleteMultipartUpload") AbortIncompleteMultipartUpload abort) {
    }

    /** {@code Filter}: at most one of its elements (several only inside {@code And}). */
    @JsonPropertyOrder({"Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan", "And"})
    public record Filter(@JacksonXmlProperty(localName = "Prefix") String prefix,
                         @JacksonXmlElementWrapper(useWrapping = false)
                         @JacksonXmlProperty(localName = "Tag") List<Tag> tags,
                         @JacksonXmlProperty(localName = "ObjectSizeGreaterThan") Long objectSizeGreaterThan,
                         @JacksonXmlProperty(localName = "ObjectSizeLessThan") Long objectSizeLessThan,
                         @JacksonXmlProperty(localName = "And") And and) {
    }

    /** {@code And}: a prefix, tags and size bounds that must all match. */
    @JsonPropertyOrder({"Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan"})
    public record And(@JacksonXmlProperty(localName = "Prefix") String prefix,
                      @JacksonXmlElementWrapper(useWrapping = false)
                      @JacksonXmlProperty(localName = "Tag") List<Tag> tags,
                      @JacksonXmlProperty(localName = "ObjectSizeGreaterThan") Long objectSizeGreaterThan,
                      @JacksonXmlProperty(localName = "ObjectSizeLessThan") Long objectSizeLessThan) {
    }

    /** {@code Tag}. */
    @JsonPropertyOrder({"Key", "Value"})
    public record Tag(@JacksonXmlProperty(localName = "Key") String key,
                      @JacksonXmlProperty(localName = "Value") String value) {
    }

    /** {@code Expiration}: exactly one of Date (midnight UTC, ISO 8601), Days, ExpiredObjectDeleteMarker. */
    @JsonPropertyOrder({"Date", "Days", "ExpiredObjectDeleteMarker"})
    public record Expiration(@JacksonXmlProperty(localName = "Date") String date,
                             @JacksonXmlProperty(localName = "Days") Integer days,
                             @JacksonXmlProperty(localName = "ExpiredObjectDeleteMarker") Boolean expiredObjectDeleteMarker) {
    }

    /** {@code NoncurrentVersionExpiration}. */
    @JsonPropertyOrder({"NoncurrentDays", "NewerNoncurrentVersions"})
    public record NoncurrentVersionExpiration(@JacksonXmlProperty(localName = "NoncurrentDays") Integer noncurrentDays,
                                              @JacksonXmlProperty(localName = "NewerNoncurrentVersions") Integer newerNoncurrentVersions) {
    }

    /** {@code AbortIncompleteMultipartUpload}. */
    public record AbortIncompleteMultipartUpload(@JacksonXmlProperty(localName = "DaysAfterInitiation") Integer daysAfterInitiation) {
    }

    /** {@code Transition} / {@code NoncurrentVersionTransition} (always refused: this store has one storage class). */
    public record Transition(@JacksonXmlProperty(localName = "Date") String date,
                             @JacksonXmlProperty(localName = "Days") Integer days,
                             @JacksonXmlProperty(localName = "NoncurrentDays") Integer noncurrentDays,
                             @JacksonXmlProperty(localName = "StorageClass") String storageClass) {
    }
}

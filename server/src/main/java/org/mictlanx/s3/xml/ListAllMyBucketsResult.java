package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** ListBuckets response. */
@JacksonXmlRootElement(localName = "ListAllMyBucketsResult")
@JsonPropertyOrder({"xmlns", "Owner", "Buckets"})
public record ListAllMyBucketsResult(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                     @JacksonXmlProperty(localName = "Owner") Owner owner,
                                     @JacksonXmlElementWrapper(localName = "Buckets")
                                     @JacksonXmlProperty(localName = "Bucket") List<Bucket> buckets) {

    public ListAllMyBucketsResult(Owner owner, List<Bucket> buckets) {
        this(S3Xml.NS, owner, buckets);
    }

    /** @param creationDate ISO-8601 with milliseconds, e.g. {@code 2019-12-11T23:32:47.000Z} */
    @JsonPropertyOrder({"Name", "CreationDate"})
    public record Bucket(@JacksonXmlProperty(localName = "Name") String name,
                         @JacksonXmlProperty(localName = "CreationDate") String creationDate) {
    }
}

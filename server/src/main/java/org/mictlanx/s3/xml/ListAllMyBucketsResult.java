package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * ListBuckets response. {@code continuationToken} (more buckets follow) and {@code prefix} (echo of
 * the request's) are omitted when null.
 */
@JacksonXmlRootElement(localName = "ListAllMyBucketsResult")
@JsonPropertyOrder({"xmlns", "Owner", "Buckets", "ContinuationToken", "Prefix"})
public record ListAllMyBucketsResult(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                     @JacksonXmlProperty(localName = "Owner") Owner owner,
                                     @JacksonXmlElementWrapper(localName = "Buckets")
                                     @JacksonXmlProperty(localName = "Bucket") List<Bucket> buckets,
                                     @JacksonXmlProperty(localName = "ContinuationToken") String continuationToken,
                                     @JacksonXmlProperty(localName = "Prefix") String prefix) {

    public ListAllMyBucketsResult(Owner owner, List<Bucket> buckets) {
        this(S3Xml.NS, owner, buckets, null, null);
    }

    /**
     * @param creationDate ISO-8601 with milliseconds, e.g. {@code 2019-12-11T23:32:47.000Z}
     * @param bucketRegion the bucket's region
     */
    @JsonPropertyOrder({"Name", "CreationDate", "BucketRegion"})
    public record Bucket(@JacksonXmlProperty(localName = "Name") String name,
                         @JacksonXmlProperty(localName = "CreationDate") String creationDate,
                         @JacksonXmlProperty(localName = "BucketRegion") String bucketRegion) {
        /** An entry without a region element. */
        public Bucket(String name, String creationDate) {
            this(name, creationDate, null);
        }
    }
}

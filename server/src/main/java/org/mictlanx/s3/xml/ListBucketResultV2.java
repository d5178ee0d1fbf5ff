package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** ListObjectsV2 response (root element {@code ListBucketResult}); null fields are omitted. */
@JacksonXmlRootElement(localName = "ListBucketResult")
@JsonPropertyOrder({"xmlns", "Name", "Prefix", "KeyCount", "MaxKeys", "Delimiter", "IsTruncated", "Contents",
        "CommonPrefixes", "EncodingType", "ContinuationToken", "NextContinuationToken", "StartAfter"})
public record ListBucketResultV2(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                 @JacksonXmlProperty(localName = "Name") String name,
                                 @JacksonXmlProperty(localName = "Prefix") String prefix,
                                 @JacksonXmlProperty(localName = "KeyCount") int keyCount,
                                 @JacksonXmlProperty(localName = "MaxKeys") int maxKeys,
                                 @JacksonXmlProperty(localName = "Delimiter") String delimiter,
                                 @JacksonXmlProperty(localName = "IsTruncated") boolean isTruncated,
                                 @JacksonXmlElementWrapper(useWrapping = false)
                                 @JacksonXmlProperty(localName = "Contents") List<ObjectEntry> contents,
                                 @JacksonXmlElementWrapper(useWrapping = false)
                                 @JacksonXmlProperty(localName = "CommonPrefixes") List<CommonPrefix> commonPrefixes,
                                 @JacksonXmlProperty(localName = "EncodingType") String encodingType,
                                 @JacksonXmlProperty(localName = "ContinuationToken") String continuationToken,
                                 @JacksonXmlProperty(localName = "NextContinuationToken") String nextContinuationToken,
                                 @JacksonXmlProperty(localName = "StartAfter") String startAfter) {
}

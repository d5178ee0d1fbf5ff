package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** ListObjects (v1) response; null fields are omitted. */
@JacksonXmlRootElement(localName = "ListBucketResult")
@JsonPropertyOrder({"xmlns", "Name", "Prefix", "Marker", "NextMarker", "MaxKeys", "Delimiter", "IsTruncated",
        "Contents", "CommonPrefixes", "EncodingType"})
public record ListBucketResult(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                               @JacksonXmlProperty(localName = "Name") String name,
                               @JacksonXmlProperty(localName = "Prefix") String prefix,
                               @JacksonXmlProperty(localName = "Marker") String marker,
                               @JacksonXmlProperty(localName = "NextMarker") String nextMarker,
                               @JacksonXmlProperty(localName = "MaxKeys") int maxKeys,
                               @JacksonXmlProperty(localName = "Delimiter") String delimiter,
                               @JacksonXmlProperty(localName = "IsTruncated") boolean isTruncated,
                               @JacksonXmlElementWrapper(useWrapping = false)
                               @JacksonXmlProperty(localName = "Contents") List<ObjectEntry> contents,
                               @JacksonXmlElementWrapper(useWrapping = false)
                               @JacksonXmlProperty(localName = "CommonPrefixes") List<CommonPrefix> commonPrefixes,
                               @JacksonXmlProperty(localName = "EncodingType") String encodingType) {
}

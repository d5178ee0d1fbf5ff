package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * GetObjectAttributes response: only the requested attributes are non-null. As in S3, the ETag
 * here carries no quotes.
 */
@JacksonXmlRootElement(localName = "GetObjectAttributesResponse")
@JsonPropertyOrder({"xmlns", "ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"})
public record GetObjectAttributesResponse(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                          @JacksonXmlProperty(localName = "ETag") String etag,
                                          @JacksonXmlProperty(localName = "Checksum") Checksum checksum,
                                          @JacksonXmlProperty(localName = "ObjectParts") ObjectParts objectParts,
                                          @JacksonXmlProperty(localName = "StorageClass") String storageClass,
                                          @JacksonXmlProperty(localName = "ObjectSize") Long objectSize) {

    @JsonPropertyOrder({"values", "ChecksumType"})
    public record Checksum(@JsonUnwrapped ChecksumValues values,
                           @JacksonXmlProperty(localName = "ChecksumType") String checksumType) {
    }

    @JsonPropertyOrder({"IsTruncated", "MaxParts", "NextPartNumberMarker", "PartNumberMarker", "Part", "PartsCount"})
    public record ObjectParts(@JacksonXmlProperty(localName = "IsTruncated") Boolean isTruncated,
                              @JacksonXmlProperty(localName = "MaxParts") Integer maxParts,
                              @JacksonXmlProperty(localName = "NextPartNumberMarker") Integer nextPartNumberMarker,
                              @JacksonXmlProperty(localName = "PartNumberMarker") Integer partNumberMarker,
                              @JacksonXmlElementWrapper(useWrapping = false)
                              @JacksonXmlProperty(localName = "Part") List<Part> parts,
                              @JacksonXmlProperty(localName = "PartsCount") int partsCount) {
    }

    @JsonPropertyOrder({"values", "PartNumber", "Size"})
    public record Part(@JsonUnwrapped ChecksumValues values,
                       @JacksonXmlProperty(localName = "PartNumber") int partNumber,
                       @JacksonXmlProperty(localName = "Size") long size) {
    }
}

package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** ListParts response; null fields are omitted. */
@JacksonXmlRootElement(localName = "ListPartsResult")
@JsonPropertyOrder({"xmlns", "Bucket", "Key", "UploadId", "Initiator", "Owner", "StorageClass", "PartNumberMarker",
        "NextPartNumberMarker", "MaxParts", "IsTruncated", "Part", "ChecksumAlgorithm", "ChecksumType"})
public record ListPartsResult(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                              @JacksonXmlProperty(localName = "Bucket") String bucket,
                              @JacksonXmlProperty(localName = "Key") String key,
                              @JacksonXmlProperty(localName = "UploadId") String uploadId,
                              @JacksonXmlProperty(localName = "Initiator") Owner initiator,
                              @JacksonXmlProperty(localName = "Owner") Owner owner,
                              @JacksonXmlProperty(localName = "StorageClass") String storageClass,
                              @JacksonXmlProperty(localName = "PartNumberMarker") int partNumberMarker,
                              @JacksonXmlProperty(localName = "NextPartNumberMarker") Integer nextPartNumberMarker,
                              @JacksonXmlProperty(localName = "MaxParts") int maxParts,
                              @JacksonXmlProperty(localName = "IsTruncated") boolean isTruncated,
                              @JacksonXmlElementWrapper(useWrapping = false)
                              @JacksonXmlProperty(localName = "Part") List<Part> parts,
                              @JacksonXmlProperty(localName = "ChecksumAlgorithm") String checksumAlgorithm,
                              @JacksonXmlProperty(localName = "ChecksumType") String checksumType) {

    /** One uploaded part; {@code etag} includes its quotes. */
    @JsonPropertyOrder({"PartNumber", "LastModified", "ETag", "Size", "checksums"})
    public record Part(@JacksonXmlProperty(localName = "PartNumber") int partNumber,
                       @JacksonXmlProperty(localName = "LastModified") String lastModified,
                       @JacksonXmlProperty(localName = "ETag") String etag,
                       @JacksonXmlProperty(localName = "Size") long size,
                       @JsonUnwrapped ChecksumValues checksums) {
    }
}

package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** ListObjectVersions response; null fields are omitted. */
@JacksonXmlRootElement(localName = "ListVersionsResult")
@JsonPropertyOrder({"xmlns", "Name", "Prefix", "KeyMarker", "VersionIdMarker", "NextKeyMarker",
        "NextVersionIdMarker", "MaxKeys", "Delimiter", "IsTruncated", "Version", "DeleteMarker", "CommonPrefixes",
        "EncodingType"})
public record ListVersionsResult(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                 @JacksonXmlProperty(localName = "Name") String name,
                                 @JacksonXmlProperty(localName = "Prefix") String prefix,
                                 @JacksonXmlProperty(localName = "KeyMarker") String keyMarker,
                                 @JacksonXmlProperty(localName = "VersionIdMarker") String versionIdMarker,
                                 @JacksonXmlProperty(localName = "NextKeyMarker") String nextKeyMarker,
                                 @JacksonXmlProperty(localName = "NextVersionIdMarker") String nextVersionIdMarker,
                                 @JacksonXmlProperty(localName = "MaxKeys") int maxKeys,
                                 @JacksonXmlProperty(localName = "Delimiter") String delimiter,
                                 @JacksonXmlProperty(localName = "IsTruncated") boolean isTruncated,
                                 @JacksonXmlElementWrapper(useWrapping = false)
                                 @JacksonXmlProperty(localName = "Version") List<Version> versions,
                                 @JacksonXmlElementWrapper(useWrapping = false)
                                 @JacksonXmlProperty(localName = "DeleteMarker") List<DeleteMarker> deleteMarkers,
                                 @JacksonXmlElementWrapper(useWrapping = false)
                                 @JacksonXmlProperty(localName = "CommonPrefixes") List<CommonPrefix> commonPrefixes,
                                 @JacksonXmlProperty(localName = "EncodingType") String encodingType) {

    /** One version; while versioning is off the id is the literal {@code null} and it is the latest. */
    @JsonPropertyOrder({"Key", "VersionId", "IsLatest", "LastModified", "ETag", "Size", "StorageClass", "Owner"})
    public record Version(@JacksonXmlProperty(localName = "Key") String key,
                          @JacksonXmlProperty(localName = "VersionId") String versionId,
                          @JacksonXmlProperty(localName = "IsLatest") boolean isLatest,
                          @JacksonXmlProperty(localName = "LastModified") String lastModified,
                          @JacksonXmlProperty(localName = "ETag") String etag,
                          @JacksonXmlProperty(localName = "Size") long size,
                          @JacksonXmlProperty(localName = "StorageClass") String storageClass,
                          @JacksonXmlProperty(localName = "Owner") Owner owner) {
    }

    /** One delete marker. */
    @JsonPropertyOrder({"Key", "VersionId", "IsLatest", "LastModified", "Owner"})
    public record DeleteMarker(@JacksonXmlProperty(localName = "Key") String key,
                               @JacksonXmlProperty(localName = "VersionId") String versionId,
                               @JacksonXmlProperty(localName = "IsLatest") boolean isLatest,
                               @JacksonXmlProperty(localName = "LastModified") String lastModified,
                               @JacksonXmlProperty(localName = "Owner") Owner owner) {
    }
}

package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** ListMultipartUploads response; null fields are omitted, markers are echoed (empty when absent). */
@JacksonXmlRootElement(localName = "ListMultipartUploadsResult")
@JsonPropertyOrder({"xmlns", "Bucket", "KeyMarker", "UploadIdMarker", "NextKeyMarker", "Prefix", "Delimiter",
        "NextUploadIdMarker", "MaxUploads", "IsTruncated", "Upload", "CommonPrefixes", "EncodingType"})
public record ListMultipartUploadsResult(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                         @JacksonXmlProperty(localName = "Bucket") String bucket,
                                         @JacksonXmlProperty(localName = "KeyMarker") String keyMarker,
                                         @JacksonXmlProperty(localName = "UploadIdMarker") String uploadIdMarker,
                                         @JacksonXmlProperty(localName = "NextKeyMarker") String nextKeyMarker,
                                         @JacksonXmlProperty(localName = "Prefix") String prefix,
                                         @JacksonXmlProperty(localName = "Delimiter") String delimiter,
                                         @JacksonXmlProperty(localName = "NextUploadIdMarker") String nextUploadIdMarker,
                                         @JacksonXmlProperty(localName = "MaxUploads") int maxUploads,
                                         @JacksonXmlProperty(localName = "IsTruncated") boolean isTruncated,
                                         @JacksonXmlElementWrapper(useWrapping = false)
                                         @JacksonXmlProperty(localName = "Upload") List<Upload> uploads,
                                         @JacksonXmlElementWrapper(useWrapping = false)
                                         @JacksonXmlProperty(localName = "CommonPrefixes") List<CommonPrefix> commonPrefixes,
                                         @JacksonXmlProperty(localName = "EncodingType") String encodingType) {

    /** One open upload. */
    @JsonPropertyOrder({"Key", "UploadId", "Initiator", "Owner", "StorageClass", "Initiated", "ChecksumAlgorithm",
            "ChecksumType"})
    public record Upload(@JacksonXmlProperty(localName = "Key") String key,
                         @JacksonXmlProperty(localName = "UploadId") String uploadId,
                         @JacksonXmlProperty(localName = "Initiator") Owner initiator,
                         @JacksonXmlProperty(localName = "Owner") Owner owner,
                         @JacksonXmlProperty(localName = "StorageClass") String storageClass,
                         @JacksonXmlProperty(localName = "Initiated") String initiated,
                         @JacksonXmlProperty(localName = "ChecksumAlgorithm") String checksumAlgorithm,
                         @JacksonXmlProperty(localName = "ChecksumType") String checksumType) {
    }
}

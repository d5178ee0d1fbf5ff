package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** CreateMultipartUpload response. */
@JacksonXmlRootElement(localName = "InitiateMultipartUploadResult")
@JsonPropertyOrder({"xmlns", "Bucket", "Key", "UploadId"})
public record InitiateMultipartUploadResult(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                            @JacksonXmlProperty(localName = "Bucket") String bucket,
                                            @JacksonXmlProperty(localName = "Key") String key,
                                            @JacksonXmlProperty(localName = "UploadId") String uploadId) {
}

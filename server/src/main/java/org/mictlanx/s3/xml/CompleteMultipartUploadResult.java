package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** CompleteMultipartUpload response; {@code etag} includes its quotes. */
@JacksonXmlRootElement(localName = "CompleteMultipartUploadResult")
@JsonPropertyOrder({"xmlns", "Location", "Bucket", "Key", "ETag", "checksums", "ChecksumType"})
public record CompleteMultipartUploadResult(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                            @JacksonXmlProperty(localName = "Location") String location,
                                            @JacksonXmlProperty(localName = "Bucket") String bucket,
                                            @JacksonXmlProperty(localName = "Key") String key,
                                            @JacksonXmlProperty(localName = "ETag") String etag,
                                            @JsonUnwrapped ChecksumValues checksums,
                                            @JacksonXmlProperty(localName = "ChecksumType") String checksumType) {
}

package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** CopyPart response; {@code etag} includes its quotes. */
@JacksonXmlRootElement(localName = "CopyPartResult")
@JsonPropertyOrder({"xmlns", "LastModified", "ETag", "checksums"})
public record CopyPartResult(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                 @JacksonXmlProperty(localName = "LastModified") String lastModified,
                 @JacksonXmlProperty(localName = "ETag") String etag,
                 @JsonUnwrapped ChecksumValues checksums) {
}

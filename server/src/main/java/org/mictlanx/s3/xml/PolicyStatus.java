package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** GetBucketPolicyStatus response: {@code <PolicyStatus><IsPublic>true</IsPublic></PolicyStatus>}. */
@JacksonXmlRootElement(localName = "PolicyStatus")
@JsonPropertyOrder({"xmlns", "IsPublic"})
public record PolicyStatus(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                           @JacksonXmlProperty(localName = "IsPublic") boolean isPublic) {
}

package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The PutPublicAccessBlock request body and GetPublicAccessBlock response. In a request a missing
 * element is null and reads as false, as S3 does.
 */
@JacksonXmlRootElement(localName = "PublicAccessBlockConfiguration")
@JsonPropertyOrder({"xmlns", "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"})
public record PublicAccessBlockConfiguration(
        @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
        @JacksonXmlProperty(localName = "BlockPublicAcls") Boolean blockPublicAcls,
        @JacksonXmlProperty(localName = "IgnorePublicAcls") Boolean ignorePublicAcls,
        @JacksonXmlProperty(localName = "BlockPublicPolicy") Boolean blockPublicPolicy,
        @JacksonXmlProperty(localName = "RestrictPublicBuckets") Boolean restrictPublicBuckets) {
}

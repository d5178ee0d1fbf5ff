package org.mictlanx.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;

/** GetBucketLocation response; S3 answers an empty element for us-east-1. */
@JacksonXmlRootElement(localName = "LocationConstraint")
public record LocationConstraint(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                 @JacksonXmlText String region) {

    public static LocationConstraint of(String region) {
        return new LocationConstraint(S3Xml.NS, "us-east-1".equals(region) ? "" : region);
    }
}

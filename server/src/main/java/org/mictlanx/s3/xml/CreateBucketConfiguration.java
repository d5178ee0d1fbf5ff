package org.mictlanx.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** CreateBucket request body; {@code locationConstraint} null or empty means the default region. */
@JacksonXmlRootElement(localName = "CreateBucketConfiguration")
public record CreateBucketConfiguration(
        @JacksonXmlProperty(localName = "LocationConstraint") String locationConstraint) {
}

package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** The Put/GetBucketOwnershipControls document: one rule naming the ObjectOwnership. */
@JacksonXmlRootElement(localName = "OwnershipControls")
@JsonPropertyOrder({"xmlns", "Rule"})
public record OwnershipControls(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                @JacksonXmlElementWrapper(useWrapping = false)
                                @JacksonXmlProperty(localName = "Rule") List<Rule> rules) {

    public record Rule(@JacksonXmlProperty(localName = "ObjectOwnership") String objectOwnership) {
    }
}

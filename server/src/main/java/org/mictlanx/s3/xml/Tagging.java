package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * An object's tag set: the PutObjectTagging request body and the GetObjectTagging response.
 * {@code tagSet} is null when a request has no {@code TagSet} element (MalformedXML for the caller).
 */
@JacksonXmlRootElement(localName = "Tagging")
@JsonPropertyOrder({"xmlns", "TagSet"})
public record Tagging(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                      @JacksonXmlProperty(localName = "TagSet") TagSet tagSet) {

    /** The tags in document order; {@code tags} is null or empty for an empty {@code <TagSet/>}. */
    public record TagSet(@JacksonXmlElementWrapper(useWrapping = false)
                         @JacksonXmlProperty(localName = "Tag") List<Tag> tags) {
    }

    /** One tag; a request tag without {@code Key} or {@code Value} has null there. */
    @JsonPropertyOrder({"Key", "Value"})
    public record Tag(@JacksonXmlProperty(localName = "Key") String key,
                      @JacksonXmlProperty(localName = "Value") String value) {
    }
}

package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** DeleteObjects request body; {@code quiet} null means verbose. */
@JacksonXmlRootElement(localName = "Delete")
public record Delete(@JacksonXmlElementWrapper(useWrapping = false)
                     @JacksonXmlProperty(localName = "Object") List<ObjectIdentifier> objects,
                     @JacksonXmlProperty(localName = "Quiet") Boolean quiet) {

    public record ObjectIdentifier(@JacksonXmlProperty(localName = "Key") String key,
                                   @JacksonXmlProperty(localName = "VersionId") String versionId) {
    }
}

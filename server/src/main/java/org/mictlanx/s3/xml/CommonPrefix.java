package org.mictlanx.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/** One {@code <CommonPrefixes><Prefix>..</Prefix></CommonPrefixes>} entry. */
public record CommonPrefix(@JacksonXmlProperty(localName = "Prefix") String prefix) {
}

package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/** An owner as S3 shows it: {@code <ID>} and {@code <DisplayName>}. */
@JsonPropertyOrder({"ID", "DisplayName"})
public record Owner(@JacksonXmlProperty(localName = "ID") String id,
                    @JacksonXmlProperty(localName = "DisplayName") String displayName) {
}

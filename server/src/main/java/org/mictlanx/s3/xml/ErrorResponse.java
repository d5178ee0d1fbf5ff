package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** The S3 error body: {@code <Error>} without a namespace, as S3 sends it. */
@JacksonXmlRootElement(localName = "Error")
@JsonPropertyOrder({"Code", "Message", "Resource", "RequestId"})
public record ErrorResponse(@JacksonXmlProperty(localName = "Code") String code,
                            @JacksonXmlProperty(localName = "Message") String message,
                            @JacksonXmlProperty(localName = "Resource") String resource,
                            @JacksonXmlProperty(localName = "RequestId") String requestId) {
}

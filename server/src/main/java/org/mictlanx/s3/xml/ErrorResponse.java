package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The S3 error body: {@code <Error>} without a namespace, as S3 sends it. {@code Region} (wrong
 * credential-scope region: the region clients should re-sign for) and {@code HeadersNotSigned} (the
 * unsigned {@code x-amz-*} headers) appear only on the errors that carry them.
 */
@JacksonXmlRootElement(localName = "Error")
@JsonPropertyOrder({"Code", "Message", "Region", "HeadersNotSigned", "Resource", "RequestId"})
public record ErrorResponse(@JacksonXmlProperty(localName = "Code") String code,
                            @JacksonXmlProperty(localName = "Message") String message,
                            @JacksonXmlProperty(localName = "Region") String region,
                            @JacksonXmlProperty(localName = "HeadersNotSigned") String headersNotSigned,
                            @JacksonXmlProperty(localName = "Resource") String resource,
                            @JacksonXmlProperty(localName = "RequestId") String requestId) {

    /** An error body without the optional elements. */
    public ErrorResponse(String code, String message, String resource, String requestId) {
        this(code, message, null, null, resource, requestId);
    }
}

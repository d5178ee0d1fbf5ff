package org.mictlanx.s3.cors;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The PutBucketCors request body and GetBucketCors answer, as S3's XML. Lists are null when the
 * element is absent (validated by {@link CorsRules#of}).
 */
@JacksonXmlRootElement(localName = "CORSConfiguration")
@JsonPropertyOrder({"xmlns", "CORSRule"})
public record CorsConfiguration(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                @JacksonXmlElementWrapper(useWrapping = false)
                                @JacksonXmlProperty(localName = "CORSRule") List<Rule> rules) {

    /** One {@code CORSRule}. */
    @JsonPropertyOrder({"ID", "AllowedHeader", "AllowedMethod", "AllowedOrigin", "ExposeHeader", "MaxAgeSeconds"})
    public record Rule(@JacksonXmlProperty(localName = "ID") String id,
                       @JacksonXmlElementWrapper(useWrapping = false)
                       @JacksonXmlProperty(localName = "AllowedHeader") List<String> allowedHeaders,
                       @JacksonXmlElementWrapper(useWrapping = false)
                       @JacksonXmlProperty(localName = "AllowedMethod") List<String> allowedMethods,
                       @JacksonXmlElementWrapper(useWrapping = false)
                       @JacksonXmlProperty(localName = "AllowedOrigin") List<String> allowedOrigins,
                       @JacksonXmlElementWrapper(useWrapping = false)
                       @JacksonXmlProperty(localName = "ExposeHeader") List<String> exposeHeaders,
                       @JacksonXmlProperty(localName = "MaxAgeSeconds") Integer maxAgeSeconds) {
    }
}

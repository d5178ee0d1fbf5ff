package org.mictlanx.s3.website;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The PutBucketWebsite request body and GetBucketWebsite answer, as S3's XML. Absent elements are
 * null (validated by {@link WebsiteRules#of}).
 */
@JacksonXmlRootElement(localName = "WebsiteConfiguration")
@JsonPropertyOrder({"xmlns", "RedirectAllRequestsTo", "IndexDocument", "ErrorDocument", "RoutingRules"})
public record WebsiteConfiguration(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                   @JacksonXmlProperty(localName = "RedirectAllRequestsTo") RedirectAll redirectAll,
                                   @JacksonXmlProperty(localName = "IndexDocument") IndexDocument indexDocument,
                                   @JacksonXmlProperty(localName = "ErrorDocument") ErrorDocument errorDocument,
                                   @JacksonXmlProperty(localName = "RoutingRules") RoutingRules routingRules) {

    /** The {@code RoutingRules} element; {@code rules} null when it is empty. */
    public record RoutingRules(@JacksonXmlElementWrapper(useWrapping = false)
                               @JacksonXmlProperty(localName = "RoutingRule") List<RoutingRule> rules) {
    }

    public record IndexDocument(@JacksonXmlProperty(localName = "Suffix") String suffix) {
    }

    public record ErrorDocument(@JacksonXmlProperty(localName = "Key") String key) {
    }

    @JsonPropertyOrder({"HostName", "Protocol"})
    public record RedirectAll(@JacksonXmlProperty(localName = "HostName") String hostName,
                              @JacksonXmlProperty(localName = "Protocol") String protocol) {
    }

    @JsonPropertyOrder({"Condition", "Redirect"})
    public record RoutingRule(@JacksonXmlProperty(localName = "Condition") Condition condition,
                              @JacksonXmlProperty(localName = "Redirect") Redirect redirect) {
    }

    @JsonPropertyOrder({"HttpErrorCodeReturnedEquals", "KeyPrefixEquals"})
    public record Condition(@JacksonXmlProperty(localName = "HttpErrorCodeReturnedEquals") String httpErrorCodeReturnedEquals,
                            @JacksonXmlProperty(localName = "KeyPrefixEquals") String keyPrefixEquals) {
    }

    @JsonPropertyOrder({"HostName", "HttpRedirectCode", "Protocol", "ReplaceKeyPrefixWith", "ReplaceKeyWith"})
    public record Redirect(@JacksonXmlProperty(localName = "HostName") String hostName,
                           @JacksonXmlProperty(localName = "HttpRedirectCode") String httpRedirectCode,
                           @JacksonXmlProperty(localName = "Protocol") String protocol,
                           @JacksonXmlProperty(localName = "ReplaceKeyPrefixWith") String replaceKeyPrefixWith,
                           @JacksonXmlProperty(localName = "ReplaceKeyWith") String replaceKeyWith) {
    }
}

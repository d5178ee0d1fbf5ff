package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The documents S3 answers for bucket configurations that are not configured (or fixed) here:
 * empty {@code BucketLoggingStatus}, {@code NotificationConfiguration}, {@code AccelerateConfiguration}
 * and {@code VersioningConfiguration}; {@code RequestPaymentConfiguration} with payer BucketOwner; and
 * {@code ServerSideEncryptionConfiguration} with the SSE-S3 (AES256) default every chunk already gets.
 */
public final class BucketConfigurationDocuments {

    private BucketConfigurationDocuments() {
    }

    /** GetBucketAccelerateConfiguration when acceleration was never set (no Status). */
    @JacksonXmlRootElement(localName = "AccelerateConfiguration")
    public record AccelerateConfiguration(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns) {
        public AccelerateConfiguration() {
            this(S3Xml.NS);
        }
    }

    /** GetBucketVersioning when versioning was never enabled (no Status). */
    @JacksonXmlRootElement(localName = "VersioningConfiguration")
    public record VersioningConfiguration(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns) {
        public VersioningConfiguration() {
            this(S3Xml.NS);
        }
    }

    /** GetBucketRequestPayment: the bucket owner pays. */
    @JacksonXmlRootElement(localName = "RequestPaymentConfiguration")
    @JsonPropertyOrder({"xmlns", "Payer"})
    public record RequestPaymentConfiguration(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                              @JacksonXmlProperty(localName = "Payer") String payer) {
        public RequestPaymentConfiguration() {
            this(S3Xml.NS, "BucketOwner");
        }
    }

    /** GetBucketEncryption: SSE-S3 (AES256) by default, no bucket key. */
    @JacksonXmlRootElement(localName = "ServerSideEncryptionConfiguration")
    @JsonPropertyOrder({"xmlns", "Rule"})
    public record ServerSideEncryptionConfiguration(
            @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
            @JacksonXmlProperty(localName = "Rule") Rule rule) {
        public ServerSideEncryptionConfiguration() {
            this(S3Xml.NS, new Rule(new ApplyServerSideEncryptionByDefault("AES256", null), false));
        }
    }

    /** The PutBucketEncryption request body: one or more rules (S3 takes exactly one). */
    @JacksonXmlRootElement(localName = "ServerSideEncryptionConfiguration")
    public record ServerSideEncryptionConfigurationInput(
            @JacksonXmlElementWrapper(useWrapping = false)
            @JacksonXmlProperty(localName = "Rule") List<RuleInput> rules) {
    }

    /** A request rule; absent elements are null. */
    public record RuleInput(@JacksonXmlProperty(localName = "ApplyServerSideEncryptionByDefault")
                            ApplyServerSideEncryptionByDefault byDefault,
                            @JacksonXmlProperty(localName = "BucketKeyEnabled") Boolean bucketKeyEnabled) {
    }

    @JsonPropertyOrder({"ApplyServerSideEncryptionByDefault", "BucketKeyEnabled"})
    public record Rule(@JacksonXmlProperty(localName = "ApplyServerSideEncryptionByDefault")
                       ApplyServerSideEncryptionByDefault byDefault,
                       @JacksonXmlProperty(localName = "BucketKeyEnabled") boolean bucketKeyEnabled) {
    }

    @JsonPropertyOrder({"SSEAlgorithm", "KMSMasterKeyID"})
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record ApplyServerSideEncryptionByDefault(@JacksonXmlProperty(localName = "SSEAlgorithm") String sseAlgorithm,
                                                     @JacksonXmlProperty(localName = "KMSMasterKeyID") String kmsMasterKeyId) {
    }
}

package org.mictlanx.s3.accesslog;


import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The PutBucketLogging body and GetBucketLogging answer, as S3's XML: {@code LoggingEnabled} with
 * {@code TargetBucket} and {@code TargetPrefix}, or nothing (logging off).
 */
@JacksonXmlRootElement(localName = "BucketLoggingStatus")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BucketLoggingStatus(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                  @JacksonXmlProperty(localName = "LoggingEnabled") LoggingEnabled loggingEnabled) {

    /** {@code LoggingEnabled}. {@code targetGrants} and {@code targetObjectKeyFormat} are read to be refused. */
    @JsonPropertyOrder({"TargetBucket", "TargetPrefix", "TargetGrants", "TargetObjectKeyFormat"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LoggingEnabled(@JacksonXmlProperty(localName = "TargetBucket") String targetBucket,
                                 @JacksonXmlProperty(localName = "TargetPrefix") String targetPrefix,
                                 @JacksonXmlProperty(localName = "TargetGrants") Object targetGrants,
                                 @JacksonXmlProperty(localName = "TargetObjectKeyFormat") KeyFormat targetObjectKeyFormat) {
    }

    /** {@code TargetObjectKeyFormat}: {@code SimplePrefix} (the default) is built, {@code PartitionedPrefix} is not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyFormat(@JacksonXmlProperty(localName = "SimplePrefix") Object simplePrefix,
                            @JacksonXmlProperty(localName = "PartitionedPrefix") Object partitionedPrefix) {
    }
}

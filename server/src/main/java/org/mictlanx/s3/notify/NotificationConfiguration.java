package org.mictlanx.s3.notify;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The PutBucketNotificationConfiguration body and GetBucketNotificationConfiguration answer, as
 * S3's XML. The three destination kinds share one shape ({@link Destination}): their ARN element is
 * {@code Queue}, {@code Topic} or {@code CloudFunction}. Absent elements are null;
 * {@link NotificationRules#of} validates a document.
 */
@JacksonXmlRootElement(localName = "NotificationConfiguration")
@JsonPropertyOrder({"xmlns", "TopicConfiguration", "QueueConfiguration", "CloudFunctionConfiguration", "EventBridgeConfiguration"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NotificationConfiguration(
        @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "TopicConfiguration") List<Destination> topics,
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "QueueConfiguration") List<Destination> queues,
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "CloudFunctionConfiguration") List<Destination> functions,
        @JacksonXmlProperty(localName = "EventBridgeConfiguration") EventBridge eventBridge) {

    /** One destination configuration; exactly one of {@code topic}, {@code queue}, {@code cloudFunction} is set. */
    @JsonPropertyOrder({"Id", "Topic", "Queue", "CloudFunction", "Event", "Filter"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Destination(@JacksonXmlProperty(localName = "Id") String id,
                              @JacksonXmlProperty(localName = "Topic") String topic,
                              @JacksonXmlProperty(localName = "Queue") String queue,
                              @JacksonXmlProperty(localName = "CloudFunction") String cloudFunction,
                              @JacksonXmlElementWrapper(useWrapping = false)
                              @JacksonXmlProperty(localName = "Event") List<String> events,
                              @JacksonXmlProperty(localName = "Filter") Filter filter) {

        /** The destination's ARN, whichever element carries it. */
        public String arn() {
            return topic != null ? topic : queue != null ? queue : cloudFunction;
        }
    }

    /** {@code Filter}: key name rules. */
    public record Filter(@JacksonXmlProperty(localName = "S3Key") S3Key s3Key) {
    }

    /** {@code S3Key}: up to one prefix and one suffix rule. */
    public record S3Key(@JacksonXmlElementWrapper(useWrapping = false)
                        @JacksonXmlProperty(localName = "FilterRule") List<FilterRule> rules) {
    }

    /** {@code FilterRule}: Name is {@code prefix} or {@code suffix}. */
    @JsonPropertyOrder({"Name", "Value"})
    public record FilterRule(@JacksonXmlProperty(localName = "Name") String name,
                             @JacksonXmlProperty(localName = "Value") String value) {
    }

    /** {@code EventBridgeConfiguration} (empty element; refused: there is no EventBridge here). */
    public record EventBridge() {
    }
}

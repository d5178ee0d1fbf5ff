package org.mictlanx.s3.notify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.xml.S3Xml;

/**
 * A bucket's validated notification configuration: which events of which keys go to which target
 * ARNs. Validation follows S3: every event type must be one this store emits, at most one
 * {@code prefix} and one {@code suffix} rule per filter, unique ids (missing ones are generated, as
 * S3 does), two configurations may not share an event type for overlapping key filters
 * ("Configurations overlap"), and every ARN must name a target the operator defined, else
 * InvalidArgument "Unable to validate the following destination configurations".
 */
public record NotificationRules(List<Rule> rules) {

    /** Largest accepted document. */
    public static final int MAX_DOCUMENT_BYTES = 256 * 1024;

    /** Event types accepted in a configuration (all are emitted by this store). */
    public static final Set<String> EVENTS = Set.of(
            "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
            "s3:ObjectCreated:CompleteMultipartUpload",
            "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
            "s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
            "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated");

    /** One destination: its id, target ARN, event types and key filter ({@code ""}: none). */
    public record Rule(String id, String arn, List<String> events, String prefix, String suffix) {

        /** Whether event {@code eventName} (e.g. {@code s3:ObjectCreated:Put}) of {@code key} goes to this rule's target. */
        public boolean matches(String eventName, String key) {
            return key.startsWith(prefix) && key.endsWith(suffix) && events.stream().anyMatch(e -> covers(e, eventName));
        }
    }

    /** The ARNs of the targets events of {@code eventName} for {@code key} are sent to (each once). */
    public List<String> targets(String eventName, String key) {
        return rules.stream().filter(r -> r.matches(eventName, key)).map(Rule::arn).distinct().toList();
    }

    /** The configuration id of the first rule matching (for the event's {@code configurationId}). */
    public String configurationId(String arn, String eventName, String key) {
        return rules.stream().filter(r -> r.arn().equals(arn) && r.matches(eventName, key)).map(Rule::id).findFirst().orElse("");
    }

    /** Validates {@code doc} against the operator's targets ({@code known}); S3's errors otherwise. */
    public static NotificationRules of(NotificationConfiguration doc, Predicate<String> known) {
        if (doc.eventBridge() != null) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "EventBridge notifications are not implemented");
        }
        List<Rule> rules = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (List<NotificationConfiguration.Destination> group : groups(doc)) {
            for (NotificationConfiguration.Destination d : group) {
                Rule r = rule(d);
                if (!ids.add(r.id())) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Configuration Id must be unique: " + r.id());
                }
                if (!known.test(r.arn())) unknown.add(r.arn());
                rules.add(r);
            }
        }
        if (!unknown.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "Unable to validate the following destination configurations: " + String.join(", ", unknown));
        }
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size(); j++) {
                if (overlap(rules.get(i), rules.get(j))) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                            "Configurations overlap. Configurations on the same bucket cannot share a common event type.");
                }
            }
        }
        return new NotificationRules(List.copyOf(rules));
    }

    /** The stored form of {@code doc}: ids filled in, each destination in its own element. */
    public static NotificationConfiguration normalized(NotificationConfiguration doc, NotificationRules rules) {
        List<List<NotificationConfiguration.Destination>> g = groups(doc);
        int[] at = {0};
        List<List<NotificationConfiguration.Destination>> out = new ArrayList<>();
        for (List<NotificationConfiguration.Destination> group : g) {
            List<NotificationConfiguration.Destination> list = new ArrayList<>();
            for (NotificationConfiguration.Destination d : group) {
                list.add(new NotificationConfiguration.Destination(rules.rules().get(at[0]++).id(), d.topic(), d.queue(),
                        d.cloudFunction(), d.events(), d.filter()));
            }
            out.add(list);
        }
        return new NotificationConfiguration(S3Xml.NS, out.get(0), out.get(1), out.get(2), null);
    }

    private static List<List<NotificationConfiguration.Destination>> groups(NotificationConfiguration doc) {
        return List.of(doc.topics() == null ? List.of() : doc.topics(), doc.queues() == null ? List.of() : doc.queues(),
                doc.functions() == null ? List.of() : doc.functions());
    }

    private static Rule rule(NotificationConfiguration.Destination d) {
        int arns = (d.topic() != null ? 1 : 0) + (d.queue() != null ? 1 : 0) + (d.cloudFunction() != null ? 1 : 0);
        if (arns != 1 || d.arn().isBlank()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        if (d.events() == null || d.events().isEmpty()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        for (String e : d.events()) {
            if (!EVENTS.contains(e)) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The event is not supported for notifications: " + e);
            }
        }
        String prefix = null;
        String suffix = null;
        if (d.filter() != null && d.filter().s3Key() != null && d.filter().s3Key().rules() != null) {
            for (NotificationConfiguration.FilterRule f : d.filter().s3Key().rules()) {
                String name = f.name() == null ? "" : f.name();
                String value = f.value() == null ? "" : f.value();
                if (value.length() > 1024) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The filter rule value cannot exceed 1024 characters");
                }
                if (name.equalsIgnoreCase("prefix")) {
                    if (prefix != null) {
                        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Cannot specify more than one prefix rule in a filter.");
                    }
                    prefix = value;
                } else if (name.equalsIgnoreCase("suffix")) {
                    if (suffix != null) {
                        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Cannot specify more than one suffix rule in a filter.");
                    }
                    suffix = value;
                } else {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "filter rule name must be either prefix or suffix");
                }
            }
        }
        String id = d.id() == null || d.id().isBlank() ? UUID.randomUUID().toString() : d.id();
        return new Rule(id, d.arn(), List.copyOf(d.events()), prefix == null ? "" : prefix, suffix == null ? "" : suffix);
    }

    /** S3's overlap: a shared event type and key filters some key satisfies both. */
    private static boolean overlap(Rule a, Rule b) {
        boolean shared = a.events().stream().anyMatch(x -> b.events().stream().anyMatch(y -> covers(x, y) || covers(y, x)));
        boolean prefixes = a.prefix().startsWith(b.prefix()) || b.prefix().startsWith(a.prefix());
        boolean suffixes = a.suffix().endsWith(b.suffix()) || b.suffix().endsWith(a.suffix());
        return shared && prefixes && suffixes;
    }

    /** Whether configured type {@code configured} (maybe a {@code :*} wildcard) covers {@code event}. */
    static boolean covers(String configured, String event) {
        if (configured.endsWith(":*")) {
            return event.startsWith(configured.substring(0, configured.length() - 1));
        }
        return configured.equals(event);
    }
}

package org.mictlanx.s3.notify;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The event targets the operator defined, by ARN. Webhooks come from the {@code notify-webhooks}
 * setting, {@code ID=URL[,ID=URL...]}, each named {@code arn:mictlanx:sqs::ID:webhook} (MinIO's
 * form); other kinds are added with {@link #with}. Immutable.
 */
public final class NotificationTargets {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Map<String, EventTarget> byArn;
    private final Duration timeout;

    private NotificationTargets(Map<String, EventTarget> byArn, Duration timeout) {
        this.byArn = Map.copyOf(byArn);
        this.timeout = timeout;
    }

    /** No targets: every destination is refused. */
    public static NotificationTargets none() {
        return new NotificationTargets(Map.of(), Duration.ofSeconds(10));
    }

    /** {@code id} if it is a valid target id (1-64 of [A-Za-z0-9_-]); IllegalArgumentException otherwise. */
    public static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a target id is 1-64 of [A-Za-z0-9_-], got " + id);
        }
        return id;
    }

    /** The id part of {@code arn:mictlanx:sqs::ID:KIND} (the whole ARN if it has another form). */
    public static String idOf(String arn) {
        String[] p = arn.split(":");
        return p.length == 6 ? p[4] : arn;
    }

    /** A webhook target {@code arn} posting to {@code url} with this set's delivery timeout. */
    public WebhookTarget webhook(String arn, URI url) {
        return new WebhookTarget(arn, url, timeout);
    }

    /** The ARN of webhook {@code id}. */
    public static String webhookArn(String id) {
        return "arn:mictlanx:sqs::" + id + ":webhook";
    }

    /** Parses {@code ID=URL[,ID=URL...]} (blank: none); IllegalArgumentException on a bad entry. */
    public static NotificationTargets webhooks(String setting, Duration timeout) {
        Map<String, EventTarget> m = new LinkedHashMap<>();
        if (setting != null && !setting.isBlank()) {
            for (String entry : setting.split(",")) {
                int eq = entry.indexOf('=');
                String id = eq < 0 ? "" : entry.substring(0, eq).trim();
                if (!ID.matcher(id).matches()) {
                    throw new IllegalArgumentException("--notify-webhooks: expected ID=URL with ID of [A-Za-z0-9_-], got " + entry);
                }
                WebhookTarget t = new WebhookTarget(webhookArn(id), URI.create(entry.substring(eq + 1).trim()), timeout);
                if (m.put(t.arn(), t) != null) {
                    throw new IllegalArgumentException("--notify-webhooks: duplicate id " + id);
                }
            }
        }
        return new NotificationTargets(m, timeout);
    }

    /** These targets plus {@code target} (an extension's queue, say). */
    public NotificationTargets with(EventTarget target) {
        Map<String, EventTarget> m = new LinkedHashMap<>(byArn);
        m.put(target.arn(), target);
        return new NotificationTargets(m, timeout);
    }

    public boolean known(String arn) {
        return byArn.containsKey(arn);
    }

    public Optional<EventTarget> target(String arn) {
        return Optional.ofNullable(byArn.get(arn));
    }

    public Collection<EventTarget> all() {
        return byArn.values();
    }
}

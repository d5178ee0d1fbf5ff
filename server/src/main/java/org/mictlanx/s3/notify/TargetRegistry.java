package org.mictlanx.s3.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.mictlanx.router.MetaTable;

/**
 * Every event target a router knows: the fixed ones of its settings ({@link NotificationTargets}:
 * {@code notify-webhooks} and extensions) plus the webhooks added with {@code mictlanx admin notify
 * target add}, which live in the replicated metadata (partition {@value #PARTITION}, sort key = the
 * target id, value = the URL) so every router sees them. Lookups answer from a read at most
 * {@link #TTL_NANOS} old (a target added or removed through another router is seen within it; one
 * added or removed here at once). An id defined in the settings cannot be added or removed here.
 *
 * <p>Removal is two-step so that no configuration naming the target slips in meanwhile, through any
 * router: {@link #beginRemoval} marks the stored target {@code removing} (value {@value #REMOVING}
 * + URL; it still delivers), the caller then checks every configuration and either
 * {@link #finishRemoval finishes} or {@link #abortRemoval aborts}. A configuration is validated
 * against {@link #usable}, a fresh quorum read that sees a target being removed as unusable, before it
 * is stored and again after ({@link NotificationConfigs#put}): since each side writes before it reads
 * the other's record, one of the two always sees the other.
 */
public final class TargetRegistry {

    /** The metadata partition of the targets added through the admin API. */
    public static final String PARTITION = "s3.notify-targets";
    /** How long lookups may answer from an earlier read of the stored targets: 2 s. */
    public static final long TTL_NANOS = 2_000_000_000L;
    static final int MAX_STORED = 1000;
    /** The value prefix of a stored target being removed. */
    static final String REMOVING = "removing ";

    /** A defined target as listed: {@code source} is {@code settings} or {@code admin}. */
    public record Defined(String id, String arn, String url, String source) {
    }

    private record Snapshot(Map<String, EventTarget> byArn, List<Defined> defined, long readAt) {
    }

    private final MetaTable table;
    private final NotificationTargets fixed;
    private final LongSupplier nanoTime;
    private volatile Snapshot stored;

    public TargetRegistry(MetaTable table, NotificationTargets fixed, LongSupplier nanoTime) {
        this.table = table;
        this.fixed = fixed;
        this.nanoTime = nanoTime;
    }

    /** Only the settings' targets, nothing stored (tests and embedders without metadata). */
    public static TargetRegistry fixed(NotificationTargets targets) {
        return new TargetRegistry(null, targets, System::nanoTime);
    }

    /** Whether a configuration may name {@code arn}. */
    public boolean known(String arn) {
        return target(arn).isPresent();
    }

    /** The target of {@code arn}: a settings target first, then a stored one. */
    public Optional<EventTarget> target(String arn) {
        Optional<EventTarget> t = fixed.target(arn);
        return t.isPresent() ? t : Optional.ofNullable(snapshot(false).byArn().get(arn));
    }

    /** Every target (settings first). */
    public Collection<EventTarget> all() {
        List<EventTarget> out = new ArrayList<>(fixed.all());
        snapshot(false).byArn().values().stream().filter(t -> fixed.target(t.arn()).isEmpty()).forEach(out::add);
        return out;
    }

    /** Every target with its id, URL and source, from a fresh (quorum) read. */
    public List<Defined> list() {
        List<Defined> out = new ArrayList<>();
        for (EventTarget t : fixed.all()) {
            out.add(new Defined(NotificationTargets.idOf(t.arn()), t.arn(),
                    t instanceof WebhookTarget w ? w.url().toString() : "-", "settings"));
        }
        out.addAll(snapshot(true).defined());
        return out;
    }

    /**
     * Adds (or replaces) the webhook {@code id} at {@code url}; IllegalArgumentException on a bad id or
     * URL, {@link Refused} when the id is one of the settings'.
     */
    public Defined add(String id, String url) {
        requireStore();
        String arn = NotificationTargets.webhookArn(NotificationTargets.checkId(id));
        WebhookTarget t = fixed.webhook(arn, URI.create(url.strip()));
        if (fixed.known(arn)) throw new Refused("TargetFromSettings", "target " + id + " is defined by the notify-webhooks setting");
        if (snapshot(true).defined().size() >= MAX_STORED && snapshot(false).byArn().get(arn) == null) {
            throw new Refused("TooManyTargets", "at most " + MAX_STORED + " targets may be added");
        }
        table.put(PARTITION, id, t.url().toString().getBytes(StandardCharsets.UTF_8));
        stored = null;
        return new Defined(id, arn, t.url().toString(), "admin");
    }

    /** Removes the stored webhook {@code id} at once (no configuration check); {@link Refused} as {@link #beginRemoval}. */
    public void remove(String id) {
        beginRemoval(id);
        finishRemoval(id);
    }

    /**
     * Marks the stored webhook {@code id} as being removed (quorum write) and returns its URL; from now
     * on {@link #usable} is false for it. {@link Refused} when it is unknown or from the settings.
     */
    public String beginRemoval(String id) {
        requireStore();
        String arn = NotificationTargets.webhookArn(NotificationTargets.checkId(id));
        if (fixed.known(arn)) throw new Refused("TargetFromSettings", "target " + id + " is defined by the notify-webhooks setting");
        Optional<byte[]> cur = table.get(PARTITION, id);
        if (cur.isEmpty()) throw new Refused("NoSuchTarget", "no target " + id);
        String url = url(cur.get());
        table.put(PARTITION, id, (REMOVING + url).getBytes(StandardCharsets.UTF_8));
        stored = null;
        return url;
    }

    /** Ends a removal: the target goes. */
    public void finishRemoval(String id) {
        table.delete(PARTITION, id);
        stored = null;
    }

    /** Cancels a removal: the target at {@code url} is usable again. */
    public void abortRemoval(String id, String url) {
        table.put(PARTITION, id, url.getBytes(StandardCharsets.UTF_8));
        stored = null;
    }

    /**
     * Whether a configuration may name {@code arn} now, from a fresh (quorum) read: a settings target,
     * or a stored one that is not being removed.
     */
    public boolean usable(String arn) {
        if (fixed.known(arn)) return true;
        if (table == null) return false;
        String id = NotificationTargets.idOf(arn);
        if (!arn.equals(NotificationTargets.webhookArn(id))) return false;
        return table.get(PARTITION, id).filter(v -> !new String(v, StandardCharsets.UTF_8).startsWith(REMOVING)).isPresent();
    }

    private static String url(byte[] value) {
        String v = new String(value, StandardCharsets.UTF_8);
        return v.startsWith(REMOVING) ? v.substring(REMOVING.length()) : v;
    }

    private void requireStore() {
        if (table == null) throw new IllegalStateException("no replicated metadata: targets come from the settings only");
    }

    private Snapshot snapshot(boolean fresh) {
        if (table == null) return new Snapshot(Map.of(), List.of(), 0);
        Snapshot s = stored;
        long now = nanoTime.getAsLong();
        if (!fresh && s != null && now - s.readAt() >= 0 && now - s.readAt() < TTL_NANOS) return s;
        Map<String, EventTarget> byArn = new LinkedHashMap<>();
        List<Defined> defined = new ArrayList<>();
        for (MetaTable.Entry e : table.scan(PARTITION, "", "", MAX_STORED)) {
            String arn = NotificationTargets.webhookArn(e.sortKey());
            String url = url(e.value()); // a target being removed still delivers
            try {
                byArn.put(arn, fixed.webhook(arn, URI.create(url)));
                defined.add(new Defined(e.sortKey(), arn, url, "admin"));
            } catch (IllegalArgumentException bad) {
                // never stored by add(); skipped rather than failing every lookup
            }
        }
        Snapshot fresher = new Snapshot(Map.copyOf(byArn), List.copyOf(defined), now);
        stored = fresher;
        return fresher;
    }

    /** A refused target change: {@code code} names why (TargetFromSettings, NoSuchTarget, TargetInUse, ...). */
    public static final class Refused extends RuntimeException {
        private final String code;

        public Refused(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}

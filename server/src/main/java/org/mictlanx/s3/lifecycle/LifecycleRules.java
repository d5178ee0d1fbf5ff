package org.mictlanx.s3.lifecycle;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;

/**
 * A validated lifecycle configuration: what {@link LifecycleConfiguration} asks, checked as S3 checks
 * it, and the decisions derived from it (which rules cover a ball, when it expires). Validation
 * (S3's errors): no rule or more than {@value #MAX_RULES} → MalformedXML; an ID longer than
 * {@value #MAX_ID_CHARS} characters or used twice → InvalidArgument (a missing ID is generated, as
 * S3 does); Status other than Enabled/Disabled, both or neither of Filter and the legacy Prefix,
 * several predicates outside {@code And}, an Expiration with not exactly one of Date/Days/
 * ExpiredObjectDeleteMarker → MalformedXML; a rule without action → InvalidRequest; non-positive
 * days, a Date not at midnight UTC, NewerNoncurrentVersions outside 1..100, bad size bounds, an
 * AbortIncompleteMultipartUpload or ExpiredObjectDeleteMarker with tag (or size) filters →
 * InvalidArgument; any Transition or NoncurrentVersionTransition → InvalidStorageClass (this store
 * has a single storage class to keep data in).
 */
public record LifecycleRules(List<Rule> rules) {

    /** At most this many rules per configuration, as S3. */
    public static final int MAX_RULES = 1000;
    /** Longest rule ID, as S3. */
    public static final int MAX_ID_CHARS = 255;
    /** Largest request body accepted (1000 rules with long IDs, prefixes and tags fit). */
    public static final int MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

    public LifecycleRules {
        rules = List.copyOf(rules);
    }

    /** Which balls a rule covers: all conditions must hold (null: no condition). */
    public record Filter(String prefix, Map<String, String> tags, Long sizeGreaterThan, Long sizeLessThan) {

        public Filter {
            tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        }

        /** Whether a ball (or upload, with its key only) with this key, tag set and size is covered. */
        public boolean matches(String key, Map<String, String> ballTags, long size) {
            if (prefix != null && !key.startsWith(prefix)) return false;
            for (Map.Entry<String, String> t : tags.entrySet()) {
                if (!t.getValue().equals(ballTags.get(t.getKey()))) return false;
            }
            if (sizeGreaterThan != null && size <= sizeGreaterThan) return false;
            return sizeLessThan == null || size < sizeLessThan;
        }
    }

    /**
     * One rule. Null actions are absent. {@code expirationDate} is midnight UTC.
     */
    public record Rule(String id, boolean enabled, Filter filter, Integer expirationDays, Instant expirationDate,
                       boolean expiredObjectDeleteMarker, Integer noncurrentDays, Integer newerNoncurrentVersions,
                       Integer abortDaysAfterInitiation) {

        /** Whether this rule expires current versions (by Days or Date). */
        public boolean expiresCurrent() {
            return enabled && (expirationDays != null || expirationDate != null);
        }

        /** Whether this rule expires noncurrent versions or removes expired delete markers. */
        public boolean expiresVersions() {
            return enabled && (noncurrentDays != null || expiredObjectDeleteMarker);
        }

        /** Whether this rule aborts incomplete multipart uploads. */
        public boolean abortsUploads() {
            return enabled && abortDaysAfterInitiation != null;
        }
    }

    /** When a ball expires and by which rule (the {@code x-amz-expiration} header's content). */
    public record Expiry(Instant at, String ruleId) {
    }

    /** Validates {@code doc} and returns its rules; throws the S3 error S3 answers otherwise. */
    public static LifecycleRules of(LifecycleConfiguration doc) {
        return new LifecycleRules(validate(doc).rules);
    }

    /** The document to store: {@code doc} with generated IDs for rules that had none and dates normalized. */
    public static LifecycleConfiguration normalized(LifecycleConfiguration doc) {
        return validate(doc).document;
    }

    private record Validated(List<Rule> rules, LifecycleConfiguration document) {
    }

    private static Validated validate(LifecycleConfiguration doc) {
        if (doc.rules() == null || doc.rules().isEmpty() || doc.rules().size() > MAX_RULES) throw malformed();
        Set<String> ids = new HashSet<>();
        List<Rule> rules = new ArrayList<>();
        List<LifecycleConfiguration.Rule> normalized = new ArrayList<>();
        for (LifecycleConfiguration.Rule r : doc.rules()) {
            if (r == null) throw malformed();
            String id = r.id() == null || r.id().isEmpty() ? UUID.randomUUID().toString() : r.id();
            if (id.length() > MAX_ID_CHARS) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "ID length should not exceed allowed limit of " + MAX_ID_CHARS);
            }
            if (!ids.add(id)) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Rule ID must be unique. Found same ID for more than one rule");
            }
            if (!"Enabled".equals(r.status()) && !"Disabled".equals(r.status())) throw malformed();
            if ((r.filter() == null) == (r.prefix() == null)) throw malformed();
            Filter filter = r.filter() != null ? filter(r.filter()) : new Filter(r.prefix().isEmpty() ? null : r.prefix(), null, null, null);
            if ((r.transitions() != null && !r.transitions().isEmpty())
                    || (r.noncurrentTransitions() != null && !r.noncurrentTransitions().isEmpty())) {
                throw new S3Exception(S3ErrorCode.INVALID_STORAGE_CLASS,
                        "The storage class you specified is not valid: this store keeps every object in one storage class, so Transition and NoncurrentVersionTransition are not supported");
            }
            if (r.expiration() == null && r.noncurrentExpiration() == null && r.abort() == null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "At least one action needs to be specified in a rule");
            }
            Integer days = null;
            Instant date = null;
            boolean deleteMarkers = false;
            LifecycleConfiguration.Expiration expiration = r.expiration();
            if (expiration != null) {
                int set = (expiration.date() != null ? 1 : 0) + (expiration.days() != null ? 1 : 0)
                        + (expiration.expiredObjectDeleteMarker() != null ? 1 : 0);
                if (set != 1) throw malformed();
                if (expiration.days() != null) {
                    days = positive(expiration.days(), "'Days' for Expiration action must be a positive integer");
                } else if (expiration.date() != null) {
                    date = midnight(expiration.date());
                    expiration = new LifecycleConfiguration.Expiration(date.toString().replace("T00:00:00Z", "T00:00:00.000Z"), null, null);
                } else {
                    deleteMarkers = expiration.expiredObjectDeleteMarker();
                    if (deleteMarkers && (!filter.tags().isEmpty())) {
                        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                                "ExpiredObjectDeleteMarker cannot be specified with tag-based filters");
                    }
                }
            }
            Integer noncurrentDays = null;
            Integer newer = null;
            if (r.noncurrentExpiration() != null) {
                if (r.noncurrentExpiration().noncurrentDays() == null) throw malformed();
                noncurrentDays = positive(r.noncurrentExpiration().noncurrentDays(),
                        "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
                newer = r.noncurrentExpiration().newerNoncurrentVersions();
                if (newer != null && (newer < 1 || newer > 100)) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                            "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer between 1 and 100");
                }
            }
            Integer abort = null;
            if (r.abort() != null) {
                if (r.abort().daysAfterInitiation() == null) throw malformed();
                abort = positive(r.abort().daysAfterInitiation(),
                        "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
                if (!filter.tags().isEmpty()) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "AbortIncompleteMultipartUpload cannot be specified with Tags");
                }
                if (filter.sizeGreaterThan() != null || filter.sizeLessThan() != null) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                            "AbortIncompleteMultipartUpload cannot be specified with Object Size");
                }
            }
            rules.add(new Rule(id, "Enabled".equals(r.status()), filter, days, date, deleteMarkers, noncurrentDays, newer, abort));
            normalized.add(new LifecycleConfiguration.Rule(id, r.filter(), r.prefix(), r.status(), null, null, expiration,
                    r.noncurrentExpiration(), r.abort()));
        }
        return new Validated(rules, new LifecycleConfiguration(org.mictlanx.s3.xml.S3Xml.NS, normalized));
    }

    private static Filter filter(LifecycleConfiguration.Filter f) {
        int set = (f.prefix() != null ? 1 : 0) + (f.tags() != null ? f.tags().size() : 0)
                + (f.objectSizeGreaterThan() != null ? 1 : 0) + (f.objectSizeLessThan() != null ? 1 : 0) + (f.and() != null ? 1 : 0);
        if (set > 1) throw malformed();
        if (f.and() != null) {
            LifecycleConfiguration.And a = f.and();
            return sized(a.prefix(), tags(a.tags()), a.objectSizeGreaterThan(), a.objectSizeLessThan());
        }
        return sized(f.prefix(), tags(f.tags()), f.objectSizeGreaterThan(), f.objectSizeLessThan());
    }

    private static Filter sized(String prefix, Map<String, String> tags, Long greater, Long less) {
        if ((greater != null && greater < 0) || (less != null && less <= 0)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Object size filters must be non-negative (ObjectSizeLessThan positive)");
        }
        if (greater != null && less != null && greater >= less) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "ObjectSizeGreaterThan must be less than ObjectSizeLessThan");
        }
        return new Filter(prefix == null || prefix.isEmpty() ? null : prefix, tags, greater, less);
    }

    private static Map<String, String> tags(List<LifecycleConfiguration.Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags == null) return out;
        for (LifecycleConfiguration.Tag t : tags) {
            if (t == null || t.key() == null || t.key().isEmpty() || t.key().length() > 128) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The TagKey you have provided is invalid");
            }
            String value = t.value() == null ? "" : t.value();
            if (value.length() > 256) throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The TagValue you have provided is invalid");
            if (out.put(t.key(), value) != null) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Duplicate Tag Keys are not allowed.");
            }
        }
        return out;
    }

    private static int positive(int v, String message) {
        if (v < 1) throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message);
        return v;
    }

    private static Instant midnight(String text) {
        Instant t;
        try {
            t = text.length() == 10 ? LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC)
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid date: 'Date' must be in ISO 8601 format");
        }
        if (t.getEpochSecond() % 86_400 != 0 || t.getNano() != 0) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "'Date' must be at midnight GMT");
        }
        return t;
    }

    private static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_XML);
    }

    // ---- decisions ----

    /**
     * When S3 counts {@code days} days from {@code start}: the start plus that many days, rounded up
     * to the next day boundary (midnight UTC for real days; with a scaled day, the next multiple of
     * {@code dayMillis} since the epoch).
     */
    public static Instant due(Instant start, int days, long dayMillis) {
        long t = start.toEpochMilli() + days * dayMillis;
        return Instant.ofEpochMilli(Math.floorDiv(t, dayMillis) * dayMillis + dayMillis);
    }

    /** The earliest expiration of a current ball by an enabled Days/Date rule covering it; empty when none covers it. */
    public Optional<Expiry> currentExpiry(String key, Map<String, String> tags, long size, Instant lastModified, long dayMillis) {
        Expiry best = null;
        for (Rule r : rules) {
            if (!r.expiresCurrent() || !r.filter().matches(key, tags, size)) continue;
            Instant at = r.expirationDays() != null ? due(lastModified, r.expirationDays(), dayMillis) : r.expirationDate();
            if (best == null || at.isBefore(best.at())) best = new Expiry(at, r.id());
        }
        return Optional.ofNullable(best);
    }

    /**
     * When an upload of {@code key} initiated at {@code initiated} becomes eligible for abortion, and by
     * which rule (the earliest enabled AbortIncompleteMultipartUpload rule whose prefix covers the key);
     * empty when none does. S3's {@code x-amz-abort-date} and {@code x-amz-abort-rule-id}.
     */
    public Optional<Expiry> abortExpiry(String key, Instant initiated, long dayMillis) {
        Expiry best = null;
        for (Rule r : rules) {
            if (!r.abortsUploads() || !r.filter().matches(key, Map.of(), 0)) continue;
            Instant at = due(initiated, r.abortDaysAfterInitiation(), dayMillis);
            if (best == null || at.isBefore(best.at())) best = new Expiry(at, r.id());
        }
        return Optional.ofNullable(best);
    }

    /** Whether any enabled rule expires current versions / versions / uploads. */
    public boolean expiresCurrent() {
        return rules.stream().anyMatch(Rule::expiresCurrent);
    }

    public boolean expiresVersions() {
        return rules.stream().anyMatch(Rule::expiresVersions);
    }

    public boolean abortsUploads() {
        return rules.stream().anyMatch(Rule::abortsUploads);
    }
}

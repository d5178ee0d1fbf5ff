package org.mictlanx.s3.cors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;

/**
 * A validated CORS configuration and its matching, as S3 evaluates it: rules in document order, the
 * first rule whose {@code AllowedOrigin} matches the request's {@code Origin} (at most one {@code *}
 * wildcard each, case-sensitive), whose {@code AllowedMethod} names the method, and whose
 * {@code AllowedHeader}s (case-insensitive, at most one {@code *} each) cover every header the
 * preflight announces, wins.
 *
 * <p>Limits and errors as S3: at most {@link #MAX_RULES} rules (and a document of at most 64 KB,
 * checked by the handler); a rule without origin or method, or a document without rules, is
 * MalformedXML; a method other than GET/PUT/HEAD/POST/DELETE, an origin or allowed header with two
 * wildcards, a wildcard expose header, an ID over 255 characters or a negative MaxAgeSeconds is
 * InvalidRequest with S3's message.
 */
public record CorsRules(List<CorsConfiguration.Rule> rules) {

    /** S3's limit on rules per configuration. */
    public static final int MAX_RULES = 100;
    /** S3's limit on the configuration document. */
    public static final int MAX_DOCUMENT_BYTES = 64 * 1024;
    private static final Set<String> METHODS = Set.of("GET", "PUT", "HEAD", "POST", "DELETE");

    public CorsRules {
        rules = List.copyOf(rules);
    }

    /** Validates a parsed document; throws {@link S3Exception} as S3 does. */
    public static CorsRules of(CorsConfiguration doc) {
        if (doc.rules() == null || doc.rules().isEmpty()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        if (doc.rules().size() > MAX_RULES) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The number of CORS rules should not exceed allowed limit of " + MAX_RULES + " rules.");
        }
        List<CorsConfiguration.Rule> out = new ArrayList<>();
        for (CorsConfiguration.Rule r : doc.rules()) {
            if (r == null || empty(r.allowedOrigins()) || empty(r.allowedMethods())) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            for (String m : r.allowedMethods()) {
                if (m == null || !METHODS.contains(m.strip())) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "Found unsupported HTTP method in CORS config. Unsupported method is " + m);
                }
            }
            for (String o : r.allowedOrigins()) {
                if (o == null || wildcards(o) > 1) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "AllowedOrigin \"" + o + "\" can not have more than one wildcard.");
                }
            }
            for (String h : list(r.allowedHeaders())) {
                if (h == null || wildcards(h) > 1) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "AllowedHeader \"" + h + "\" can not have more than one wildcard.");
                }
            }
            for (String h : list(r.exposeHeaders())) {
                if (h == null || h.contains("*")) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "ExposeHeader \"" + h
                            + "\" contains wildcard. We currently do not support wildcard for ExposeHeader.");
                }
            }
            if (r.id() != null && r.id().length() > 255) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "ID element of the CORS rule is too long.");
            }
            if (r.maxAgeSeconds() != null && r.maxAgeSeconds() < 0) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            out.add(new CorsConfiguration.Rule(r.id(), trimmed(r.allowedHeaders()), trimmed(r.allowedMethods()),
                    trimmed(r.allowedOrigins()), trimmed(r.exposeHeaders()), r.maxAgeSeconds()));
        }
        return new CorsRules(out);
    }

    /** The document to store and to answer GetBucketCors with. */
    public CorsConfiguration toDocument() {
        return new CorsConfiguration(org.mictlanx.s3.xml.S3Xml.NS, rules);
    }

    /**
     * The first rule allowing {@code origin} to use {@code method} with the {@code requestHeaders}
     * (lower-case names; empty for an actual request, whose headers S3 does not match).
     */
    public Optional<CorsConfiguration.Rule> match(String origin, String method, List<String> requestHeaders) {
        for (CorsConfiguration.Rule r : rules) {
            if (r.allowedMethods().contains(method) && r.allowedOrigins().stream().anyMatch(o -> glob(o, origin, false))
                    && requestHeaders.stream().allMatch(h -> list(r.allowedHeaders()).stream()
                    .anyMatch(a -> glob(a, h, true)))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code pattern} (at most one {@code *}) matches {@code value}. */
    static boolean glob(String pattern, String value, boolean ignoreCase) {
        String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        int star = p.indexOf('*');
        if (star < 0) {
            return p.equals(v);
        }
        String head = p.substring(0, star);
        String tail = p.substring(star + 1);
        return v.length() >= head.length() + tail.length() && v.startsWith(head) && v.endsWith(tail);
    }

    private static int wildcards(String s) {
        return (int) s.chars().filter(c -> c == '*').count();
    }

    private static boolean empty(List<String> l) {
        return l == null || l.isEmpty();
    }

    static List<String> list(List<String> l) {
        return l == null ? List.of() : l;
    }

    private static List<String> trimmed(List<String> l) {
        return l == null || l.isEmpty() ? null : l.stream().map(String::strip).toList();
    }
}

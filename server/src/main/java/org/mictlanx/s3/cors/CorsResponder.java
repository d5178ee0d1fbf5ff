package org.mictlanx.s3.cors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.xml.S3Xml;

/**
 * Answers CORS preflights ({@code OPTIONS}, before and without authentication, as S3) and computes
 * the {@code Access-Control-*} headers of actual requests, error responses included (a browser
 * reads an S3 error body only when they are there). The rules are the bucket's CORS configuration,
 * else the store-wide default (setting {@code cors-allowed-origins}), which also covers
 * service-level requests such as ListBuckets.
 */
public final class CorsResponder {

    /** The headers S3 names in {@code Vary} on every response of a bucket with CORS rules. */
    public static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
    private static final Set<String> METHODS = Set.of("GET", "PUT", "HEAD", "POST", "DELETE");

    private final BucketConfigurations configs;
    private final S3Xml xml;
    private final Optional<CorsRules> storeDefault;

    /** @param storeDefault rules for buckets without their own configuration (and the service level) */
    public CorsResponder(BucketConfigurations configs, S3Xml xml, Optional<CorsRules> storeDefault) {
        this.configs = configs;
        this.xml = xml;
        this.storeDefault = storeDefault;
    }

    /**
     * The store-wide default rule for these origins (wildcards as in AllowedOrigin): every S3 method,
     * any request header, the S3 response headers a web application reads exposed, cached an hour.
     */
    public static Optional<CorsRules> defaultFor(String origins) {
        if (origins == null || origins.isBlank()) {
            return Optional.empty();
        }
        List<String> list = Arrays.stream(origins.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        CorsConfiguration.Rule rule = new CorsConfiguration.Rule("store-default", List.of("*"),
                List.of("GET", "PUT", "HEAD", "POST", "DELETE"), list,
                List.of("ETag", "x-amz-request-id", "x-amz-id-2", "x-amz-version-id", "Content-Length",
                        "Content-Type", "Last-Modified"), 3600);
        return Optional.of(CorsRules.of(new CorsConfiguration(null, List.of(rule))));
    }

    /**
     * The answer to a preflight for {@code bucket} (empty: the bucket does not exist, or the request
     * is service-level when {@code bucketName} is empty).
     *
     * @param requestHeaders the {@code Access-Control-Request-Headers} value, or null
     */
    public S3Response preflight(Optional<String> bucketName, Optional<BucketInfo> bucket, String origin,
                                String requestMethod, String requestHeaders) {
        if (origin == null || origin.isBlank()) {
            throw new S3Exception(S3ErrorCode.BAD_REQUEST, "Insufficient information. Origin request header needed.");
        }
        if (requestMethod == null || !METHODS.contains(requestMethod.strip())) {
            throw new S3Exception(S3ErrorCode.BAD_REQUEST,
                    "Invalid Access-Control-Request-Method: " + (requestMethod == null ? "null" : requestMethod));
        }
        if (bucketName.isPresent() && bucket.isEmpty()) {
            throw new S3Exception(S3ErrorCode.ACCESS_FORBIDDEN, "CORSResponse: Bucket not found");
        }
        CorsRules rules = rules(bucket).orElseThrow(() -> new S3Exception(S3ErrorCode.ACCESS_FORBIDDEN,
                "CORSResponse: CORS is not enabled for this bucket."));
        List<String> asked = requestHeaders == null ? List.of() : Arrays.stream(requestHeaders.split(","))
                .map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
        CorsConfiguration.Rule rule = rules.match(origin, requestMethod.strip(), asked)
                .orElseThrow(() -> new S3Exception(S3ErrorCode.ACCESS_FORBIDDEN));
        S3Response.Builder b = S3Response.status(200);
        allow(rule, origin).forEach(e -> b.header(e.getKey(), e.getValue()));
        if (!asked.isEmpty()) {
            b.header("Access-Control-Allow-Headers", String.join(", ", asked));
        }
        if (rule.maxAgeSeconds() != null) {
            b.header("Access-Control-Max-Age", Integer.toString(rule.maxAgeSeconds()));
        }
        return b.header("Vary", VARY).header("Content-Length", "0").empty();
    }

    /**
     * The CORS headers of an actual request's response: none without {@code Origin} or rules;
     * {@code Vary} whenever there are rules; the allow headers when a rule allows the origin and
     * method. Never fails: a failed configuration read means no CORS headers.
     */
    public List<Map.Entry<String, String>> actual(Optional<BucketInfo> bucket, String origin, String method) {
        if (origin == null || origin.isBlank()) {
            return List.of();
        }
        Optional<CorsRules> rules;
        try {
            rules = rules(bucket);
        } catch (RuntimeException e) {
            return List.of();
        }
        return actualUnder(rules, origin, method);
    }

    /**
     * The CORS headers of an actual request's response under {@code rules} (e.g. the store-wide
     * default for an answer given before the bucket is known): none without {@code Origin} or rules;
     * {@code Vary} whenever there are rules; the allow headers when a rule allows the origin and method.
     */
    public static List<Map.Entry<String, String>> actualUnder(Optional<CorsRules> rules, String origin, String method) {
        if (origin == null || origin.isBlank() || rules.isEmpty()) {
            return List.of();
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        rules.get().match(origin, method.toUpperCase(Locale.ROOT), List.of()).ifPresent(r -> out.addAll(allow(r, origin)));
        out.add(Map.entry("Vary", VARY));
        return out;
    }

    private static List<Map.Entry<String, String>> allow(CorsConfiguration.Rule rule, String origin) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        boolean any = rule.allowedOrigins().contains("*");
        out.add(Map.entry("Access-Control-Allow-Origin", any ? "*" : origin));
        out.add(Map.entry("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods())));
        if (rule.exposeHeaders() != null && !rule.exposeHeaders().isEmpty()) {
            out.add(Map.entry("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders())));
        }
        if (!any) {
            out.add(Map.entry("Access-Control-Allow-Credentials", "true"));
        }
        return out;
    }

    private Optional<CorsRules> rules(Optional<BucketInfo> bucket) {
        if (bucket.isPresent()) {
            Optional<byte[]> doc = configs.recent(bucket.get(), BucketConfigurations.Kind.CORS);
            if (doc.isPresent()) {
                return Optional.of(new CorsRules(xml.read(doc.get(), CorsConfiguration.class).rules()));
            }
        }
        return storeDefault;
    }
}

package org.mictlanx.s3.post;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;

/**
 * A POST policy (the base64 JSON {@code policy} form field) and its evaluation, as S3 does it: the
 * policy must not have expired; every condition must hold ({@code {"field": "value"}} and
 * {@code ["eq", "$field", "value"]} exact, {@code ["starts-with", "$field", "prefix"]} (for
 * Content-Type each comma-separated value), {@code ["content-length-range", min, max]} on the file
 * size, enforced while it streams); and every form field except {@code policy}, the signature
 * fields, {@code file} and {@code x-ignore-*} must be named by some condition. Field names compare
 * case-insensitively, values exactly. A policy that does not parse is InvalidPolicyDocument; a
 * request the policy does not allow is AccessDenied "Invalid according to Policy: ...".
 */
record PostPolicy(Instant expiration, List<Condition> conditions) {

    /** Fields that never need a condition. */
    private static final Set<String> EXEMPT = Set.of("policy", "x-amz-signature", "signature", "awsaccesskeyid", "file");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One policy condition; {@code text} is how S3 quotes it in errors. */
    sealed interface Condition {
        String text();
    }

    record Eq(String field, String value, String text) implements Condition {
    }

    record StartsWith(String field, String prefix, String text) implements Condition {
    }

    record LengthRange(long min, long max, String text) implements Condition {
    }

    PostPolicy {
        conditions = List.copyOf(conditions);
    }

    /** Decodes and parses the {@code policy} field. */
    static PostPolicy parse(String base64) {
        JsonNode root;
        try {
            byte[] json = Base64.getMimeDecoder().decode(base64.strip());
            root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw invalid("Invalid Policy: Invalid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw invalid("Invalid Policy: Invalid JSON.");
        }
        JsonNode exp = root.get("expiration");
        if (exp == null) {
            throw invalid("Invalid Policy: Policy missing expiration.");
        }
        Instant expiration;
        try {
            expiration = Instant.parse(exp.asText());
        } catch (DateTimeParseException e) {
            throw invalid("Invalid Policy: Invalid 'expiration' value: '" + exp.asText() + "'");
        }
        JsonNode conds = root.get("conditions");
        if (conds == null || !conds.isArray()) {
            throw invalid("Invalid Policy: Policy missing conditions.");
        }
        List<Condition> out = new ArrayList<>();
        for (JsonNode c : conds) {
            out.add(condition(c));
        }
        return new PostPolicy(expiration, out);
    }

    private static Condition condition(JsonNode c) {
        if (c.isObject()) {
            if (c.size() != 1) {
                throw invalid("Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one"
                        + " property specified.");
            }
            Map.Entry<String, JsonNode> e = c.fields().next();
            if (!e.getValue().isValueNode()) {
                throw invalid("Invalid Policy: Invalid Simple-Condition: value must be a string.");
            }
            String field = e.getKey().toLowerCase(Locale.ROOT);
            return new Eq(field, e.getValue().asText(), "[\"eq\", \"$" + e.getKey() + "\", \"" + e.getValue().asText() + "\"]");
        }
        if (!c.isArray() || c.size() != 3) {
            throw invalid("Invalid Policy: Invalid Condition: " + c);
        }
        String op = c.get(0).asText().toLowerCase(Locale.ROOT);
        if (op.equals("content-length-range")) {
            if (!c.get(1).canConvertToLong() || !c.get(2).canConvertToLong()
                    || c.get(1).asLong() < 0 || c.get(1).asLong() > c.get(2).asLong()) {
                throw invalid("Invalid Policy: Invalid content-length-range: " + c);
            }
            return new LengthRange(c.get(1).asLong(), c.get(2).asLong(), c.toString());
        }
        String ref = c.get(1).asText();
        if (!ref.startsWith("$") || !c.get(2).isValueNode()) {
            throw invalid("Invalid Policy: Invalid Condition: " + c);
        }
        String field = ref.substring(1).toLowerCase(Locale.ROOT);
        String value = c.get(2).asText();
        String text = "[\"" + c.get(0).asText() + "\", \"" + ref + "\", \"" + value + "\"]";
        return switch (op) {
            case "eq" -> new Eq(field, value, text);
            case "starts-with" -> new StartsWith(field, value, text);
            default -> throw invalid("Invalid Policy: Invalid Condition: unknown operation " + c.get(0).asText());
        };
    }

    /**
     * Checks expiry, every eq / starts-with condition and that no field is left uncovered.
     *
     * @param fields form fields by lower-case name, plus {@code bucket}
     */
    void check(Map<String, String> fields, Instant now) {
        if (!now.isBefore(expiration)) {
            throw denied("Invalid according to Policy: Policy expired.");
        }
        for (Condition c : conditions) {
            switch (c) {
                case Eq eq -> {
                    String v = fields.get(eq.field());
                    if (v == null || !v.equals(eq.value())) {
                        throw denied("Invalid according to Policy: Policy Condition failed: " + eq.text());
                    }
                }
                case StartsWith sw -> {
                    String v = fields.get(sw.field());
                    boolean ok = v != null && (sw.field().equals("content-type")
                            ? java.util.Arrays.stream(v.split(",")).allMatch(p -> p.strip().startsWith(sw.prefix()))
                            : v.startsWith(sw.prefix()));
                    if (!ok) {
                        throw denied("Invalid according to Policy: Policy Condition failed: " + sw.text());
                    }
                }
                case LengthRange r -> {
                    // enforced on the file as it streams
                }
            }
        }
        List<String> extra = new ArrayList<>();
        for (Iterator<String> it = fields.keySet().iterator(); it.hasNext(); ) {
            String name = it.next();
            if (EXEMPT.contains(name) || name.startsWith("x-ignore-") || name.equals("bucket")) {
                continue;
            }
            boolean covered = conditions.stream().anyMatch(c -> c instanceof Eq eq && eq.field().equals(name)
                    || c instanceof StartsWith sw && sw.field().equals(name));
            if (!covered) {
                extra.add(name);
            }
        }
        if (!extra.isEmpty()) {
            throw denied("Invalid according to Policy: Extra input fields: " + String.join(", ", extra));
        }
    }

    /** The policy's content-length-range, if it has one. */
    Optional<LengthRange> lengthRange() {
        return conditions.stream().filter(LengthRange.class::isInstance).map(LengthRange.class::cast).findFirst();
    }

    private static S3Exception invalid(String message) {
        return new S3Exception(S3ErrorCode.INVALID_POLICY_DOCUMENT, message);
    }

    private static S3Exception denied(String message) {
        return new S3Exception(S3ErrorCode.ACCESS_DENIED, message);
    }
}

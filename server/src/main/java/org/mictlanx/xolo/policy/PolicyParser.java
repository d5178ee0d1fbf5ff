package org.mictlanx.xolo.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.mictlanx.xolo.policy.Policy.Condition;
import org.mictlanx.xolo.policy.Policy.Operator;
import org.mictlanx.xolo.policy.Policy.SetQualifier;
import org.mictlanx.xolo.policy.Policy.Statement;

/**
 * Parses and validates IAM policy JSON (version 2012-10-17) with Jackson, refusing on write what S3
 * refuses, with S3's {@code MalformedPolicy} messages: not JSON, unknown fields, a missing or unknown
 * Effect, a bucket policy statement without Principal (an identity policy statement with one), an
 * invalid principal, an unknown S3 action (or an unknown {@link AdminActions admin action}, or one in a
 * bucket policy, or one on a resource other than {@code *}), a resource that is not this bucket's ARN, an action that
 * applies to none of the statement's resources, an unknown condition operator or key, a condition
 * value of the wrong type. Documents are limited to {@value #MAX_BYTES} bytes (S3's bucket policy
 * limit). Thread-safe.
 */
public final class PolicyParser {

    public static final int MAX_BYTES = 20 * 1024;
    private static final Set<String> TOP = Set.of("Version", "Id", "Statement");
    private static final Set<String> FIELDS = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action",
            "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> S3_KEYS = Set.of("prefix", "delimiter", "max-keys", "x-amz-acl",
            "signatureversion", "authtype", "versionid", "tlsversion", "x-amz-content-sha256", "locationconstraint",
            "requestobjecttagkeys", "x-amz-copy-source", "x-amz-metadata-directive", "x-amz-server-side-encryption",
            "x-amz-storage-class", "object-lock-mode", "object-lock-retain-until-date", "object-lock-legal-hold",
            "x-amz-object-ownership", "signatureage", "x-amz-grant-read", "x-amz-grant-write",
            "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control", "resourceaccount");
    private static final Pattern USER_ARN = Pattern.compile("arn:aws:iam::\\d{12}:(user/[\\w+=,.@/-]+|root)");
    private static final Pattern ACCESS_KEY = Pattern.compile("[A-Z0-9]{16,128}");
    private static final Pattern CANONICAL = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ACTION = Pattern.compile("s3:[A-Za-z*?]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern ADMIN_ACTION = Pattern.compile("(admin|kms):[A-Za-z*?]+", Pattern.CASE_INSENSITIVE);

    private final ObjectMapper json = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Which kind of policy a document is, which decides what Principal and Resource may say. */
    public sealed interface Kind {
        /** A bucket policy: statements need a Principal, resources name this bucket. */
        record Bucket(String name) implements Kind {
        }

        /** A user (identity) policy: statements have no Principal; resources any S3 ARN or {@code *}. */
        record Identity() implements Kind {
        }
    }

    /** Parses {@code document}; throws {@link PolicyException} with S3's message when it is malformed. */
    public Policy parse(byte[] document, Kind kind) {
        if (document.length > MAX_BYTES) {
            throw new PolicyException("Policies must be smaller than " + MAX_BYTES + " bytes");
        }
        String text = new String(document, StandardCharsets.UTF_8);
        if (text.isBlank() || text.strip().charAt(0) != '{') {
            throw new PolicyException("Policies must be valid JSON and the first byte must be '{'");
        }
        JsonNode root;
        try {
            root = json.readTree(document);
        } catch (IOException e) {
            throw new PolicyException("This policy contains invalid Json");
        }
        checkFields(root, TOP);
        JsonNode version = root.get("Version");
        if (version != null && !(version.isTextual() && version.asText().equals("2012-10-17")
                || version.isTextual() && version.asText().equals("2008-10-17"))) {
            throw new PolicyException("The policy must contain a valid version string");
        }
        JsonNode statements = root.get("Statement");
        if (statements == null || statements.isNull() || statements.isArray() && statements.isEmpty()) {
            throw new PolicyException("Missing required field Statement");
        }
        List<Statement> out = new ArrayList<>();
        for (JsonNode s : statements.isArray() ? statements : List.of(statements)) {
            out.add(statement(s, kind));
        }
        return new Policy(text, out);
    }

    private Statement statement(JsonNode s, Kind kind) {
        if (!s.isObject()) {
            throw new PolicyException("This policy contains invalid Json");
        }
        checkFields(s, FIELDS);
        String sid = s.hasNonNull("Sid") ? s.get("Sid").asText() : null;
        JsonNode effect = s.get("Effect");
        if (effect == null) {
            throw new PolicyException("Missing required field Effect");
        }
        if (!effect.isTextual() || !Set.of("Allow", "Deny").contains(effect.asText())) {
            throw new PolicyException("Invalid effect: " + effect.asText());
        }
        boolean notPrincipal = s.has("NotPrincipal");
        JsonNode principalNode = notPrincipal ? s.get("NotPrincipal") : s.get("Principal");
        if (notPrincipal && s.has("Principal")) {
            throw new PolicyException("Statement cannot contain both Principal and NotPrincipal");
        }
        List<String> principals = null;
        if (kind instanceof Kind.Bucket) {
            if (principalNode == null) {
                throw new PolicyException("Missing required field Principal");
            }
            principals = principals(principalNode);
        } else if (principalNode != null) {
            throw new PolicyException("Policy document should not specify a principal.");
        }
        boolean notAction = s.has("NotAction");
        if (notAction && s.has("Action")) {
            throw new PolicyException("Statement cannot contain both Action and NotAction");
        }
        List<String> actions = strings(notAction ? s.get("NotAction") : s.get("Action"), "Action");
        for (String a : actions) {
            if (AdminActions.isAdminNamespace(a)) {
                // admin:/kms: actions: identity policies only, and each must name (or match) a known one.
                if (!(kind instanceof Kind.Identity) || !ADMIN_ACTION.matcher(a).matches() || !AdminActions.anyMatching(a)) {
                    throw new PolicyException("Policy has invalid action");
                }
                continue;
            }
            if (!a.equals("*") && (!ACTION.matcher(a).matches()
                    || a.indexOf('*') < 0 && a.indexOf('?') < 0 && ActionCatalog.kind(a) == null)) {
                throw new PolicyException("Policy has invalid action");
            }
        }
        boolean notResource = s.has("NotResource");
        if (notResource && s.has("Resource")) {
            throw new PolicyException("Statement cannot contain both Resource and NotResource");
        }
        List<String> resources = strings(notResource ? s.get("NotResource") : s.get("Resource"), "Resource");
        for (String r : resources) {
            checkResource(r, kind);
        }
        if (!notAction && !notResource) {
            checkActionsApply(actions, resources);
        }
        List<Condition> conditions = s.has("Condition") ? conditions(s.get("Condition")) : List.of();
        return new Statement(sid, effect.asText().equals("Allow"), principals, notPrincipal, actions, notAction,
                resources, notResource, conditions);
    }

    private static List<String> principals(JsonNode node) {
        if (node.isTextual()) {
            if (!node.asText().equals("*")) {
                throw new PolicyException("Invalid principal in policy");
            }
            return List.of("*");
        }
        if (!node.isObject() || node.isEmpty()) {
            throw new PolicyException("Invalid principal in policy");
        }
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (String v : strings(e.getValue(), "Principal")) {
                boolean ok = switch (e.getKey()) {
                    case "AWS" -> v.equals("*") || USER_ARN.matcher(v).matches() || v.matches("\\d{12}")
                            || ACCESS_KEY.matcher(v).matches();
                    case "CanonicalUser" -> CANONICAL.matcher(v).matches();
                    default -> false;
                };
                if (!ok) {
                    throw new PolicyException("Invalid principal in policy");
                }
                out.add(e.getKey().equals("CanonicalUser") ? "canonical:" + v : v);
            }
        }
        return out;
    }

    private static void checkResource(String r, Kind kind) {
        if (r.equals("*") && kind instanceof Kind.Identity) {
            return;
        }
        if (!r.startsWith("arn:aws:s3:::") || r.length() == "arn:aws:s3:::".length()) {
            throw new PolicyException("Policy has invalid resource");
        }
        if (kind instanceof Kind.Bucket b) {
            String rest = r.substring("arn:aws:s3:::".length());
            int slash = rest.indexOf('/');
            String bucketPart = slash < 0 ? rest : rest.substring(0, slash);
            if (!Wildcard.matches(bucketPart, b.name(), false)) {
                throw new PolicyException("Policy has invalid resource");
            }
        }
    }

    /** S3: every action must apply to at least one of the statement's resources. */
    private static void checkActionsApply(List<String> actions, List<String> resources) {
        boolean anyResource = resources.contains("*");
        boolean objectResource = anyResource || resources.stream().anyMatch(r -> r.substring(13).contains("/")
                || r.endsWith("*"));
        boolean bucketResource = anyResource || resources.stream().anyMatch(r -> !r.substring(13).contains("/"));
        for (String a : actions) {
            if (a.equals("*")) {
                continue;
            }
            if (AdminActions.isAdminNamespace(a)) {
                if (!anyResource) {
                    throw new PolicyException("Action does not apply to any resource(s) in statement");
                }
                continue;
            }
            boolean applies = false;
            for (ActionCatalog.ResourceKind k : ActionCatalog.matching(a).values()) {
                applies |= switch (k) {
                    case OBJECT -> objectResource;
                    case BUCKET -> bucketResource;
                    case SERVICE -> anyResource || resources.stream().anyMatch(r -> r.equals("arn:aws:s3:::*"));
                };
            }
            if (!applies) {
                throw new PolicyException("Action does not apply to any resource(s) in statement");
            }
        }
    }

    private static List<Condition> conditions(JsonNode node) {
        if (!node.isObject()) {
            throw new PolicyException("This policy contains invalid Json");
        }
        List<Condition> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            SetQualifier q = SetQualifier.NONE;
            if (name.startsWith("ForAnyValue:")) {
                q = SetQualifier.FOR_ANY_VALUE;
                name = name.substring("ForAnyValue:".length());
            } else if (name.startsWith("ForAllValues:")) {
                q = SetQualifier.FOR_ALL_VALUES;
                name = name.substring("ForAllValues:".length());
            }
            boolean ifExists = name.endsWith("IfExists");
            String base = ifExists ? name.substring(0, name.length() - "IfExists".length()) : name;
            Operator op;
            try {
                op = Operator.valueOf(base);
            } catch (IllegalArgumentException ex) {
                throw new PolicyException("Invalid Condition type : " + e.getKey());
            }
            if (!e.getValue().isObject() || e.getValue().isEmpty()) {
                throw new PolicyException("This policy contains invalid Json");
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = e.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> k = keys.next();
                checkKey(k.getKey());
                List<String> values = strings(k.getValue(), "Condition");
                for (String v : values) {
                    checkValue(op, v);
                }
                out.add(new Condition(op, ifExists, q, k.getKey(), values));
            }
        }
        return out;
    }

    private static void checkKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        boolean ok = k.startsWith("aws:") && k.length() > 4
                || k.startsWith("s3:") && (S3_KEYS.contains(k.substring(3)) || k.startsWith("s3:existingobjecttag/")
                || k.startsWith("s3:requestobjecttag/") || k.startsWith("s3:x-amz-"));
        if (!ok) {
            throw new PolicyException("Policy has an invalid condition key");
        }
    }

    private static void checkValue(Operator op, String v) {
        try {
            switch (op) {
                case NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan,
                     NumericGreaterThanEquals -> Double.parseDouble(v);
                case DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan,
                     DateGreaterThanEquals -> Conditions.parseDate(v);
                case Bool, Null -> {
                    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException();
                    }
                }
                case IpAddress, NotIpAddress -> Conditions.cidr(v);
                default -> {
                }
            }
        } catch (RuntimeException e) {
            throw new PolicyException("Invalid Condition value: " + v + " for " + op);
        }
    }

    private static List<String> strings(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new PolicyException("Missing required field " + field);
        }
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            if (node.isEmpty()) {
                throw new PolicyException("Missing required field " + field);
            }
            for (JsonNode n : node) {
                out.add(scalar(n));
            }
        } else {
            out.add(scalar(node));
        }
        return out;
    }

    private static String scalar(JsonNode n) {
        if (n.isTextual() || n.isNumber() || n.isBoolean()) {
            return n.asText();
        }
        throw new PolicyException("This policy contains invalid Json");
    }

    private static void checkFields(JsonNode node, Set<String> allowed) {
        if (!node.isObject()) {
            throw new PolicyException("This policy contains invalid Json");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new PolicyException("Unknown field " + f);
            }
        }
    }

}

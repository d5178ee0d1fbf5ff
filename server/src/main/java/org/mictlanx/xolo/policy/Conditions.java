package org.mictlanx.xolo.policy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.mictlanx.xolo.policy.Policy.Condition;
import org.mictlanx.xolo.policy.Policy.Operator;
import org.mictlanx.xolo.policy.Policy.SetQualifier;

/**
 * Evaluates one condition as IAM does: a positive operator matches when any request value matches
 * any policy value; a negated one ({@code StringNotEquals}, {@code NotIpAddress}...) when none does;
 * a missing key fails a positive operator and satisfies a negated one, and satisfies any operator
 * with {@code IfExists}; {@code Null} tests presence; {@code ForAllValues} needs every request value
 * to match (true when absent), {@code ForAnyValue} one. Policy variables ({@code ${aws:username}},
 * {@code ${*}}, {@code ${?}}, {@code ${$}}) in policy values are replaced first; a variable the
 * request has no value for makes the value match nothing.
 */
final class Conditions {

    private Conditions() {
    }

    static boolean holds(Condition c, ConditionKeys keys) {
        List<String> actual = keys.values(c.key());
        if (c.operator() == Operator.Null) {
            boolean wantAbsent = c.values().stream().anyMatch(v -> v.equalsIgnoreCase("true"));
            boolean absent = actual == null || actual.isEmpty();
            return wantAbsent == absent;
        }
        if (actual == null || actual.isEmpty()) {
            return c.ifExists() || c.operator().negated() || c.qualifier() == SetQualifier.FOR_ALL_VALUES;
        }
        boolean negated = c.operator().negated();
        if (c.qualifier() == SetQualifier.FOR_ALL_VALUES) {
            for (String a : actual) {
                if (anyMatch(c, a, keys) == negated) {
                    return false;
                }
            }
            return true;
        }
        for (String a : actual) {
            if (anyMatch(c, a, keys)) {
                return !negated;
            }
        }
        return negated;
    }

    /** Whether request value {@code a} matches any policy value under the operator's positive form. */
    private static boolean anyMatch(Condition c, String a, ConditionKeys keys) {
        for (String raw : c.values()) {
            String v = substitute(raw, keys);
            if (v != null && match(c.operator(), v, a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean match(Operator op, String policy, String actual) {
        return switch (op) {
            case StringEquals, StringNotEquals -> policy.equals(actual);
            case StringEqualsIgnoreCase, StringNotEqualsIgnoreCase -> policy.equalsIgnoreCase(actual);
            case StringLike, StringNotLike, ArnLike, ArnNotLike, ArnEquals, ArnNotEquals ->
                    Wildcard.matches(policy, actual, false);
            case NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan,
                 NumericGreaterThanEquals -> compareNumbers(op, policy, actual);
            case DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan,
                 DateGreaterThanEquals -> compareDates(op, policy, actual);
            case Bool -> policy.equalsIgnoreCase(actual);
            case IpAddress, NotIpAddress -> inCidr(policy, actual);
            case Null -> false;
        };
    }

    private static boolean compareNumbers(Operator op, String policy, String actual) {
        double p;
        double a;
        try {
            p = Double.parseDouble(policy);
            a = Double.parseDouble(actual);
        } catch (NumberFormatException e) {
            return false;
        }
        int cmp = Double.compare(a, p);
        return order(op, cmp);
    }

    private static boolean compareDates(Operator op, String policy, String actual) {
        Instant p;
        Instant a;
        try {
            p = parseDate(policy);
            a = parseDate(actual);
        } catch (RuntimeException e) {
            return false;
        }
        return order(op, a.compareTo(p));
    }

    /** Whether {@code cmp} (request compared with policy value) satisfies the operator's positive form. */
    private static boolean order(Operator op, int cmp) {
        return switch (op) {
            case NumericEquals, NumericNotEquals, DateEquals, DateNotEquals -> cmp == 0;
            case NumericLessThan, DateLessThan -> cmp < 0;
            case NumericLessThanEquals, DateLessThanEquals -> cmp <= 0;
            case NumericGreaterThan, DateGreaterThan -> cmp > 0;
            case NumericGreaterThanEquals, DateGreaterThanEquals -> cmp >= 0;
            default -> false;
        };
    }

    /** ISO 8601 ({@code 2019-07-16T12:00:00Z}, a date alone) or epoch seconds. */
    static Instant parseDate(String v) {
        if (v.matches("\\d+")) {
            return Instant.ofEpochSecond(Long.parseLong(v));
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            return java.time.LocalDate.parse(v).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        }
    }

    /** A parsed CIDR (an address alone is /32 or /128): address bytes and prefix length. */
    record Cidr(byte[] address, int bits) {
    }

    static Cidr cidr(String v) {
        int slash = v.indexOf('/');
        String host = slash < 0 ? v : v.substring(0, slash);
        if (!host.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address: " + v);
        }
        try {
            byte[] a = InetAddress.getByName(host).getAddress();
            int bits = slash < 0 ? a.length * 8 : Integer.parseInt(v.substring(slash + 1));
            if (bits < 0 || bits > a.length * 8) {
                throw new IllegalArgumentException("bad prefix length: " + v);
            }
            return new Cidr(a, bits);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean inCidr(String policy, String actual) {
        Cidr c;
        Cidr a;
        try {
            c = cidr(policy);
            a = cidr(actual);
        } catch (RuntimeException e) {
            return false;
        }
        if (c.address().length != a.address().length) {
            return false;
        }
        int len = c.address().length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(len).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(len - c.bits()).subtract(BigInteger.ONE));
        return new BigInteger(1, c.address()).and(mask).equals(new BigInteger(1, a.address()).and(mask));
    }

    /** {@code value} with its policy variables replaced, or null when one has no value. */
    static String substitute(String value, ConditionKeys keys) {
        int at = value.indexOf("${");
        if (at < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int from = 0;
        while (at >= 0) {
            int end = value.indexOf('}', at);
            if (end < 0) {
                break;
            }
            out.append(value, from, at);
            String name = value.substring(at + 2, end);
            switch (name) {
                case "*", "?", "$" -> out.append(name);
                default -> {
                    List<String> v = keys.values(name);
                    if (v == null || v.isEmpty()) {
                        return null;
                    }
                    out.append(v.get(0));
                }
            }
            from = end + 1;
            at = value.indexOf("${", from);
        }
        return out.append(value, from, value.length()).toString();
    }
}

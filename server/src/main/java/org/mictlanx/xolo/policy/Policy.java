package org.mictlanx.xolo.policy;

import java.util.List;

/**
 * A parsed, validated IAM policy document (version 2012-10-17). Built only by {@link PolicyParser};
 * {@link #json()} is the document as written, which GetBucketPolicy returns.
 */
public record Policy(String json, List<Statement> statements) {

    public Policy {
        statements = List.copyOf(statements);
    }

    /**
     * One statement.
     *
     * @param principals  null in identity (user) policies, which apply to the user they are attached to;
     *                    else the values of Principal (or NotPrincipal when {@code notPrincipal}),
     *                    {@code "*"} for everyone
     * @param actions     action patterns ({@code s3:Get*}), of NotAction when {@code notAction}
     * @param resources   ARN patterns, of NotResource when {@code notResource}
     */
    public record Statement(String sid, boolean allow, List<String> principals, boolean notPrincipal,
                            List<String> actions, boolean notAction, List<String> resources, boolean notResource,
                            List<Condition> conditions) {
        public Statement {
            principals = principals == null ? null : List.copyOf(principals);
            actions = List.copyOf(actions);
            resources = List.copyOf(resources);
            conditions = List.copyOf(conditions);
        }
    }

    /** Set qualifiers of a condition over a multi-valued key. */
    public enum SetQualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    /**
     * One condition: {@code operator} applied to the request's values of {@code key} and the
     * policy's {@code values}.
     */
    public record Condition(Operator operator, boolean ifExists, SetQualifier qualifier, String key,
                            List<String> values) {
        public Condition {
            values = List.copyOf(values);
        }
    }

    /** The condition operators supported, by their IAM names (without IfExists). */
    public enum Operator {
        StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike,
        NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan,
        NumericGreaterThanEquals, DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan,
        DateGreaterThanEquals, Bool, IpAddress, NotIpAddress, Null, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike;

        /** Operators that match when no request value matches (and when the key is absent). */
        public boolean negated() {
            return switch (this) {
                case StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike, NumericNotEquals, DateNotEquals,
                     NotIpAddress, ArnNotEquals, ArnNotLike -> true;
                default -> false;
            };
        }
    }
}

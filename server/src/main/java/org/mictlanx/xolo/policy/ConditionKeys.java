package org.mictlanx.xolo.policy;

import java.util.List;

/**
 * The request's values of condition keys ({@code aws:SourceIp}, {@code s3:prefix}, ...), asked only
 * when a policy has a condition on them; implementations compute values lazily so requests of
 * callers without policies pay nothing.
 */
@FunctionalInterface
public interface ConditionKeys {

    ConditionKeys NONE = key -> null;

    /**
     * The values of {@code key} (names compare case-insensitively; tag keys after the slash
     * exactly), or null when the request has no value for it.
     */
    List<String> values(String key);
}

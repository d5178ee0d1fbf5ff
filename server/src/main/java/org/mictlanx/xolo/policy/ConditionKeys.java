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

    /**
     * The version of the ball the request addresses, for its ACL; {@link ObjectVersion#NONE} when it
     * names none or the ball does not exist. Asked only while the bucket's ACLs are enabled.
     */
    default ObjectVersion ballVersion() {
        return ObjectVersion.NONE;
    }
}

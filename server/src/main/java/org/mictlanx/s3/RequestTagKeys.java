package org.mictlanx.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mictlanx.xolo.policy.ConditionKeys;

/**
 * Condition keys whose {@code s3:RequestObjectTag/<k>} and {@code s3:RequestObjectTagKeys} come from
 * a tag set in the request body (PutObjectTagging), every other key from the request's own keys. As
 * a probe ({@link #probe}) it answers no request tag and records that a policy asked for one, so the
 * pipeline can leave that decision to the handler that reads the body.
 */
public final class RequestTagKeys implements ConditionKeys {

    private static final String TAG = "s3:requestobjecttag/";
    private static final String TAG_KEYS = "s3:requestobjecttagkeys";

    private final ConditionKeys base;
    private final Map<String, String> tags;
    private boolean asked;

    private RequestTagKeys(ConditionKeys base, Map<String, String> tags) {
        this.base = base;
        this.tags = tags;
    }

    /** {@code base} with the request tags {@code tags} (empty: the request has none). */
    public static RequestTagKeys withTags(ConditionKeys base, Map<String, String> tags) {
        return new RequestTagKeys(base, Map.copyOf(tags));
    }

    /** {@code base} with the request tags not yet known: asking for one is recorded ({@link #asked}). */
    public static RequestTagKeys probe(ConditionKeys base) {
        return new RequestTagKeys(base, null);
    }

    /** Whether an evaluation asked for a request tag (a decision that depends on the body's tags). */
    public boolean asked() {
        return asked;
    }

    @Override
    public List<String> values(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        boolean tagKey = k.startsWith(TAG);
        if (!tagKey && !k.equals(TAG_KEYS)) {
            return base.values(key);
        }
        asked = true;
        if (tags == null || tags.isEmpty()) {
            return null;
        }
        if (tagKey) {
            String v = tags.get(key.substring(TAG.length()));
            return v == null ? null : List.of(v);
        }
        return new ArrayList<>(tags.keySet());
    }

    @Override
    public org.mictlanx.xolo.policy.ObjectVersion ballVersion() {
        return base.ballVersion();
    }
}

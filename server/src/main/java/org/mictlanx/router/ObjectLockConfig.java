package org.mictlanx.router;

import org.jspecify.annotations.Nullable;

/**
 * A bucket's S3 Object Lock configuration: whether lock is enabled (then versioning is Enabled and
 * cannot be suspended), and the default retention applied to new versions that ask for none
 * ({@code defaultMode} GOVERNANCE or COMPLIANCE with {@code days} or {@code years}; null mode for none).
 */
public record ObjectLockConfig(boolean enabled, @Nullable String defaultMode, int days, int years) {

    public static final ObjectLockConfig NONE = new ObjectLockConfig(false, null, 0, 0);

    /** Whether new versions get a default retention. */
    public boolean hasDefault() {
        return enabled && defaultMode != null;
    }
}

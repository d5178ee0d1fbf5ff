package org.mictlanx.router.lock;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mictlanx.router.ObjectLockConfig;

/**
 * The Object Lock state of one version, kept in its ball record's system headers (so it is written,
 * replicated, repaired and copied into the history record exactly like them): retention mode
 * ({@code GOVERNANCE} / {@code COMPLIANCE}), retain-until date (ISO-8601) and legal hold
 * ({@code ON} / {@code OFF}). Changed only under the key's guard ({@code VersionService#changeLock}),
 * the same guard every permanent delete of the key takes, so a lock acknowledged to a client is
 * never bypassed by a concurrent delete through another router.
 */
public record LockState(String mode, Instant retainUntil, boolean legalHold) {

    public static final String MODE = "x-amz-object-lock-mode";
    public static final String UNTIL = "x-amz-object-lock-retain-until-date";
    public static final String HOLD = "x-amz-object-lock-legal-hold";
    public static final String GOVERNANCE = "GOVERNANCE";
    public static final String COMPLIANCE = "COMPLIANCE";

    /** The state stored in {@code headers} (no retention and no hold when absent). */
    public static LockState of(Map<String, String> headers) {
        String mode = headers.get(MODE);
        Instant until = null;
        String u = headers.get(UNTIL);
        if (u != null) {
            try {
                until = Instant.parse(u);
            } catch (DateTimeParseException e) {
                until = Instant.MAX; // never weaker than what was asked: an unreadable date keeps the lock
            }
        }
        return new LockState(mode, until, "ON".equals(headers.get(HOLD)));
    }

    /** Whether retention is in force at {@code now}. */
    public boolean retained(Instant now) {
        return mode != null && retainUntil != null && retainUntil.isAfter(now);
    }

    /**
     * Whether the version may not be deleted at {@code now}: a legal hold, COMPLIANCE retention, or
     * GOVERNANCE retention without {@code bypassGovernance}.
     */
    public boolean blocksDelete(Instant now, boolean bypassGovernance) {
        if (legalHold) return true;
        if (!retained(now)) return false;
        return COMPLIANCE.equals(mode) || !bypassGovernance;
    }

    /**
     * Whether replacing this retention by {@code (newMode, newUntil)} (null mode: removal) is allowed:
     * COMPLIANCE in force can only be kept COMPLIANCE and extended, by anyone (root included);
     * GOVERNANCE in force can be extended, and shortened, removed or changed only with {@code bypassGovernance}.
     */
    public boolean allowsRetention(String newMode, Instant newUntil, Instant now, boolean bypassGovernance) {
        if (!retained(now)) return true;
        boolean extendsOrKeeps = newMode != null && newUntil != null && !newUntil.isBefore(retainUntil);
        if (COMPLIANCE.equals(mode)) return COMPLIANCE.equals(newMode) && extendsOrKeeps;
        return bypassGovernance || (mode.equals(newMode) || COMPLIANCE.equals(newMode)) && extendsOrKeeps;
    }

    /** {@code headers} with this retention (mode/date removed when null) and hold. */
    public static Map<String, String> withRetention(Map<String, String> headers, String mode, Instant until) {
        Map<String, String> out = new LinkedHashMap<>(headers);
        if (mode == null) {
            out.remove(MODE);
            out.remove(UNTIL);
        } else {
            out.put(MODE, mode);
            out.put(UNTIL, until.toString());
        }
        return out;
    }

    public static Map<String, String> withLegalHold(Map<String, String> headers, boolean on) {
        Map<String, String> out = new LinkedHashMap<>(headers);
        out.put(HOLD, on ? "ON" : "OFF");
        return out;
    }

    /** {@code headers} without any lock entry (a copy does not inherit its source's lock). */
    public static Map<String, String> withoutLock(Map<String, String> headers) {
        if (!headers.containsKey(MODE) && !headers.containsKey(UNTIL) && !headers.containsKey(HOLD)) return headers;
        Map<String, String> out = new LinkedHashMap<>(headers);
        out.remove(MODE);
        out.remove(UNTIL);
        out.remove(HOLD);
        return out;
    }

    /** The bucket default applied to a new version that asks for no retention of its own. */
    public static Map<String, String> withDefault(Map<String, String> headers, ObjectLockConfig config, Instant now) {
        if (!config.hasDefault() || headers.containsKey(MODE)) return headers;
        Instant until = config.days() > 0 ? now.plus(java.time.Duration.ofDays(config.days()))
                : now.atZone(java.time.ZoneOffset.UTC).plusYears(config.years()).toInstant();
        return withRetention(headers, config.defaultMode(), until);
    }
}

package org.mictlanx.router.meta;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Version ids and the layout of version history records.
 *
 * <p>A version id is 24 lowercase hex digits: the 16-digit hybrid-clock version at which the version
 * was committed (the same version its "latest" record carries, so last-writer-wins between routers
 * and version order agree) followed by 8 random digits (two routers committing at the same clock value
 * still get distinct ids). Ids are opaque to clients; {@code "null"} is the null version.
 *
 * <p>History records live in partition {@code _mx.ver.<bucket>}, sort key
 * {@code key NUL inverted-stamp suffix}: the stamp's 16 hex digits each replaced by {@code f - d}, so
 * a key's versions sort newest first and keys in ascending UTF-8 order (NUL sorts before any key
 * character); the suffix is the id's random part, or {@code "null"} for the null version. The
 * "latest" record (partition = bucket, sort key = key) is untouched by this layout, so GET/HEAD and
 * ListObjects(V2) read exactly what they read in an unversioned bucket. A key's null version is also
 * indexed ({@link #nullPartition}), so finding it is two point reads, not a scan of the key's history.
 */
public final class VersionIds {

    public static final String NULL = "null";
    private static final char SEP = '\0';

    private VersionIds() {
    }

    public static String partition(String bucket) {
        return "_mx.ver." + bucket;
    }

    /**
     * The null-version index of a bucket: sort key = key, value = the history sort key (UTF-8) of
     * the key's null version; none (or a tombstone) when it has none. Written before the history
     * record it names, so it never misses a null version; a stale entry (naming no live null
     * version, after a crash between the two writes) makes the reader scan the key's history.
     */
    public static String nullPartition(String bucket) {
        return "_mx.vnull." + bucket;
    }

    /** A new id for a version committed at hybrid-clock version {@code stamp}. */
    public static String newId(long stamp, SecureRandom random) {
        byte[] r = new byte[4];
        random.nextBytes(r);
        return String.format("%016x", stamp) + HexFormat.of().formatHex(r);
    }

    /** Whether {@code id} has the form of one of our (non-null) ids. */
    public static boolean wellFormed(String id) {
        if (id == null || id.length() != 24) return false;
        for (int i = 0; i < 24; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    /** The history sort key of version {@code id} (or {@link #NULL} with its {@code stamp}) of {@code key}. */
    public static String sortKey(String key, String id, long stamp) {
        String suffix = NULL.equals(id) ? NULL : id.substring(16);
        return key + SEP + invert(String.format("%016x", stamp)) + suffix;
    }

    /** The history sort key of a well-formed non-null id; empty when {@code id} is not one. */
    public static Optional<String> sortKeyOf(String key, String id) {
        if (!wellFormed(id)) return Optional.empty();
        return Optional.of(key + SEP + invert(id.substring(0, 16)) + id.substring(16));
    }

    /** The prefix of every history record of {@code key}. */
    public static String keyPrefix(String key) {
        return key + SEP;
    }

    /** A sort key after every history record of {@code key}. */
    public static String afterKey(String key) {
        return key + SEP + "\uffff";
    }

    /** The key of a history sort key. */
    public static String keyOf(String sortKey) {
        int i = sortKey.indexOf(SEP);
        return i < 0 ? sortKey : sortKey.substring(0, i);
    }

    private static String invert(String hex) {
        StringBuilder b = new StringBuilder(hex.length());
        for (int i = 0; i < hex.length(); i++) b.append(Character.forDigit(15 - Character.digit(hex.charAt(i), 16), 16));
        return b.toString();
    }
}

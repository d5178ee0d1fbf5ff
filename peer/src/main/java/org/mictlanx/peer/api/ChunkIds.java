package org.mictlanx.peer.api;

import java.util.regex.Pattern;

/**
 * Chunk ids are 1 to 200 characters of {@code [A-Za-z0-9._-]}, not starting with a dot. Routers
 * generate them; peers reject anything else with a bad-request error, so an id can never name a path.
 */
public final class ChunkIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

    private ChunkIds() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** Throws BAD_REQUEST unless {@link #isValid(String)}. */
    public static String require(String id) {
        if (!isValid(id)) throw new PeerException(PeerException.Kind.BAD_REQUEST, "malformed chunk id");
        return id;
    }
}

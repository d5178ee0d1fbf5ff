package org.mictlanx.router.meta;

/**
 * How chunks and segments are named: a segment id (and a ball id) is 24 hex digits whose first 12
 * are its creation millis; chunk {@code i} of segment {@code s} is {@code "s.i"}. Ids without that
 * shape are not ours (GC and repair leave them alone).
 */
public final class ChunkIdScheme {

    private ChunkIdScheme() {
    }

    /** The id of chunk {@code index} of segment {@code segmentId}. */
    public static String chunkId(String segmentId, long index) {
        return segmentId + "." + index;
    }

    /** Creation millis encoded in a ball or segment id, or -1 when {@code id} is not one of ours. */
    public static long idMillis(String id) {
        if (id.length() != 24) return -1;
        try {
            return Long.parseLong(id, 0, 12, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The segment id of a chunk id, or null when it is not one of ours. */
    public static String segmentIdOfChunk(String chunkId) {
        int dot = chunkId.indexOf('.');
        if (dot != 24) return null;
        String segmentId = chunkId.substring(0, dot);
        return idMillis(segmentId) >= 0 ? segmentId : null;
    }

    /** The chunk index of a chunk id, or -1. */
    public static long indexOfChunk(String chunkId) {
        int dot = chunkId.indexOf('.');
        try {
            return dot < 0 ? -1 : Long.parseLong(chunkId.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

package org.mictlanx.peer.api;

import java.util.List;

/**
 * Progress and findings of a peer's continuous background scrub.
 *
 * @param bytesPerSecond      the read rate it is held to (0: background scrub off)
 * @param passes              complete passes over every stored chunk since the peer started
 * @param chunksChecked       chunks read and verified since the peer started
 * @param bytesChecked        their bytes
 * @param damagedFound        chunks that failed verification (each was deleted so repair re-creates it)
 * @param unreadableFound     chunks that could not be read for another reason (I/O error), left in place
 * @param errors              steps that failed as a whole (the chunk index could not be read)
 * @param cursor              the last chunk id checked in the current pass (null at its start)
 * @param passStartedMillis   when the current pass started (epoch millis)
 * @param lastPassMillis      when the last complete pass ended (0: none yet)
 * @param recentFindings      the latest damaged or unreadable chunk ids (at most 100), oldest first
 */
public record ScrubProgress(long bytesPerSecond, long passes, long chunksChecked, long bytesChecked, long damagedFound,
                            long unreadableFound, long errors, String cursor, long passStartedMillis, long lastPassMillis,
                            List<String> recentFindings) {
    public ScrubProgress {
        recentFindings = recentFindings == null ? List.of() : List.copyOf(recentFindings);
    }

    /** No background scrub (in-memory stores, fakes). */
    public static ScrubProgress none() {
        return new ScrubProgress(0, 0, 0, 0, 0, 0, 0, null, 0, 0, List.of());
    }
}

package org.mictlanx.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrphanUploadsTest {

    static final long MS = 1_000_000L;

    @Test
    void onlyUploadsInitiatedWithinTheRetryWindowBeforeTheKeptOneAreSuspects() {
        Instant kept = Instant.parse("2026-11-23T10:00:00.500Z");
        Map<String, Instant> uploads = Map.of(
                "kept", kept,
                "orphan", kept.minusMillis(40),
                "older", kept.minusMillis(400),
                "later", kept.plusMillis(1),
                "busy", kept.minusMillis(10));
        assertEquals(List.of("orphan"), OrphanUploads.select(uploads, "kept", 50 * MS, Set.of("busy")).stream().sorted().toList());
        assertEquals(List.of(), OrphanUploads.select(uploads, "kept", 5 * MS, Set.of("busy")));
        assertEquals(List.of(), OrphanUploads.select(uploads, "gone", 50 * MS, Set.of()));
    }

    @Test
    void wholeSecondStampsWidenTheWindowToTheResolution() {
        Instant kept = Instant.parse("2026-11-23T10:00:05Z");
        Map<String, Instant> uploads = Map.of("kept", kept, "sameSecond", kept, "previousSecond", kept.minusSeconds(1),
                "long ago", kept.minusSeconds(3));
        assertEquals(List.of("previousSecond", "sameSecond"),
                OrphanUploads.select(uploads, "kept", 20 * MS, Set.of()).stream().sorted().toList());
    }
}

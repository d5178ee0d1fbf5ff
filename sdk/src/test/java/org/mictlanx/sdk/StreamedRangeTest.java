package org.mictlanx.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How a streamed plaintext read is cut into ranged GETs ({@link BallReader#streamedRange}). */
class StreamedRangeTest {

    static final int MIB = 1 << 20;

    @Test
    void aReadIsSplitIntoAboutParallelismGetsOfWholeParts() {
        assertEquals(64L * MIB, BallReader.streamedRange(8 * MIB, 256L * MIB, 4));
        assertEquals(128L * MIB, BallReader.streamedRange(8 * MIB, 256L * MIB, 2));
        assertEquals(256L * MIB, BallReader.streamedRange(8 * MIB, 256L * MIB, 1));
        // 100 MiB in 3: 33.4 MiB rounded up to whole 5 MiB parts.
        assertEquals(35L * MIB, BallReader.streamedRange(5 * MIB, 100L * MIB, 3));
        // Larger than an int: a 12 GiB read in 4 GETs.
        assertEquals(3L << 30, BallReader.streamedRange(8 * MIB, 12L << 30, 4));
    }

    @Test
    void getsAreAtLeast32MiBOfWholeParts() {
        assertEquals(32L * MIB, BallReader.streamedRange(8 * MIB, 17L * MIB, 4));
        assertEquals(32L * MIB, BallReader.streamedRange(8 * MIB, 0, 4));
        assertEquals(35L * MIB, BallReader.streamedRange(5 * MIB, 10L * MIB, 8)); // 7 whole parts of 5 MiB
        assertEquals(64L * MIB, BallReader.streamedRange(64 * MIB, 100L * MIB, 8)); // one part is already larger
    }

    @Test
    void atMostTwoGetsAreOpen() {
        assertEquals(1, BallReader.streamedInFlight(1));
        assertEquals(2, BallReader.streamedInFlight(2));
        assertEquals(2, BallReader.streamedInFlight(16));
    }
}

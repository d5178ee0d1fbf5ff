package org.mictlanx.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BallCipherTest {

    static final int CHUNK = 5 * FrameLayout.FRAME + 1000;   // 6 frames, the last one short
    final ClientKey key = new ClientKey(new EncryptionKey("k", new byte[32]));
    final ClientKey other = new ClientKey(new EncryptionKey("k", filled(32, 7)));

    static byte[] filled(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Seals a ball of {@code size} plaintext bytes chunk by chunk, as the uploader does. */
    static byte[] sealBall(BallCipher c, byte[] plain) {
        FrameLayout l = c.layout();
        byte[] out = new byte[(int) l.storedSize(plain.length)];
        long chunks = Math.max(1, (plain.length + (long) CHUNK - 1) / CHUNK);
        for (int i = 0; i < chunks; i++) {
            int from = i * CHUNK;
            byte[] part = Arrays.copyOfRange(plain, from, Math.min(plain.length, from + CHUNK));
            byte[] stored = c.seal(part, part.length, i, i == chunks - 1);
            System.arraycopy(stored, 0, out, (int) (i * l.storedChunk()), stored.length);
        }
        return out;
    }

    /** Opens plaintext [from, to) of a sealed ball through the spans a reader would fetch. */
    static byte[] openRange(BallCipher c, byte[] stored, long plainSize, long from, long to) {
        byte[] out = new byte[(int) (to - from)];
        int pos = 0;
        long at = from;
        do {
            long chunk = at / CHUNK;
            long end = Math.min(Math.min((chunk + 1) * CHUNK, plainSize), to);
            FrameLayout.Span s = c.layout().span(chunk, at, end, plainSize);
            byte[] frames = Arrays.copyOfRange(stored, (int) s.storedStart(), (int) s.storedStart() + s.storedLength());
            byte[] plain = new byte[s.plainLength()];
            assertEquals(s.plainLength(), c.open(s, frames, 0, plain, 0, "b/k"));
            int skip = (int) (at - s.plainStart());
            System.arraycopy(plain, skip, out, pos, (int) (end - at));
            pos += (int) (end - at);
            at = end;
        } while (at < to);
        return out;
    }

    @Test
    void roundTripsWholeBallsAndRangesOfEverySize() {
        BallCipher c = key.newBall(CHUNK);
        for (int size : new int[] {0, 1, FrameLayout.FRAME - 1, FrameLayout.FRAME, FrameLayout.FRAME + 1, CHUNK, CHUNK + 1,
            3 * CHUNK - 17}) {
            byte[] plain = filled(size, size);
            byte[] stored = sealBall(c, plain);
            assertEquals(stored.length, c.layout().storedSize(size));
            assertEquals(size, c.layout().plainSize(stored.length, "b/k"));
            assertArrayEquals(plain, openRange(c, stored, size, 0, size), "size " + size);
            if (size > 10) {
                long a = size / 3;
                long b = Math.min(size, a + FrameLayout.FRAME + 5);
                assertArrayEquals(Arrays.copyOfRange(plain, (int) a, (int) b), openRange(c, stored, size, a, b));
            }
        }
    }

    @Test
    void aRangeNeedsOnlyTheFramesCoveringIt() {
        FrameLayout l = new FrameLayout(CHUNK);
        FrameLayout.Span s = l.span(1, CHUNK + FrameLayout.FRAME + 10, CHUNK + FrameLayout.FRAME + 20, 3L * CHUNK);
        assertEquals(1, s.firstFrame());
        assertEquals(1, s.frameCount());
        assertEquals(FrameLayout.STORED_FRAME, s.storedLength());
        assertEquals(l.storedChunk() + FrameLayout.STORED_FRAME, s.storedStart());
        FrameLayout.Span tail = l.span(2, 3L * CHUNK - 5, 3L * CHUNK, 3L * CHUNK);
        assertEquals(5, tail.firstFrame());
        assertEquals(1000 + FrameLayout.TAG, tail.storedLength());
        assertTrue(tail.lastChunk());
    }

    @Test
    void framesAreBoundToTheirPositionBallAndKey() {
        BallCipher c = key.newBall(CHUNK);
        byte[] plain = filled(2 * CHUNK + 5, 1);
        byte[] stored = sealBall(c, plain);
        long size = plain.length;
        // Swapping two frames of a chunk.
        byte[] swapped = stored.clone();
        System.arraycopy(stored, FrameLayout.STORED_FRAME, swapped, 0, FrameLayout.STORED_FRAME);
        System.arraycopy(stored, 0, swapped, FrameLayout.STORED_FRAME, FrameLayout.STORED_FRAME);
        assertWrongKeyOrTampered(() -> openRange(c, swapped, size, 0, 10));
        // A frame of another ball (same key, another IV) spliced in at the same position.
        byte[] foreign = sealBall(key.newBall(CHUNK), plain);
        byte[] spliced = stored.clone();
        System.arraycopy(foreign, 0, spliced, 0, FrameLayout.STORED_FRAME);
        assertWrongKeyOrTampered(() -> openRange(c, spliced, size, 0, 10));
        // One flipped bit.
        byte[] flipped = stored.clone();
        flipped[100] ^= 1;
        assertWrongKeyOrTampered(() -> openRange(c, flipped, size, 0, 10));
        // The right IV under another key.
        BallCipher wrong = other.forBall(c.ivHex(), CHUNK, "b/k");
        assertWrongKeyOrTampered(() -> openRange(wrong, stored, size, 0, 10));
        // Cut at a frame boundary of the last chunk: the new last frame is not sealed as final.
        long cutStored = stored.length - 5 - FrameLayout.TAG;
        byte[] cut = Arrays.copyOf(stored, (int) cutStored);
        long cutPlain = c.layout().plainSize(cutStored, "b/k");
        assertWrongKeyOrTampered(() -> openRange(c, cut, cutPlain, 0, cutPlain));
        // Dropping the whole last chunk.
        byte[] dropped = Arrays.copyOf(stored, (int) (2 * c.layout().storedChunk()));
        assertWrongKeyOrTampered(() -> openRange(c, dropped, 2L * CHUNK, CHUNK, 2L * CHUNK));
        // Sizes no sealed ball has are refused before any decryption.
        assertThrows(EncryptionException.class, () -> c.layout().plainSize(2 * c.layout().storedChunk() + 10, "b/k"));
        assertThrows(EncryptionException.class, () -> c.layout().plainSize(FrameLayout.TAG - 1, "b/k"));
        assertThrows(EncryptionException.class, () -> c.layout().plainSize(FrameLayout.STORED_FRAME + 5, "b/k"));
    }

    static void assertWrongKeyOrTampered(org.junit.jupiter.api.function.Executable e) {
        EncryptionException x = assertThrows(EncryptionException.class, e);
        assertTrue(x.getMessage().contains("wrong key or tampered"), x.getMessage());
    }

    @Test
    void noncesDifferAcrossFramesChunksAndBalls() throws Exception {
        // Equal plaintext frames must give different ciphertext everywhere (distinct nonces).
        byte[] zeros = new byte[2 * FrameLayout.FRAME];
        Set<String> seen = new HashSet<>();
        for (int ball = 0; ball < 3; ball++) {
            BallCipher c = key.newBall(CHUNK);
            for (int chunk = 0; chunk < 3; chunk++) {
                byte[] s = c.seal(zeros, zeros.length, chunk, false);
                for (int f = 0; f < 2; f++) {
                    String head = java.util.HexFormat.of().formatHex(s, f * FrameLayout.STORED_FRAME,
                            f * FrameLayout.STORED_FRAME + 16);
                    assertTrue(seen.add(head), "repeated keystream at ball " + ball + " chunk " + chunk + " frame " + f);
                }
            }
        }
        assertEquals(18, seen.size());
        assertNotEquals(key.newBall(CHUNK).ivHex(), key.newBall(CHUNK).ivHex());
    }

    @Test
    void badMetadataIsAClearError() {
        assertThrows(EncryptionException.class, () -> key.forBall("zz", CHUNK, "b/k"));
        assertThrows(EncryptionException.class, () -> key.forBall("00", CHUNK, "b/k"));
        assertThrows(EncryptionException.class, () -> key.forBall("00".repeat(12), 100, "b/k"));
        assertThrows(IllegalArgumentException.class, () -> new EncryptionKey("bad id", new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> new EncryptionKey("k", new byte[16]));
    }
}

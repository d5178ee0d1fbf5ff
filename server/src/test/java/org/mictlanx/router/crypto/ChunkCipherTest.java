package org.mictlanx.router.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The framed chunk format: round trips at frame boundaries and every way of tampering with frames. */
class ChunkCipherTest {

    private static final int F = ChunkCipher.FRAME_BYTES;
    private final ChunkCipher cipher = new ChunkCipher();
    private final SecretKey key = cipher.newDataKey();

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, F - 1, F, F + 1, 3 * F, 3 * F + 17, 8 * 1024 * 1024 + 5})
    void roundTripsAtFrameBoundaries(int size) throws Exception {
        byte[] plain = random(size + 10);
        byte[] sealed = cipher.encrypt(key, "ball", 7, plain, 5, size);
        assertEquals(ChunkCipher.sealedLength(size), sealed.length);
        assertEquals(size + 16L * Math.max(1, (size + F - 1) / F), sealed.length);
        assertArrayEquals(Arrays.copyOfRange(plain, 5, 5 + size), cipher.decrypt(key, "ball", 7, sealed));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, F - 1, F, F + 1, 3 * F + 17, 8 * 1024 * 1024 + 5})
    void decryptsInPlaceInsideALargerArray(int size) throws Exception {
        byte[] plain = random(size);
        byte[] sealed = cipher.encrypt(key, "ball", 3, plain, 0, size);
        byte[] holder = new byte[sealed.length + 40];
        System.arraycopy(sealed, 0, holder, 13, sealed.length);
        int n = cipher.decryptInPlace(key, "ball", 3, holder, 13, sealed.length);
        assertEquals(size, n);
        assertArrayEquals(plain, Arrays.copyOfRange(holder, 13, 13 + n));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, F - 1, F, F + 1, 3 * F + 17, 8 * 1024 * 1024 + 5})
    void decryptsInPlaceInABuffer(int size) throws Exception {
        byte[] plain = random(size);
        byte[] sealed = cipher.encrypt(key, "ball", 3, plain, 0, size);
        for (boolean direct : new boolean[]{true, false}) {
            java.nio.ByteBuffer holder = direct ? java.nio.ByteBuffer.allocateDirect(sealed.length + 40)
                    : java.nio.ByteBuffer.allocate(sealed.length + 40);
            holder.position(13).put(sealed).flip().position(13);
            assertEquals(size, cipher.decryptInPlace(key, "ball", 3, holder));
            assertEquals(13, holder.position());
            assertEquals(13 + size, holder.limit());
            byte[] got = new byte[size];
            holder.get(got);
            assertArrayEquals(plain, got);
        }
    }

    @Test
    void inPlaceBufferDecryptionRejectsTampering() {
        byte[] sealed = cipher.encrypt(key, "ball", 3, random(3 * F), 0, 3 * F);
        byte[] flipped = sealed.clone();
        flipped[2 * F + 40] ^= 1;
        assertThrows(AEADBadTagException.class, () -> cipher.decryptInPlace(key, "ball", 3, direct(flipped)));
        assertThrows(AEADBadTagException.class, () -> cipher.decryptInPlace(key, "ball", 4, direct(sealed)));
        assertThrows(AEADBadTagException.class, () -> cipher.decryptInPlace(key, "other", 3, direct(sealed)));
        assertThrows(AEADBadTagException.class,
                () -> cipher.decryptInPlace(key, "ball", 3, direct(Arrays.copyOf(sealed, sealed.length - 16))));
        byte[] swapped = sealed.clone(); // frames 0 and 1 exchanged
        System.arraycopy(sealed, F + 16, swapped, 0, F + 16);
        System.arraycopy(sealed, 0, swapped, F + 16, F + 16);
        assertThrows(AEADBadTagException.class, () -> cipher.decryptInPlace(key, "ball", 3, direct(swapped)));
    }

    @Test
    void aRangedDecryptionAuthenticatesAndDecryptsExactlyTheFramesOfTheRange() throws Exception {
        int size = 5 * F + 100;
        byte[] plain = random(size);
        byte[] sealed = cipher.encrypt(key, "ball", 2, plain, 0, size);
        int[][] ranges = {{0, 1}, {F - 1, F + 1}, {2 * F + 7, 3 * F}, {5 * F, size}, {5 * F + 99, size}, {0, size}};
        for (int[] r : ranges) {
            java.nio.ByteBuffer b = direct(sealed);
            assertEquals(size, cipher.decryptInPlace(key, "ball", 2, b, r[0], r[1]));
            byte[] got = new byte[r[1] - r[0]];
            b.get(r[0], got);
            assertArrayEquals(Arrays.copyOfRange(plain, r[0], r[1]), got, r[0] + ".." + r[1]);
        }
        byte[] flipped = sealed.clone();
        flipped[3 * (F + 16) + 5] ^= 1; // in frame 3
        assertThrows(AEADBadTagException.class, () -> cipher.decryptInPlace(key, "ball", 2, direct(flipped), 3 * F + 1, 3 * F + 2));
        assertThrows(AEADBadTagException.class, () -> cipher.decryptInPlace(key, "ball", 2, direct(flipped), F, 4 * F));
        // a range that does not touch frame 3 reads frames that authenticate; the peer's CRC32C covers the whole chunk
        assertEquals(size, cipher.decryptInPlace(key, "ball", 2, direct(flipped), 0, 3 * F));
        byte[] cut = Arrays.copyOf(sealed, sealed.length - (100 + 16)); // the last frame dropped: frame 4 is not marked last
        assertThrows(AEADBadTagException.class, () -> cipher.decryptInPlace(key, "ball", 2, direct(cut), 4 * F, 5 * F));
    }

    private static java.nio.ByteBuffer direct(byte[] b) {
        return java.nio.ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    @Test
    void inPlaceDecryptionRejectsTamperingAsTheCopyingOneDoes() {
        byte[] sealed = cipher.encrypt(key, "ball", 3, random(3 * F), 0, 3 * F);
        byte[] flipped = sealed.clone();
        flipped[2 * F + 40] ^= 1;
        assertThrows(AEADBadTagException.class, () -> cipher.decryptInPlace(key, "ball", 3, flipped, 0, flipped.length));
        assertThrows(AEADBadTagException.class, () -> cipher.decryptInPlace(key, "ball", 4, sealed.clone(), 0, sealed.length));
        assertThrows(AEADBadTagException.class, () -> cipher.decryptInPlace(key, "ball", 3, sealed.clone(), 0, sealed.length - 16));
    }

    @Test
    void decryptsASealedChunkInsideALargerArray() throws Exception {
        byte[] plain = random(2 * F + 3);
        byte[] sealed = cipher.encrypt(key, "ball", 1, plain, 0, plain.length);
        byte[] framed = new byte[sealed.length + 9];
        System.arraycopy(sealed, 0, framed, 5, sealed.length);
        assertArrayEquals(plain, cipher.decrypt(key, "ball", 1, framed, 5, sealed.length));
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt(key, "ball", 1, framed, 4, sealed.length));
    }

    @Test
    void everyFrameIsAuthenticated() throws Exception {
        byte[] sealed = cipher.encrypt(key, "ball", 0, random(3 * F), 0, 3 * F);
        for (int frame = 0; frame < 3; frame++) {
            byte[] bad = sealed.clone();
            bad[frame * (F + 16) + 100] ^= 1;
            assertThrows(AEADBadTagException.class, () -> cipher.decrypt(key, "ball", 0, bad));
        }
    }

    @Test
    void framesCannotBeSwappedDroppedOrTruncated() throws Exception {
        byte[] sealed = cipher.encrypt(key, "ball", 0, random(3 * F), 0, 3 * F);
        int fl = F + 16;
        byte[] swapped = sealed.clone();
        System.arraycopy(sealed, 0, swapped, fl, fl);
        System.arraycopy(sealed, fl, swapped, 0, fl);
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt(key, "ball", 0, swapped));
        byte[] lastDropped = Arrays.copyOf(sealed, 2 * fl);
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt(key, "ball", 0, lastDropped));
        byte[] firstDropped = Arrays.copyOfRange(sealed, fl, sealed.length);
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt(key, "ball", 0, firstDropped));
        byte[] cut = Arrays.copyOf(sealed, sealed.length - 1);
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt(key, "ball", 0, cut));
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt(key, "ball", 0, new byte[15]));
    }

    @Test
    void chunksAreBoundToBallIndexAndKey() throws Exception {
        byte[] sealed = cipher.encrypt(key, "ball", 3, random(F + 1), 0, F + 1);
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt(key, "ball", 4, sealed));
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt(key, "other", 3, sealed));
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt(cipher.newDataKey(), "ball", 3, sealed));
    }
}

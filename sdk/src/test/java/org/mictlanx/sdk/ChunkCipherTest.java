package org.mictlanx.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChunkCipherTest {

    final ChunkCipher cipher = new ChunkCipher(new EncryptionKey("k", new byte[32]));

    @Test
    void roundTripsAndBindsPositionAndLastFlag() {
        byte[] plain = "some plaintext".getBytes();
        byte[] stored = cipher.encrypt(plain, 3, false);
        assertEquals(plain.length + ChunkCipher.OVERHEAD, stored.length);
        assertArrayEquals(plain, cipher.decrypt(stored, 3, false, "b/k"));
        assertThrows(EncryptionException.class, () -> cipher.decrypt(stored, 4, false, "b/k"));
        assertThrows(EncryptionException.class, () -> cipher.decrypt(stored, 3, true, "b/k"));
        stored[20] ^= 1;
        assertThrows(EncryptionException.class, () -> cipher.decrypt(stored, 3, false, "b/k"));
    }

    @Test
    void plainSizeRemovesPerChunkOverhead() {
        int p = 100;
        assertEquals(0, ChunkCipher.plainSize(28, p));
        assertEquals(100, ChunkCipher.plainSize(128, p));
        assertEquals(101, ChunkCipher.plainSize(128 + 29, p));
        assertThrows(IllegalArgumentException.class, () -> new EncryptionKey("bad id", new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> new EncryptionKey("k", new byte[16]));
    }
}

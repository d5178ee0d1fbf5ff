package org.mictlanx.xolo.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private final SecretBox box = new SecretBox("master-key-master-key".getBytes(StandardCharsets.US_ASCII), new SecureRandom());

    @Test
    void sealsWithFreshNoncesAndRejectsTamperingOrMovedRecords() {
        byte[] a = box.seal("the secret", "AK1");
        byte[] b = box.seal("the secret", "AK1");
        assertNotEquals(Arrays.toString(a), Arrays.toString(b));
        assertEquals("the secret", box.open(a, "AK1"));
        assertThrows(IllegalStateException.class, () -> box.open(a, "AK2"));
        byte[] flipped = a.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> box.open(flipped, "AK1"));
        assertThrows(IllegalStateException.class, () -> box.open(new byte[5], "AK1"));
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(new byte[8], new SecureRandom()));
    }
}

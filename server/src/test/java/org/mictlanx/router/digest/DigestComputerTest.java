package org.mictlanx.router.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.Digest;

class DigestComputerTest {

    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void knownVectorsOfEveryDigest() {
        DigestComputer d = new DigestComputer(Set.of(Digest.values()));
        d.update(CHECK, 0, 4);
        d.update(CHECK, 4, 5);
        Map<Digest, byte[]> out = d.finish();
        HexFormat hex = HexFormat.of();
        assertEquals("25f9e794323b453885f5181f1b624d0b", hex.formatHex(out.get(Digest.MD5)));
        assertEquals("f7c3bc1d808e04732adf679965ccc34ca7ae3441", hex.formatHex(out.get(Digest.SHA1)));
        assertEquals("15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225", hex.formatHex(out.get(Digest.SHA256)));
        assertEquals("cbf43926", hex.formatHex(out.get(Digest.CRC32)));
        assertEquals("e3069283", hex.formatHex(out.get(Digest.CRC32C)));
        assertArrayEquals(hex.parseHex("ae8b14860a799888"), out.get(Digest.CRC64NVME));
    }

    @Test
    void md5IsAlwaysComputed() {
        assertEquals(Set.of(Digest.MD5), new DigestComputer(Set.of()).finish().keySet());
    }
}

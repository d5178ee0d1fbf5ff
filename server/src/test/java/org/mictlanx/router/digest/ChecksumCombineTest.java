package org.mictlanx.router.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.Digest;

class ChecksumCombineTest {

    private static byte[] digest(Digest d, byte[] b, int off, int len) {
        DigestComputer c = new DigestComputer(EnumSet.of(d));
        c.update(b, off, len);
        return c.finish().get(d);
    }

    @Test
    void combinedCrcsEqualTheCrcOfTheWholeForEverySplit() {
        Random rnd = new Random(42);
        for (Digest d : List.of(Digest.CRC32, Digest.CRC32C, Digest.CRC64NVME)) {
            for (int trial = 0; trial < 20; trial++) {
                byte[] data = new byte[rnd.nextInt(200_000)];
                rnd.nextBytes(data);
                int parts = 1 + rnd.nextInt(5);
                List<byte[]> crcs = new ArrayList<>();
                List<Long> lengths = new ArrayList<>();
                int pos = 0;
                for (int p = 0; p < parts; p++) {
                    int len = p == parts - 1 ? data.length - pos : rnd.nextInt(data.length - pos + 1);
                    crcs.add(digest(d, data, pos, len));
                    lengths.add((long) len);
                    pos += len;
                }
                assertArrayEquals(digest(d, data, 0, data.length), ChecksumCombine.combineCrc(d, crcs, lengths),
                        d + " trial " + trial);
            }
        }
    }

    @Test
    void compositeIsTheChecksumOfTheConcatenatedPartChecksums() {
        byte[] a = digest(Digest.SHA256, new byte[] {1, 2, 3}, 0, 3);
        byte[] b = digest(Digest.SHA256, new byte[] {4}, 0, 1);
        byte[] cat = new byte[a.length + b.length];
        System.arraycopy(a, 0, cat, 0, a.length);
        System.arraycopy(b, 0, cat, a.length, b.length);
        assertArrayEquals(digest(Digest.SHA256, cat, 0, cat.length), ChecksumCombine.composite(Digest.SHA256, List.of(a, b)));
    }
}

package org.mictlanx.peer.http;

import org.mictlanx.peer.store.ChunkCodec;

/**
 * What an on-path attacker does to a CRC32C-protected body: overwrite its start with chosen bytes and
 * fix four further bytes so that the CRC32C (and the length) stay the same. CRC is affine over GF(2),
 * so the four fix-up bytes come from solving a 32×32 linear system.
 */
final class Crc32cForgery {
    private Crc32cForgery() {
    }

    /** {@code original} with {@code chosen} at offset 0 and bytes [chosen.length, +4) adjusted: same length and CRC32C. */
    static byte[] sameCrc(byte[] original, byte[] chosen) {
        int fix = chosen.length;
        if (original.length < fix + 4) throw new IllegalArgumentException("too short to forge");
        byte[] forged = original.clone();
        System.arraycopy(chosen, 0, forged, 0, chosen.length);
        int target = crc(original) ^ crc(forged); // the difference the 32 fix-up bits must cancel
        int[] effect = new int[32];
        for (int bit = 0; bit < 32; bit++) {
            byte[] probe = forged.clone();
            probe[fix + bit / 8] ^= (byte) (1 << (bit % 8));
            effect[bit] = crc(probe) ^ crc(forged);
        }
        // Gaussian elimination: find a set of bits whose effects xor to target
        int[] rows = effect.clone();
        int[] combo = new int[32];
        for (int i = 0; i < 32; i++) combo[i] = 1 << i;
        int rank = 0;
        int[] pivotBit = new int[32];
        for (int col = 31; col >= 0 && rank < 32; col--) {
            int sel = -1;
            for (int r = rank; r < 32; r++) if ((rows[r] >>> col & 1) == 1) { sel = r; break; }
            if (sel < 0) continue;
            int t = rows[sel]; rows[sel] = rows[rank]; rows[rank] = t;
            t = combo[sel]; combo[sel] = combo[rank]; combo[rank] = t;
            for (int r = 0; r < 32; r++) {
                if (r != rank && (rows[r] >>> col & 1) == 1) {
                    rows[r] ^= rows[rank];
                    combo[r] ^= combo[rank];
                }
            }
            pivotBit[rank++] = col;
        }
        int flips = 0, rest = target;
        for (int r = 0; r < rank; r++) {
            if ((rest >>> pivotBit[r] & 1) == 1) {
                rest ^= rows[r];
                flips ^= combo[r];
            }
        }
        if (rest != 0) throw new IllegalStateException("no solution");
        for (int bit = 0; bit < 32; bit++) if ((flips >>> bit & 1) == 1) forged[fix + bit / 8] ^= (byte) (1 << (bit % 8));
        return forged;
    }

    private static int crc(byte[] b) {
        return ChunkCodec.crc32c(b, 0, b.length);
    }
}

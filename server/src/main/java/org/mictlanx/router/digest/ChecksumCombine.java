package org.mictlanx.router.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.mictlanx.router.Digest;

/**
 * Whole-ball checksums of a multipart ball from its parts' checksums, without reading data.
 *
 * <ul>
 *   <li>FULL_OBJECT CRCs: {@code crc(A || B) = crc(A) · x^(8·|B|) mod P  ⊕  crc(B)} (zlib's
 *       crc32_combine, in the reflected domain; the initial value and final xor cancel out), for
 *       CRC32, CRC32C and CRC64NVME.
 *   <li>COMPOSITE: the algorithm applied to the concatenation of the parts' raw checksums.
 *   <li>The multipart ETag: hex MD5 of the concatenated binary part MD5s, then {@code -N}.
 * </ul>
 */
public final class ChecksumCombine {

    private ChecksumCombine() {
    }

    /** Whether FULL_OBJECT combination is possible for {@code d}. */
    public static boolean combinable(Digest d) {
        return d == Digest.CRC32 || d == Digest.CRC32C || d == Digest.CRC64NVME;
    }

    /** The CRC of the concatenation of parts with the given raw (big-endian) CRCs and lengths. */
    public static byte[] combineCrc(Digest d, List<byte[]> crcs, List<Long> lengths) {
        Crc c = Crc.of(d);
        long acc = 0;
        boolean first = true;
        for (int i = 0; i < crcs.size(); i++) {
            long v = c.width == 64 ? ByteBuffer.wrap(crcs.get(i)).getLong() : ByteBuffer.wrap(crcs.get(i)).getInt() & 0xffffffffL;
            acc = first ? v : c.combine(acc, v, lengths.get(i));
            first = false;
        }
        if (first) acc = 0; // CRC of no bytes
        return c.width == 64 ? ByteBuffer.allocate(8).putLong(acc).array() : ByteBuffer.allocate(4).putInt((int) acc).array();
    }

    /** {@code d} over the concatenated raw checksums (COMPOSITE). */
    public static byte[] composite(Digest d, List<byte[]> partValues) {
        DigestComputer dc = new DigestComputer(EnumSet.of(d));
        for (byte[] v : partValues) dc.update(v, 0, v.length);
        return dc.finish().get(d);
    }

    /** The S3 multipart ETag: hex MD5 of the concatenated part MD5s, {@code -N}. */
    public static String multipartEtag(List<byte[]> partMd5s) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            for (byte[] m : partMd5s) md.update(m);
            return HexFormat.of().formatHex(md.digest()) + "-" + partMd5s.size();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Raw checksums of the given algorithm per part, in order. */
    public static List<byte[]> values(List<Map<Digest, byte[]>> parts, Digest d) {
        return parts.stream().map(m -> m.get(d)).toList();
    }

    /** A reflected CRC of width 32 or 64 with polynomial {@code poly} (reflected form). */
    private record Crc(int width, long poly) {

        static Crc of(Digest d) {
            return switch (d) {
                case CRC32 -> new Crc(32, 0xEDB88320L);
                case CRC32C -> new Crc(32, 0x82F63B78L);
                case CRC64NVME -> new Crc(64, 0x9a6c9329ac4bc9b5L);
                default -> throw new IllegalArgumentException(d + " is not a combinable CRC");
            };
        }

        private long top() {
            return 1L << (width - 1);
        }

        /** a · b mod P (reflected polynomials). */
        long multmodp(long a, long b) {
            long m = top();
            long p = 0;
            while (true) {
                if ((a & m) != 0) {
                    p ^= b;
                    if ((a & (m - 1)) == 0) break;
                }
                m >>>= 1;
                b = (b & 1) != 0 ? (b >>> 1) ^ poly : b >>> 1;
            }
            return p;
        }

        /** x^(n · 2^k) mod P. */
        long x2nmodp(long n, int k) {
            long p = top(); // x^0
            long sq = top() >>> 1; // x^1
            for (int i = 0; i < k; i++) sq = multmodp(sq, sq);
            while (n != 0) {
                if ((n & 1) != 0) p = multmodp(sq, p);
                n >>>= 1;
                sq = multmodp(sq, sq);
            }
            return p;
        }

        long combine(long crc1, long crc2, long len2) {
            return multmodp(x2nmodp(len2, 3), crc1) ^ crc2;
        }
    }
}

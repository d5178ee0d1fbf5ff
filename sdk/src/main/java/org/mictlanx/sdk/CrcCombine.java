package org.mictlanx.sdk;

import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.mictlanx.common.Crc64Nvme;

/**
 * The S3 CRC checksums (CRC32, CRC32C, CRC64NVME: reflected, initial value and final xor all ones) of
 * a concatenation from the CRCs of its pieces: {@code combine(crc(A), crc(B), |B|) == crc(A + B)}
 * (zlib's {@code crc32_combine}, GF(2) matrix squaring, O(log |B|) steps). It lets pieces of a ball
 * be checksummed on the threads that fetched them, in parallel, and joined in order. Stateless.
 */
final class CrcCombine {

    private final long poly;
    private final int width;
    private final Supplier<Checksum> checksum;

    private CrcCombine(long poly, int width, Supplier<Checksum> checksum) {
        this.poly = poly;
        this.width = width;
        this.checksum = checksum;
    }

    /** The combiner of a CRC algorithm's S3 name, or null for a non-CRC one (SHA1, SHA256) or an unknown one. */
    static CrcCombine of(String algorithm) {
        if (algorithm == null) {
            return null;
        }
        return switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "CRC32" -> new CrcCombine(0xEDB88320L, 32, CRC32::new);
            case "CRC32C" -> new CrcCombine(0x82F63B78L, 32, CRC32C::new);
            case "CRC64NVME" -> new CrcCombine(0x9a6c9329ac4bc9b5L, 64, Crc64Nvme::new);
            default -> null;
        };
    }

    /** The CRC of {@code b[off, off + len)} (0 for no bytes). */
    long crc(byte[] b, int off, int len) {
        Checksum c = checksum.get();
        c.update(b, off, len);
        return c.getValue();
    }

    /** The CRC of the bytes whose CRC is {@code crc} followed by {@code b[off, off + len)}. */
    long append(long crc, byte[] b, int off, int len) {
        return combine(crc, crc(b, off, len), len);
    }

    /** {@code crc} as the raw big-endian bytes S3 base64-encodes (4 for the 32-bit CRCs, 8 for CRC64NVME). */
    byte[] bytes(long crc) {
        int n = width / 8;
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (crc >>> (8 * (n - 1 - i)));
        }
        return out;
    }

    /** The CRC of A followed by B, from the CRC of A, the CRC of B and B's length in bytes. */
    long combine(long crcA, long crcB, long lengthB) {
        if (lengthB <= 0) {
            return crcA;
        }
        long[] even = new long[width];
        long[] odd = new long[width];
        odd[0] = poly; // the operator of one zero bit
        long row = 1;
        for (int n = 1; n < width; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd); // two zero bits
        square(odd, even); // four zero bits
        long crc = crcA;
        long len = lengthB;
        do {
            square(even, odd); // first pass: one zero byte, then doubling
            if ((len & 1) != 0) {
                crc = times(even, crc);
            }
            len >>>= 1;
            if (len == 0) {
                break;
            }
            square(odd, even);
            if ((len & 1) != 0) {
                crc = times(odd, crc);
            }
            len >>>= 1;
        } while (len != 0);
        return crc ^ crcB;
    }

    private static long times(long[] mat, long vec) {
        long sum = 0;
        for (int i = 0; vec != 0; i++, vec >>>= 1) {
            if ((vec & 1) != 0) {
                sum ^= mat[i];
            }
        }
        return sum;
    }

    private static void square(long[] square, long[] mat) {
        for (int n = 0; n < mat.length; n++) {
            square[n] = times(mat, mat[n]);
        }
    }
}

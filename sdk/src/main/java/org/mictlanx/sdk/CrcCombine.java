package org.mictlanx.sdk;

import org.jspecify.annotations.Nullable;
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
    static @Nullable CrcCombine of(@Nullable String algorithm) {
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

    /**
     * A running CRC fed either bytes (streamed through one {@link Checksum}, as fast as the JDK's) or
     * the CRCs of whole ranges (combined); the two mix in any order. Not thread-safe.
     */
    final class Running {
        private final Checksum tail = checksum.get();
        private long value;
        private long tailLength;

        void update(byte[] b, int off, int len) {
            tail.update(b, off, len);
            tailLength += len;
        }

        /** Appends a range of {@code length} bytes whose CRC is {@code crc}. */
        void append(long crc, long length) {
            flush();
            value = combine(value, crc, length);
        }

        /** The CRC of everything fed since the last reset; resets. */
        long take() {
            flush();
            long v = value;
            value = 0;
            return v;
        }

        private void flush() {
            if (tailLength > 0) {
                value = combine(value, tail.getValue(), tailLength);
                tail.reset();
                tailLength = 0;
            }
        }
    }

    /** A new running CRC of no bytes. */
    Running running() {
        return new Running();
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

package org.mictlanx.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BallVerifierTest {

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] digest(String alg, byte[] data, int off, int len) {
        Hasher h = Hasher.of(alg);
        h.update(data, off, len);
        return h.digest();
    }

    /** Feeds {@code data} in uneven slices that straddle part boundaries. */
    static void feed(BallVerifier v, byte[] data) {
        int[] slices = {1, 7, 1000, 4096, 3};
        int pos = 0;
        for (int i = 0; pos < data.length; i++) {
            int n = Math.min(slices[i % slices.length], data.length - pos);
            v.update(data, pos, n);
            pos += n;
        }
    }

    @Test
    void knownCheckValues() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals("cbf43926", java.util.HexFormat.of().formatHex(digest("CRC32", check, 0, 9)));
        assertEquals("e3069283", java.util.HexFormat.of().formatHex(digest("crc32c", check, 0, 9)));
        assertEquals("ae8b14860a799888", java.util.HexFormat.of().formatHex(digest("CRC64NVME", check, 0, 9)));
        assertEquals(20, digest("SHA1", check, 0, 9).length);
        assertEquals(null, Hasher.of("MD5"));
    }

    @Test
    void fullObjectChecksumsMatchAndMismatch() {
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);
        for (String alg : List.of("CRC32", "CRC32C", "CRC64NVME")) {
            String sum = b64(digest(alg, data, 0, data.length));
            BallVerifier ok = BallVerifier.fullObject("b/k", alg, sum);
            feed(ok, data);
            ok.finish();
            data[500] ^= 1;
            BallVerifier bad = BallVerifier.fullObject("b/k", alg, sum);
            feed(bad, data);
            IntegrityException e = assertThrows(IntegrityException.class, bad::finish);
            assertTrue(e.getMessage().contains(alg + " of b/k"), e.getMessage());
            data[500] ^= 1;
        }
    }

    @Test
    void compositeChecksumsArePerPartThenOverThePartChecksums() {
        byte[] data = new byte[30_000];
        new Random(2).nextBytes(data);
        int[] sizes = {10_000, 15_000, 5_000};
        for (String alg : List.of("CRC32C", "SHA256")) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            List<BallVerifier.Part> parts = new java.util.ArrayList<>();
            int off = 0;
            for (int s : sizes) {
                byte[] d = digest(alg, data, off, s);
                raw.writeBytes(d);
                parts.add(new BallVerifier.Part(s, b64(d)));
                off += s;
            }
            byte[] all = raw.toByteArray();
            String composite = b64(digest(alg, all, 0, all.length)) + "-3";
            BallVerifier ok = BallVerifier.composite("b/k", alg, composite, parts);
            feed(ok, data);
            ok.finish();
            // A flipped byte in part 2 fails when part 2 ends, naming it.
            data[12_345] ^= 1;
            BallVerifier bad = BallVerifier.composite("b/k", alg, composite, parts);
            IntegrityException e = assertThrows(IntegrityException.class, () -> feed(bad, data));
            assertTrue(e.getMessage().contains("part 2 of b/k"), e.getMessage());
            data[12_345] ^= 1;
            // Part checksums that are self-consistent but not the stored composite.
            BallVerifier wrongTotal = BallVerifier.composite("b/k", alg, b64(new byte[all.length > 40 ? 32 : 4]) + "-3", parts);
            feed(wrongTotal, data);
            assertThrows(IntegrityException.class, wrongTotal::finish);
            // A short ball, or more bytes than the parts hold.
            BallVerifier shortBall = BallVerifier.composite("b/k", alg, composite, parts);
            shortBall.update(data, 0, 20_000);
            assertThrows(IntegrityException.class, shortBall::finish);
            BallVerifier longBall = BallVerifier.composite("b/k", alg, composite, parts);
            feed(longBall, data);
            assertThrows(IntegrityException.class, () -> longBall.update(new byte[1], 0, 1));
        }
    }

    @Test
    void crcOfAConcatenationCombinesFromItsPieces() {
        byte[] data = new byte[70_000];
        new Random(3).nextBytes(data);
        for (String alg : List.of("CRC32", "CRC32C", "CRC64NVME")) {
            CrcCombine c = CrcCombine.of(alg);
            long all = c.crc(data, 0, data.length);
            assertEquals(b64(digest(alg, data, 0, data.length)), b64(c.bytes(all)));
            for (int cut : new int[] {0, 1, 7, 8, 4096, 65_537, 69_999, 70_000}) {
                long a = c.crc(data, 0, cut);
                long b = c.crc(data, cut, data.length - cut);
                assertEquals(all, c.combine(a, b, data.length - cut), alg + " cut at " + cut);
            }
            assertEquals(all, c.append(c.crc(data, 0, 123), data, 123, data.length - 123));
            assertEquals(0, c.crc(data, 0, 0));
        }
        assertEquals(null, CrcCombine.of("SHA256"));
        assertEquals(null, CrcCombine.of(null));
    }

    /** Feeds {@code data} as the sums of uneven pieces, computed out of order as parallel fetches would. */
    static void feedSums(BallVerifier v, byte[] data, int pieceSize) {
        List<BallVerifier.Sums> sums = new java.util.ArrayList<>();
        for (int at = 0; at < data.length; at += pieceSize) {
            sums.add(v.sums(data, at, Math.min(pieceSize, data.length - at), at));
        }
        sums.forEach(v::accept);
    }

    @Test
    void sumsFedInOrderVerifyLikeTheBytesThemselves() {
        byte[] data = new byte[30_000];
        new Random(4).nextBytes(data);
        int[] sizes = {10_000, 0, 15_000, 5_000};
        for (String alg : List.of("CRC32", "CRC32C", "CRC64NVME")) {
            String full = b64(digest(alg, data, 0, data.length));
            for (int piece : new int[] {1_000, 4_096, 9_999, 10_000, 30_000}) {
                BallVerifier ok = BallVerifier.fullObject("b/k", alg, full);
                feedSums(ok, data, piece);
                ok.finish();
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            List<BallVerifier.Part> parts = new java.util.ArrayList<>();
            int off = 0;
            for (int s : sizes) {
                byte[] d = digest(alg, data, off, s);
                raw.writeBytes(d);
                parts.add(new BallVerifier.Part(s, b64(d)));
                off += s;
            }
            byte[] all = raw.toByteArray();
            String composite = b64(digest(alg, all, 0, all.length)) + "-4";
            for (int piece : new int[] {1_000, 4_096, 10_000, 12_345, 30_000}) {
                BallVerifier ok = BallVerifier.composite("b/k", alg, composite, parts);
                feedSums(ok, data, piece);
                ok.finish();
                BallVerifier bytes = BallVerifier.composite("b/k", alg, composite, parts);
                feed(bytes, data);
                bytes.finish();
            }
            // A flipped byte in part 3 (the second non-empty one) fails when that part ends, naming it.
            data[12_345] ^= 1;
            BallVerifier bad = BallVerifier.composite("b/k", alg, composite, parts);
            IntegrityException e = assertThrows(IntegrityException.class, () -> feedSums(bad, data, 8_192));
            assertTrue(e.getMessage().contains("part 3 of b/k"), e.getMessage());
            BallVerifier badFull = BallVerifier.fullObject("b/k", alg, full);
            feedSums(badFull, data, 8_192);
            assertThrows(IntegrityException.class, badFull::finish);
            data[12_345] ^= 1;
            // More bytes than the parts hold; sums out of order.
            BallVerifier longBall = BallVerifier.composite("b/k", alg, composite, parts);
            feedSums(longBall, data, 7_000);
            assertThrows(IntegrityException.class, () -> longBall.accept(longBall.sums(new byte[1], 0, 1, 30_000)));
            BallVerifier gap = BallVerifier.fullObject("b/k", alg, full);
            assertThrows(IllegalStateException.class, () -> gap.accept(gap.sums(data, 100, 100, 100)));
        }
        assertThrows(IllegalStateException.class, () -> BallVerifier.fullObject("b/k", "SHA256", "x").sums(data, 0, 1, 0));
    }
}

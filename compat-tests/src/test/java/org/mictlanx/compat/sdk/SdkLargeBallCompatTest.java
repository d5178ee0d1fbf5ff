package org.mictlanx.compat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.mictlanx.compat.AllInOne;
import org.mictlanx.sdk.MictlanX;
import org.mictlanx.sdk.PutOptions;
import org.mictlanx.sdk.PutResult;

/**
 * A 1 GiB ball ({@code -Dmictlanx.sdk.bigBytes} changes it) put from a generated stream of unknown
 * length and read back as a parallel stream, both sides checked by SHA-256; never held whole anywhere.
 */
class SdkLargeBallCompatTest {

    static final int MIB = 1 << 20;

    /** A deterministic pseudo-random stream of {@code size} bytes that hashes itself as it is read. */
    static final class Generated extends InputStream {
        private final SplittableRandom random = new SplittableRandom(42);
        private final MessageDigest sha;
        private long left;

        Generated(long size) throws Exception {
            this.left = size;
            this.sha = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i += 8) {
                long v = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    b[off + i + j] = (byte) (v >>> (8 * j));
                }
            }
            sha.update(b, off, n);
            left -= n;
            return n;
        }
    }

    @Test
    void oneGibPutAndGetCheckedBySha256() throws Exception {
        long size = Long.getLong("mictlanx.sdk.bigBytes", 1L << 30);
        try (AllInOne store = AllInOne.start();
             MictlanX sdk = MictlanX.builder().router(URI.create("http://127.0.0.1:" + store.port()))
                     .credentials(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY).partSize(16 * MIB).parallelism(4).build()) {
            sdk.createBucket("big");
            Generated source = new Generated(size);
            PutResult put = sdk.put("big", "gib", source, -1, PutOptions.DEFAULT);
            assertEquals(size, put.size());
            byte[] expected = source.sha.digest();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long read = 0;
            try (InputStream in = sdk.openStream("big", "gib")) {
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0; read += n) {
                    sha.update(buf, 0, n);
                }
            }
            assertEquals(size, read);
            assertArrayEquals(expected, sha.digest());
        }
    }
}

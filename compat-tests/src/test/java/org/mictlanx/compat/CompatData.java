package org.mictlanx.compat;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.services.s3.S3Client;

/** Test data shared by the compat tests: seeded random bodies and fresh bucket names. */
final class CompatData {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private CompatData() {
    }

    /** A new, empty bucket named {@code prefix-N-xxxxxx}, created through {@code s3}. */
    static String newBucket(S3Client s3, String prefix) {
        String name = prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        s3.createBucket(r -> r.bucket(name));
        return name;
    }

    /** {@code size} pseudo-random bytes, the same for the same seed. */
    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}

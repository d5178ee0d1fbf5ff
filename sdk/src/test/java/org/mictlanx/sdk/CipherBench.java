package org.mictlanx.sdk;

import java.util.Arrays;
import java.util.Random;

/**
 * Benchmark command (not a test): client-side encryption MiB/s of the framed AES-256-GCM format,
 * sealing and opening whole chunks as the SDK's put and get do, repetition by repetition (so the
 * JIT warm-up is visible). Arguments: {@code [--chunk-mib C (default 8)] [--reps R (default 12)]}.
 * Run from the reactor: {@code java -cp sdk/target/classes:sdk/target/test-classes org.mictlanx.sdk.CipherBench}.
 */
public final class CipherBench {

    private CipherBench() {
    }

    public static void main(String[] args) {
        int chunkMib = 8;
        int reps = 12;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--chunk-mib" -> chunkMib = Integer.parseInt(args[i + 1]);
                case "--reps" -> reps = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int chunk = chunkMib << 20;
        byte[] key = new byte[32];
        new Random(1).nextBytes(key);
        byte[] plain = new byte[chunk];
        new Random(2).nextBytes(plain);
        BallCipher cipher = new ClientKey(new EncryptionKey("bench", key)).newBall(chunk);
        FrameLayout.Span whole = cipher.layout().span(0, 0, chunk, chunk);
        byte[] out = new byte[chunk];
        System.out.printf("framed AES-256-GCM (%s), %d MiB chunks, 4 chunks per repetition%n", BallCipher.ALGORITHM, chunkMib);
        for (int r = 1; r <= reps; r++) {
            long t0 = System.nanoTime();
            byte[] stored = null;
            for (int i = 0; i < 4; i++) {
                stored = cipher.seal(plain, chunk, i, true);
            }
            double seal = 4.0 * chunkMib / ((System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                cipher.open(new FrameLayout.Span(3, 0, whole.frameCount(), whole.chunkFrames(), true, 0,
                        whole.storedLength(), 0), stored, 0, out, 0, "bench");
            }
            double open = 4.0 * chunkMib / ((System.nanoTime() - t0) / 1e9);
            if (!Arrays.equals(plain, out)) {
                throw new IllegalStateException("round trip failed");
            }
            System.out.printf("rep %2d: seal %7.1f MiB/s, open %7.1f MiB/s%n", r, seal, open);
        }
    }
}

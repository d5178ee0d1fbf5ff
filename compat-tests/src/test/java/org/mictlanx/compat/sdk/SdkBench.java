package org.mictlanx.compat.sdk;

import java.io.InputStream;
import java.util.Random;

import org.mictlanx.compat.AllInOne;
import org.mictlanx.sdk.EncryptionKey;
import org.mictlanx.sdk.MictlanX;
import org.mictlanx.sdk.PutOptions;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Benchmark command: put and get MiB/s of the native SDK versus the AWS SDK for Java v2 (sync client,
 * single PUT / streamed GET) against the same all-in-one in the same run. Arguments:
 * {@code [--mib N (ball size, default 256)] [--reps R (default 3)] [--part-mib P (default 8)] [--parallelism K (default 4)]
 * [--encrypt true (the SDK's balls with client-side encryption)]}.
 * Each phase reports the best and the mean of its repetitions.
 */
public final class SdkBench {

    private SdkBench() {
    }

    public static void main(String[] args) throws Exception {
        int mib = 256;
        int reps = 3;
        int partMib = 8;
        int parallelism = 4;
        boolean encrypt = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--mib" -> mib = Integer.parseInt(args[i + 1]);
                case "--reps" -> reps = Integer.parseInt(args[i + 1]);
                case "--part-mib" -> partMib = Integer.parseInt(args[i + 1]);
                case "--parallelism" -> parallelism = Integer.parseInt(args[i + 1]);
                case "--encrypt" -> encrypt = Boolean.parseBoolean(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        byte[] data = new byte[mib << 20];
        new Random(1).nextBytes(data);
        try (AllInOne store = AllInOne.start();
             S3Client aws = store.rootClient();
             MictlanX sdk = MictlanX.builder().router(store.endpoint())
                     .credentials(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY).partSize(partMib << 20)
                     .parallelism(parallelism).encryptionKey(new EncryptionKey("bench", new byte[32])).build()) {
            PutOptions options = encrypt ? PutOptions.DEFAULT.withEncryptionKeyId("bench") : PutOptions.DEFAULT;
            sdk.createBucket("bench");
            System.out.printf("ball %d MiB, %d reps, SDK parts %d MiB x %d in flight%s%n", mib, reps, partMib, parallelism,
                    encrypt ? ", SDK balls client-side encrypted" : "");
            double[] sdkPut = new double[reps];
            double[] sdkGet = new double[reps];
            double[] awsPut = new double[reps];
            double[] awsGet = new double[reps];
            for (int r = 0; r < reps; r++) {
                String k = "k" + r;
                long t0 = System.nanoTime();
                sdk.put("bench", "sdk-" + k, data, options);
                sdkPut[r] = rate(mib, t0);
                t0 = System.nanoTime();
                try (InputStream in = sdk.openStream("bench", "sdk-" + k)) {
                    drain(in);
                }
                sdkGet[r] = rate(mib, t0);
                t0 = System.nanoTime();
                aws.putObject(b -> b.bucket("bench").key("aws-" + k), RequestBody.fromBytes(data));
                awsPut[r] = rate(mib, t0);
                t0 = System.nanoTime();
                try (InputStream in = aws.getObject(b -> b.bucket("bench").key("aws-" + k))) {
                    drain(in);
                }
                awsGet[r] = rate(mib, t0);
            }
            report("mictlanx-sdk put", sdkPut);
            report("mictlanx-sdk get", sdkGet);
            report("aws-sdk-v2   put", awsPut);
            report("aws-sdk-v2   get", awsGet);
        }
    }

    private static void drain(InputStream in) throws java.io.IOException {
        byte[] buf = new byte[1 << 20];
        while (in.read(buf) > 0) {
            // discard
        }
    }

    private static double rate(int mib, long t0) {
        return mib / ((System.nanoTime() - t0) / 1e9);
    }

    private static void report(String what, double[] rates) {
        double best = 0;
        double sum = 0;
        for (double r : rates) {
            best = Math.max(best, r);
            sum += r;
        }
        System.out.printf("%s: best %.1f MiB/s, mean %.1f MiB/s%n", what, best, sum / rates.length);
    }
}

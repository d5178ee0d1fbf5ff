package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Memory: a multipart upload and download streamed through an all-in-one server in a child JVM
 * limited to a 256 MiB heap, checked by SHA-256. The size is {@code -Dmictlanx.memtest.bytes}, default
 * 5 GiB (about 3 minutes on 2 shared cores); lower it on slower machines, e.g. {@code -Dmictlanx.memtest.bytes=1073741824}.
 * The body is generated (seeded per part), never held whole anywhere.
 */
class LargeMultipartMemoryTest {

    private static final long PART = 64L * 1024 * 1024;

    @Test
    void multipartThroughA256MiBHeap() throws Exception {
        long size = Long.getLong("mictlanx.memtest.bytes", 5L * 1024 * 1024 * 1024);
        Path data = Files.createTempDirectory("mictlanx-mem");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(javaBin, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), "org.mictlanx.server.Main", "all-in-one",
                "--port", "0", "--host", "127.0.0.1", "--data", data.toString(),
                "--access-key", AllInOne.ACCESS_KEY, "--secret-key", AllInOne.SECRET_KEY)
                .redirectErrorStream(true).start();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            URI endpoint = awaitReady(server);
            try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY))).build()) {
                s3.createBucket(r -> r.bucket("mem"));
                String id = s3.createMultipartUpload(r -> r.bucket("mem").key("big")).uploadId();
                int parts = (int) ((size + PART - 1) / PART);
                List<Future<CompletedPart>> uploads = new ArrayList<>();
                for (int i = 1; i <= parts; i++) {
                    int n = i;
                    long len = Math.min(PART, size - (n - 1) * PART);
                    uploads.add(pool.submit(() -> CompletedPart.builder().partNumber(n).eTag(s3.uploadPart(
                            r -> r.bucket("mem").key("big").uploadId(id).partNumber(n).contentLength(len),
                            RequestBody.fromContentProvider(() -> new PartStream(n, len), len, "application/octet-stream"))
                            .eTag()).build()));
                }
                Future<byte[]> expected = pool.submit(() -> expectedSha256(size));
                List<CompletedPart> done = new ArrayList<>();
                for (Future<CompletedPart> f : uploads) done.add(f.get());
                s3.completeMultipartUpload(r -> r.bucket("mem").key("big").uploadId(id).multipartUpload(m -> m.parts(done)));
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long read = 0;
                try (InputStream in = s3.getObject(r -> r.bucket("mem").key("big"))) {
                    byte[] buf = new byte[1 << 20];
                    for (int k; (k = in.read(buf)) > 0; read += k) sha.update(buf, 0, k);
                }
                assertEquals(size, read);
                assertArrayEquals(expected.get(), sha.digest());
                assertTrue(server.isAlive(), "the 256 MiB server survived");
            }
        } finally {
            pool.shutdownNow();
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
            try (var walk = Files.walk(data)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Reads the child's output until its ready line; the rest is drained so the child never blocks. */
    static URI awaitReady(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            int at = line.indexOf("MictlanX ready at ");
            if (at >= 0) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discard
                        }
                    } catch (java.io.IOException e) {
                        // the child ended
                    }
                }, "child-output");
                drain.setDaemon(true);
                drain.start();
                return URI.create(line.substring(at + "MictlanX ready at ".length()).trim());
            }
        }
        throw new IllegalStateException("the server exited before it was ready:\n" + seen);
    }

    private static byte[] expectedSha256(long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        int parts = (int) ((size + PART - 1) / PART);
        for (int n = 1; n <= parts; n++) {
            try (PartStream in = new PartStream(n, Math.min(PART, size - (n - 1) * PART))) {
                for (int k; (k = in.read(buf)) > 0; ) sha.update(buf, 0, k);
            }
        }
        return sha.digest();
    }

    /** The pseudo-random bytes of part {@code n}: reproducible, generated on the fly. */
    static final class PartStream extends InputStream {
        private final SplittableRandom rnd;
        private long left;
        private long word;
        private int wordLeft;

        PartStream(int n, long length) {
            this.rnd = new SplittableRandom(0x5eed_0000L + n);
            this.left = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) return -1;
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                if (wordLeft == 0) {
                    word = rnd.nextLong();
                    wordLeft = 8;
                }
                b[off + i] = (byte) word;
                word >>>= 8;
                wordLeft--;
            }
            left -= n;
            return n;
        }
    }
}

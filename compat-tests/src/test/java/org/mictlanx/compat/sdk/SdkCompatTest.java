package org.mictlanx.compat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.compat.AllInOne;
import org.mictlanx.sdk.BallInfo;
import org.mictlanx.sdk.EncryptionException;
import org.mictlanx.sdk.EncryptionKey;
import org.mictlanx.sdk.ListEntry;
import org.mictlanx.sdk.MictlanX;
import org.mictlanx.sdk.MictlanXException;
import org.mictlanx.sdk.PutOptions;
import org.mictlanx.sdk.PutResult;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The native Java SDK against a real all-in-one: every call, and interop with the AWS SDK both ways. */
class SdkCompatTest {

    static final int MIB = 1 << 20;
    static AllInOne store;
    static S3Client s3;
    static MictlanX sdk;
    static final AtomicInteger names = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        s3 = store.rootClient();
        sdk = MictlanX.connect("mictlanx://" + AllInOne.ACCESS_KEY + ":"
                + URLEncoder.encode(AllInOne.SECRET_KEY, StandardCharsets.UTF_8) + "@127.0.0.1:" + store.port()
                + "/?secure=false&partSize=" + (5 * MIB) + "&cacheBytes=" + (64 * MIB));
    }

    @AfterAll
    static void stop() throws Exception {
        if (sdk != null) sdk.close();
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    static String bucket() {
        String b = "sdk-" + names.incrementAndGet();
        sdk.createBucket(b);
        return b;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void bucketsCreateExistListDelete() {
        String b = bucket();
        assertTrue(sdk.bucketExists(b));
        assertTrue(sdk.listBuckets().contains(b));
        sdk.createBucket(b); // the owner's repeated create: 200 in us-east-1, as S3 (409 BucketAlreadyOwnedByYou elsewhere)
        assertTrue(sdk.bucketExists(b));
        sdk.deleteBucket(b);
        assertFalse(sdk.bucketExists(b));
        assertFalse(sdk.listBuckets().contains(b));
    }

    @Test
    void smallPutGetHeadDeleteWithMetadata() {
        String b = bucket();
        byte[] data = "hello, mictlanx".getBytes(StandardCharsets.UTF_8);
        PutResult put = sdk.put(b, "dir/a b+c.txt", data, PutOptions.DEFAULT.withContentType("text/plain")
                .withMetadata(Map.of("owner", "ana")));
        assertEquals(0, put.parts());
        assertArrayEquals(data, sdk.get(b, "dir/a b+c.txt"));
        BallInfo info = sdk.head(b, "dir/a b+c.txt");
        assertEquals(data.length, info.size());
        assertEquals("text/plain", info.contentType());
        assertEquals("ana", info.metadata().get("owner"));
        assertEquals(put.etag(), info.etag());
        assertEquals(put.crc32c(), info.checksum());
        assertArrayEquals("mictlanx".getBytes(StandardCharsets.UTF_8), sdk.getRange(b, "dir/a b+c.txt", 7, 8));
        sdk.delete(b, "dir/a b+c.txt");
        assertFalse(sdk.exists(b, "dir/a b+c.txt"));
        MictlanXException e = assertThrows(MictlanXException.class, () -> sdk.get(b, "dir/a b+c.txt"));
        assertTrue(e.isNotFound());
    }

    @Test
    void multipartPutFromStreamOfUnknownLengthAndParallelGet(@TempDir Path dir) throws Exception {
        String b = bucket();
        byte[] data = random(17 * MIB + 123, 1);
        AtomicLong lastDone = new AtomicLong();
        PutResult put = sdk.put(b, "big", new ByteArrayInputStream(data), -1,
                PutOptions.DEFAULT.withProgress((done, total) -> lastDone.accumulateAndGet(done, Math::max)));
        assertEquals(4, put.parts());
        assertEquals(data.length, put.size());
        assertEquals(data.length, lastDone.get());
        BallInfo info = sdk.head(b, "big");
        assertEquals("FULL_OBJECT", info.checksumType());
        assertEquals(put.crc32c(), info.checksum());
        assertArrayEquals(data, sdk.get(b, "big"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(data.length, sdk.get(b, "big", out, (d, t) -> { }));
        assertArrayEquals(data, out.toByteArray());
        Path file = dir.resolve("big.bin");
        sdk.get(b, "big", file);
        assertArrayEquals(data, Files.readAllBytes(file));
        // A range spanning a chunk boundary.
        assertArrayEquals(Arrays.copyOfRange(data, 5 * MIB - 10, 10 * MIB + 20),
                sdk.getRange(b, "big", 5 * MIB - 10, 5 * MIB + 30));
        // The AWS SDK reads what the SDK wrote.
        assertArrayEquals(data, s3.getObjectAsBytes(r -> r.bucket(b).key("big")).asByteArray());
    }

    @Test
    void putFromPathAndAsyncForms(@TempDir Path dir) throws Exception {
        String b = bucket();
        byte[] data = random(6 * MIB, 2);
        Path src = dir.resolve("src.bin");
        Files.write(src, data);
        PutResult put = sdk.putAsync(b, "p", src, PutOptions.DEFAULT).get();
        assertEquals(2, put.parts());
        assertArrayEquals(data, sdk.getAsync(b, "p").get());
        assertEquals(data.length, sdk.headAsync(b, "p").get().size());
        Path dst = dir.resolve("dst.bin");
        assertEquals(data.length, sdk.getAsync(b, "p", dst).get());
        assertArrayEquals(data, Files.readAllBytes(dst));
        sdk.deleteAsync(b, "p").get();
        assertFalse(sdk.exists(b, "p"));
    }

    @Test
    void awsSdkWritesSdkReads() throws Exception {
        String b = bucket();
        byte[] data = random(3 * MIB, 3);
        s3.putObject(r -> r.bucket(b).key("from-aws"), RequestBody.fromBytes(data));
        assertArrayEquals(data, sdk.get(b, "from-aws"));
        try (InputStream in = sdk.openStream(b, "from-aws", 100, 1000)) {
            assertArrayEquals(Arrays.copyOfRange(data, 100, 1100), in.readAllBytes());
        }
    }

    @Test
    void listIsLazyOverPagesWithPrefixAndDelimiter() {
        String b = bucket();
        for (int i = 0; i < 7; i++) {
            sdk.put(b, "logs/2026/" + i, new byte[] {(byte) i});
        }
        sdk.put(b, "logs/readme", new byte[] {1});
        sdk.put(b, "other", new byte[] {1});
        List<String> keys = new ArrayList<>();
        sdk.list(b, "logs/", null, 3).forEachRemaining(e -> keys.add(e.key()));
        assertEquals(8, keys.size());
        assertEquals("logs/2026/0", keys.getFirst());
        List<ListEntry> top = new ArrayList<>();
        sdk.list(b, "logs/", "/").forEach(top::add);
        assertEquals(2, top.size());
        assertTrue(top.stream().anyMatch(e -> e.prefix() && e.key().equals("logs/2026/")));
        assertTrue(top.stream().anyMatch(e -> !e.prefix() && e.key().equals("logs/readme") && e.size() == 1));
    }

    @Test
    void cacheServesRepeatedReadsAndEtagChangeInvalidates() {
        String b = bucket();
        byte[] v1 = random(11 * MIB, 4);
        sdk.put(b, "hot", v1);
        var before = sdk.cacheStats();
        assertArrayEquals(v1, sdk.get(b, "hot"));
        var afterFirst = sdk.cacheStats();
        assertEquals(3, afterFirst.misses() - before.misses());
        assertArrayEquals(v1, sdk.get(b, "hot"));
        var afterSecond = sdk.cacheStats();
        assertEquals(3, afterSecond.hits() - afterFirst.hits());
        assertEquals(afterFirst.misses(), afterSecond.misses());
        byte[] v2 = random(11 * MIB, 5);
        sdk.put(b, "hot", v2);
        assertArrayEquals(v2, sdk.get(b, "hot"));
        var afterChange = sdk.cacheStats();
        assertEquals(afterSecond.misses() + 3, afterChange.misses(), "the new ETag's chunks are not served from the cache");
        assertEquals(afterSecond.hits(), afterChange.hits());
        assertTrue(afterChange.bytes() > 0 && afterChange.bytes() <= afterChange.capacity(), afterChange.toString());
    }

    @Test
    void errorsArePreciseAndNotRetried() {
        long before = sdk.requestsSent();
        MictlanXException e = assertThrows(MictlanXException.class, () -> sdk.put("no-such-bucket-x", "k", new byte[1]));
        assertEquals(404, e.status());
        assertEquals("NoSuchBucket", e.code());
        assertEquals(before + 1, sdk.requestsSent());
    }

    static MictlanX keyed(EncryptionKey... keys) {
        MictlanX.Builder b = MictlanX.builder().router(store.endpoint())
                .credentials(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY).partSize(5 * MIB);
        for (EncryptionKey k : keys) {
            b.encryptionKey(k);
        }
        return b.build();
    }

    @Test
    void clientSideEncryptionRoundTripsRangesAndRejectsWrongOrMissingKeys() throws Exception {
        String b = bucket();
        EncryptionKey k1 = new EncryptionKey("app-key-1", random(32, 10));
        EncryptionKey wrong = new EncryptionKey("app-key-1", random(32, 11));
        byte[] data = random(11 * MIB + 7, 12);
        try (MictlanX enc = keyed(k1); MictlanX bad = keyed(wrong); MictlanX none = keyed()) {
            PutResult put = enc.put(b, "secret", data, PutOptions.DEFAULT.withEncryptionKeyId("app-key-1"));
            assertEquals(3, put.parts());
            assertArrayEquals(data, enc.get(b, "secret"));
            assertEquals(data.length, enc.size(b, "secret"));
            assertEquals("app-key-1", enc.head(b, "secret").metadata().get("mictlanx-key-id"));
            // Ranges in plaintext offsets, across an encrypted chunk boundary, and the tail.
            assertArrayEquals(Arrays.copyOfRange(data, 5 * MIB - 3, 5 * MIB + 3), enc.getRange(b, "secret", 5 * MIB - 3, 6));
            assertArrayEquals(Arrays.copyOfRange(data, data.length - 9, data.length), enc.getRange(b, "secret", data.length - 9, 100));
            // The router only ever saw ciphertext.
            byte[] stored = s3.getObjectAsBytes(r -> r.bucket(b).key("secret")).asByteArray();
            // 64 KiB frames, one 16-byte tag each: 80 + 80 + 17 frames for chunks of 5, 5 and 1 MiB + 7 bytes.
            assertEquals(data.length + 16 * (80 + 80 + 17), stored.length);
            assertFalse(Arrays.equals(Arrays.copyOf(stored, 1024), Arrays.copyOf(data, 1024)));
            EncryptionException w = assertThrows(EncryptionException.class, () -> bad.get(b, "secret"));
            assertTrue(w.getMessage().contains("wrong key"), w.getMessage());
            EncryptionException n = assertThrows(EncryptionException.class, () -> none.get(b, "secret"));
            assertTrue(n.getMessage().contains("no key with that id"), n.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> none.put(b, "x", data, PutOptions.DEFAULT.withEncryptionKeyId("app-key-1")));
            // Small and empty encrypted balls.
            enc.put(b, "small", "tiny".getBytes(StandardCharsets.UTF_8), PutOptions.DEFAULT.withEncryptionKeyId("app-key-1"));
            assertArrayEquals("tiny".getBytes(StandardCharsets.UTF_8), enc.get(b, "small"));
            enc.put(b, "empty", new byte[0], PutOptions.DEFAULT.withEncryptionKeyId("app-key-1"));
            assertArrayEquals(new byte[0], enc.get(b, "empty"));
            assertThrows(EncryptionException.class, () -> bad.get(b, "empty"));
        }
    }

    @Test
    void failedMultipartPutIsAborted() {
        String b = bucket();
        byte[] data = random(12 * MIB, 13);
        InputStream failing = new InputStream() {
            int pos;

            @Override
            public int read() throws java.io.IOException {
                if (pos >= data.length) {
                    throw new java.io.IOException("source failed after " + pos + " bytes");
                }
                return data[pos++] & 0xff;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws java.io.IOException {
                if (pos >= data.length) {
                    throw new java.io.IOException("source failed after " + pos + " bytes");
                }
                int n = Math.min(len, data.length - pos);
                System.arraycopy(data, pos, buf, off, n);
                pos += n;
                return n;
            }
        };
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> sdk.put(b, "broken", failing, -1, PutOptions.DEFAULT));
        assertTrue(e.getMessage().contains("source failed"), e.getMessage());
        assertFalse(sdk.exists(b, "broken"));
        assertTrue(s3.listMultipartUploads(r -> r.bucket(b)).uploads().isEmpty(), "the upload was aborted");
    }

    @Test
    void everyCallHasAnAsyncFormAndGetsReportProgress() throws Exception {
        var async = sdk.async();
        String b = "sdk-async-" + names.incrementAndGet();
        async.createBucket(b).get();
        assertTrue(async.bucketExists(b).get());
        assertTrue(async.listBuckets().get().contains(b));
        byte[] data = random(7 * MIB, 14);
        assertEquals(2, async.put(b, "s", new ByteArrayInputStream(data), -1, PutOptions.DEFAULT).get().parts());
        assertEquals(data.length, async.size(b, "s").get());
        assertTrue(async.exists(b, "s").get());
        assertArrayEquals(Arrays.copyOfRange(data, 10, 20), async.getRange(b, "s", 10, 10).get());
        AtomicLong seen = new AtomicLong();
        AtomicLong total = new AtomicLong();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(data.length, async.get(b, "s", out, (d, t) -> {
            seen.accumulateAndGet(d, Math::max);
            total.set(t);
        }).get());
        assertArrayEquals(data, out.toByteArray());
        assertEquals(data.length, seen.get());
        assertEquals(data.length, total.get());
        try (InputStream in = async.openStream(b, "s").get()) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertEquals(List.of("s"), async.listPage(b, null, null, 10).get().stream().map(ListEntry::key).toList());
        async.delete(b, "s").get();
        assertFalse(async.exists(b, "s").get());
        async.deleteBucket(b).get();
        assertFalse(async.bucketExists(b).get());
    }
}

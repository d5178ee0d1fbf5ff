package org.mictlanx.compat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.compat.AllInOne;
import org.mictlanx.sdk.BallInfo;
import org.mictlanx.sdk.EncryptionKey;
import org.mictlanx.sdk.IntegrityException;
import org.mictlanx.sdk.MictlanX;
import org.mictlanx.sdk.PutOptions;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The SDK verifies whole-ball reads against every kind of stored checksum other clients leave
 * (COMPOSITE of any algorithm, FULL_OBJECT CRCs, single-put SHA): intact balls read back, and a byte
 * flipped on the wire by a fault proxy is an {@link IntegrityException}.
 */
class SdkIntegrityCompatTest {

    static final int MIB = 1 << 20;
    static AllInOne store;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        s3 = store.rootClient();
        s3.createBucket(b -> b.bucket("integrity"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    static MictlanX client(int port, EncryptionKey... keys) {
        MictlanX.Builder b = MictlanX.builder().router(URI.create("http://127.0.0.1:" + port))
                .credentials(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY).partSize(5 * MIB);
        for (EncryptionKey k : keys) {
            b.encryptionKey(k);
        }
        return b.build();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A multipart upload by the AWS SDK with parts of 6, 6 and 1 MiB and per-part checksums of {@code alg}. */
    static void awsMultipart(String key, byte[] data, ChecksumAlgorithm alg, ChecksumType type) {
        String id = s3.createMultipartUpload(b -> b.bucket("integrity").key(key).checksumAlgorithm(alg).checksumType(type))
                .uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int partSize = 6 * MIB;
        for (int n = 1, off = 0; off < data.length; n++, off += partSize) {
            int number = n;
            byte[] part = Arrays.copyOfRange(data, off, Math.min(data.length, off + partSize));
            // The AWS SDK computes CRC64NVME only with the CRT on the classpath: give it the value instead.
            String nvme = alg == ChecksumAlgorithm.CRC64_NVME ? crc64nvme(part) : null;
            UploadPartResponse r = s3.uploadPart(b -> {
                b.bucket("integrity").key(key).uploadId(id).partNumber(number);
                if (nvme != null) {
                    b.checksumCRC64NVME(nvme);
                } else {
                    b.checksumAlgorithm(alg);
                }
            }, RequestBody.fromBytes(part));
            parts.add(CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumCRC32(r.checksumCRC32())
                    .checksumCRC32C(r.checksumCRC32C()).checksumCRC64NVME(nvme)
                    .checksumSHA1(r.checksumSHA1()).checksumSHA256(r.checksumSHA256()).build());
        }
        s3.completeMultipartUpload(b -> b.bucket("integrity").key(key).uploadId(id).checksumType(type)
                .multipartUpload(m -> m.parts(parts)));
    }

    static String crc64nvme(byte[] b) {
        org.mictlanx.common.Crc64Nvme c = new org.mictlanx.common.Crc64Nvme();
        c.update(b, 0, b.length);
        return java.util.Base64.getEncoder().encodeToString(
                java.nio.ByteBuffer.allocate(8).putLong(c.getValue()).array());
    }

    @Test
    void everyStoredChecksumKindIsVerifiedAndAFlippedByteIsCaught() throws Exception {
        byte[] data = random(13 * MIB, 1);
        awsMultipart("composite-crc32c", data, ChecksumAlgorithm.CRC32_C, ChecksumType.COMPOSITE);
        awsMultipart("composite-sha256", data, ChecksumAlgorithm.SHA256, ChecksumType.COMPOSITE);
        awsMultipart("full-crc64nvme", data, ChecksumAlgorithm.CRC64_NVME, ChecksumType.FULL_OBJECT);
        awsMultipart("full-crc32", data, ChecksumAlgorithm.CRC32, ChecksumType.FULL_OBJECT);
        byte[] small = Arrays.copyOf(data, MIB);
        s3.putObject(b -> b.bucket("integrity").key("single-sha1").checksumAlgorithm(ChecksumAlgorithm.SHA1),
                RequestBody.fromBytes(small));
        try (FaultProxy proxy = new FaultProxy(store.port(), 0); MictlanX sdk = client(proxy.port())) {
            BallInfo composite = sdk.head("integrity", "composite-crc32c");
            assertEquals("COMPOSITE", composite.checksumType());
            assertTrue(composite.checksum().endsWith("-3"), composite.checksum());
            assertEquals("FULL_OBJECT", sdk.head("integrity", "full-crc64nvme").checksumType());
            for (String k : List.of("composite-crc32c", "composite-sha256", "full-crc64nvme", "full-crc32")) {
                assertArrayEquals(data, sdk.get("integrity", k), k);
            }
            assertArrayEquals(small, sdk.get("integrity", "single-sha1"));
        }
        assertCaught("composite-crc32c", "CRC32C of part 1 of integrity/composite-crc32c");
        assertCaught("composite-sha256", "SHA256 of part 1 of integrity/composite-sha256");
        assertCaught("full-crc64nvme", "CRC64NVME of integrity/full-crc64nvme");
        assertCaught("full-crc32", "CRC32 of integrity/full-crc32");
        assertCaught("single-sha1", "SHA1 of integrity/single-sha1");
    }

    /** A read through a proxy that flips byte 65536 of every answer stream fails naming {@code what}. */
    static void assertCaught(String key, String what) throws Exception {
        try (FaultProxy proxy = new FaultProxy(store.port(), 0); MictlanX sdk = client(proxy.port())) {
            proxy.corruptAnswers();
            IntegrityException e = assertThrows(IntegrityException.class, () -> sdk.get("integrity", key), key);
            assertTrue(e.getMessage().contains(what), e.getMessage());
        }
    }

    @Test
    void aRangedReadOfAnEncryptedBallFetchesOnlyTheFramesCoveringIt() throws Exception {
        EncryptionKey key = new EncryptionKey("range-key", random(32, 2));
        byte[] data = random(11 * MIB, 3);
        try (MictlanX direct = client(store.port(), key)) {
            direct.put("integrity", "enc", data, PutOptions.DEFAULT.withEncryptionKeyId("range-key"));
        }
        try (FaultProxy proxy = new FaultProxy(store.port(), 0); MictlanX sdk = client(proxy.port(), key)) {
            long offset = 5L * MIB + 70_000;   // inside the second 64 KiB frame of chunk 1
            assertArrayEquals(Arrays.copyOfRange(data, (int) offset, (int) offset + 100),
                    sdk.getRange("integrity", "enc", offset, 100));
            long answered = proxy.answeredBytes();
            assertTrue(answered > 65536 && answered < 65536 + 16 + 8192, "one frame and two answers' headers: " + answered);
        }
    }
}

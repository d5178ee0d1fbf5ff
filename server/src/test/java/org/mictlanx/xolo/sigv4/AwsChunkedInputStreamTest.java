package org.mictlanx.xolo.sigv4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** aws-chunked decoding in all three modes, and every way a body can be malformed or forged. */
class AwsChunkedInputStreamTest {

    static final Instant TIME = Instant.parse("2025-03-01T12:00:00Z");
    static final AuthResult.StreamingContext CTX = new AuthResult.StreamingContext("a".repeat(64),
            Signatures.signingKey("secret", "20250301", "us-east-1", "s3"), TIME, "20250301/us-east-1/s3/aws4_request");
    static final byte[] DATA = new byte[200_000];

    static {
        new Random(7).nextBytes(DATA);
    }

    static AuthResult auth(PayloadMode mode) {
        return new AuthResult("AK", mode, null, mode == PayloadMode.STREAMING_UNSIGNED_TRAILER ? null : CTX, false);
    }

    static byte[] decode(byte[] body, PayloadMode mode, long decodedLength) throws IOException {
        try (AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(body), auth(mode), decodedLength)) {
            return in.readAllBytes();
        }
    }

    static SigV4Exception.Reason failure(byte[] body, PayloadMode mode, long decodedLength) {
        return assertThrows(SigV4Exception.class, () -> decode(body, mode, decodedLength)).reason();
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void allModesRoundTripAtManyChunkSizes() throws IOException {
        Map<String, String> trailer = Map.of("x-amz-checksum-crc32", "AAAAAA==");
        for (PayloadMode mode : new PayloadMode[] {PayloadMode.STREAMING_SIGNED, PayloadMode.STREAMING_SIGNED_TRAILER,
                PayloadMode.STREAMING_UNSIGNED_TRAILER}) {
            for (int size : new int[] {1, 8192, 65536, 199_999, 300_000}) {
                byte[] data = size == 1 ? java.util.Arrays.copyOf(DATA, 100) : DATA;
                byte[] body = SigV4Signer.chunked(data, size, mode, auth(mode).streaming(), trailer);
                try (AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(body), auth(mode),
                        data.length)) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] buf = new byte[777];
                    for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
                        out.write(buf, 0, n);
                    }
                    assertArrayEquals(data, out.toByteArray(), mode + " " + size);
                    assertEquals(mode == PayloadMode.STREAMING_SIGNED ? Map.of() : trailer, in.trailers());
                    assertEquals(-1, in.read());
                }
            }
            assertArrayEquals(new byte[0], decode(SigV4Signer.chunked(new byte[0], 8192, mode, auth(mode).streaming(),
                    Map.of()), mode, 0));
        }
    }

    @Test
    void unsignedTrailerBodyMayEndRightAfterTheLastChunk() throws IOException {
        byte[] body = bytes("5\r\nhello\r\n0\r\n");
        assertArrayEquals(bytes("hello"), decode(body, PayloadMode.STREAMING_UNSIGNED_TRAILER, 5));
        assertArrayEquals(bytes("hello"), decode(bytes("5\r\nhello\r\n0\r\nX-Amz-Checksum-CRC32 : abc= \r\n\r\n"),
                PayloadMode.STREAMING_UNSIGNED_TRAILER, -1));
    }

    @Test
    void aChunkIsVerifiedBeforeAnyOfItsBytesAreReturned() {
        byte[] body = SigV4Signer.chunked(DATA, 65536, PayloadMode.STREAMING_SIGNED, CTX, Map.of());
        body[100] ^= 1; // inside the first chunk's data
        AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(body),
                auth(PayloadMode.STREAMING_SIGNED), DATA.length);
        SigV4Exception e = assertThrows(SigV4Exception.class, () -> in.read(new byte[10], 0, 10));
        assertEquals(SigV4Exception.Reason.CHUNK_SIGNATURE_DOES_NOT_MATCH, e.reason());
        assertEquals(e, assertThrows(SigV4Exception.class, () -> in.read(new byte[10], 0, 10)), "failure is sticky");
    }

    @Test
    void chunksOutOfOrderOrFromAnotherRequestFail() {
        byte[] body = SigV4Signer.chunked(DATA, 50_000, PayloadMode.STREAMING_SIGNED, CTX, Map.of());
        String text = latin1(body);
        String[] parts = text.split("(?=c350;chunk-signature=)");
        assertEquals(4, parts.length);
        String swapped = parts[1] + parts[0] + parts[2] + parts[3];
        assertEquals(SigV4Exception.Reason.CHUNK_SIGNATURE_DOES_NOT_MATCH,
                failure(bytes(swapped), PayloadMode.STREAMING_SIGNED, DATA.length));
        AuthResult.StreamingContext otherSeed = new AuthResult.StreamingContext("b".repeat(64), CTX.signingKey(),
                CTX.requestTime(), CTX.scope());
        byte[] replayed = SigV4Signer.chunked(DATA, 50_000, PayloadMode.STREAMING_SIGNED, otherSeed, Map.of());
        assertEquals(SigV4Exception.Reason.CHUNK_SIGNATURE_DOES_NOT_MATCH,
                failure(replayed, PayloadMode.STREAMING_SIGNED, DATA.length));
    }

    @Test
    void signedTrailerMustBeSignedAndUnchanged() {
        Map<String, String> trailer = new LinkedHashMap<>();
        trailer.put("x-amz-checksum-sha256", "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=");
        byte[] body = SigV4Signer.chunked(DATA, 65536, PayloadMode.STREAMING_SIGNED_TRAILER, CTX, trailer);
        String text = latin1(body);
        assertEquals(SigV4Exception.Reason.CHUNK_SIGNATURE_DOES_NOT_MATCH, failure(bytes(text.replace("n4bQ", "n4bR")),
                PayloadMode.STREAMING_SIGNED_TRAILER, DATA.length));
        String unsigned = text.replaceAll("x-amz-trailer-signature:[0-9a-f]{64}\r\n", "");
        assertEquals(SigV4Exception.Reason.MALFORMED_CHUNKED_BODY,
                failure(bytes(unsigned), PayloadMode.STREAMING_SIGNED_TRAILER, DATA.length));
        String after = text.replace("\r\n\r\n", "\r\nx-amz-meta-late:1\r\n\r\n");
        assertTrue(after.length() > text.length());
        assertEquals(SigV4Exception.Reason.MALFORMED_CHUNKED_BODY,
                failure(bytes(after), PayloadMode.STREAMING_SIGNED_TRAILER, DATA.length));
    }

    @Test
    void malformedFraming() {
        byte[] good = SigV4Signer.chunked(DATA, 65536, PayloadMode.STREAMING_SIGNED, CTX, Map.of());
        String text = latin1(good);
        PayloadMode m = PayloadMode.STREAMING_SIGNED;
        String[] bad = {
            "zz" + text,                                                    // bad hex
            text.replaceFirst(";chunk-signature=[0-9a-f]{64}", ""),          // missing signature
            text.replaceFirst("chunk-signature=[0-9a-f]", "chunk-signature="), // short signature
            text.replaceFirst("\r\n", "\n"),                                 // bare LF
            text + "extra",                                                  // trailing garbage
            text.substring(0, text.lastIndexOf("0;chunk-signature=")),       // no final chunk
            text.substring(0, 2000),                                         // truncated inside a chunk
            text.substring(0, 65_536 + 85),                                  // truncated before CRLF
            "1000001;chunk-signature=" + "0".repeat(64) + "\r\n",           // chunk over 16 MiB
            "123456789;chunk-signature=" + "0".repeat(64) + "\r\n",         // size too many digits
            "1".repeat(5000) + "\r\n",                                       // overlong line
        };
        for (String b : bad) {
            assertEquals(SigV4Exception.Reason.MALFORMED_CHUNKED_BODY, failure(bytes(b), m, DATA.length),
                    b.substring(0, Math.min(40, b.length())));
        }
        assertEquals(SigV4Exception.Reason.MALFORMED_CHUNKED_BODY, failure(good, m, DATA.length + 1));
        assertEquals(SigV4Exception.Reason.MALFORMED_CHUNKED_BODY, failure(good, m, DATA.length - 1));
        assertEquals(SigV4Exception.Reason.MALFORMED_CHUNKED_BODY,
                failure(bytes("5;chunk-signature=x\r\nhello\r\n0\r\n"), PayloadMode.STREAMING_UNSIGNED_TRAILER, 5));
        assertEquals(SigV4Exception.Reason.MALFORMED_CHUNKED_BODY,
                failure(bytes("5\r\nhello\r\n0\r\nnocolon\r\n\r\n"), PayloadMode.STREAMING_UNSIGNED_TRAILER, 5));
        assertThrows(IllegalArgumentException.class,
                () -> new AwsChunkedInputStream(new ByteArrayInputStream(good), auth(PayloadMode.UNSIGNED), -1));
    }

    @Test
    void readsTheRawBodyLazilyOneChunkAtATime() throws IOException {
        byte[] body = SigV4Signer.chunked(DATA, 65536, PayloadMode.STREAMING_SIGNED, CTX, Map.of());
        long[] consumed = {0};
        InputStream counting = new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                consumed[0] += Math.max(n, 0);
                return n;
            }

            @Override
            public int read() throws IOException {
                int c = super.read();
                consumed[0] += c < 0 ? 0 : 1;
                return c;
            }
        };
        try (AwsChunkedInputStream in = new AwsChunkedInputStream(counting, auth(PayloadMode.STREAMING_SIGNED), -1)) {
            assertEquals(DATA[0] & 0xff, in.read());
            assertTrue(consumed[0] < 2 * 65536 + 200, "read " + consumed[0] + " raw bytes for the first chunk");
            assertEquals(65535, in.readNBytes(65535).length);
            assertEquals(DATA.length - 65536, in.readAllBytes().length);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}

package org.mictlanx.xolo.sigv4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The signer, parsers and verifier against the examples AWS publishes in the S3 API reference
 * ("Signature Calculations for the Authorization Header", "Authenticating Requests: Using Query
 * Parameters", "Transferring Payload in Multiple Chunks" and "Signature calculations for trailing
 * headers"): access key AKIAIOSFODNN7EXAMPLE, 20130524T000000Z, us-east-1, examplebucket.
 */
class AwsExamplesTest {

    static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final Instant TIME = Instant.parse("2013-05-24T00:00:00Z");
    static final String HOST = "examplebucket.s3.amazonaws.com";
    static final String SCOPE = "20130524/us-east-1/s3/aws4_request";

    private final SigV4Verifier verifier = new SigV4Verifier(
            id -> id.equals(ACCESS_KEY) ? Optional.of(SECRET) : Optional.empty(), "us-east-1", Clock.fixed(TIME, ZoneOffset.UTC));

    static SigV4Request request(String method, String path, String query, String... headerPairs) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], List.of(headerPairs[i + 1]));
        }
        return new SigV4Request(method, path, query, headers);
    }

    static String authorization(String signedHeaders, String signature) {
        return "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/" + SCOPE + ",SignedHeaders=" + signedHeaders
                + ",Signature=" + signature;
    }

    @Test
    void getObjectWithRange() {
        SigV4Request r = request("GET", "/test.txt", "", "host", HOST, "range", "bytes=0-9",
                "x-amz-content-sha256", SigV4Crypto.EMPTY_SHA256, "x-amz-date", "20130524T000000Z",
                "authorization", authorization("host;range;x-amz-content-sha256;x-amz-date",
                        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        String canonical = CanonicalRequest.build("GET", "/test.txt", List.of(), r.headers(),
                List.of("host", "range", "x-amz-content-sha256", "x-amz-date"), SigV4Crypto.EMPTY_SHA256);
        assertEquals("GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
                + "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                + "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", canonical);
        assertEquals("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972", SigV4Crypto.sha256Hex(canonical));
        AuthResult result = verifier.verify(r);
        assertEquals(ACCESS_KEY, result.accessKeyId());
        assertEquals(PayloadMode.SIGNED, result.payloadMode());
        assertEquals(SigV4Crypto.EMPTY_SHA256, result.payloadSha256());
    }

    @Test
    void putObjectWithDollarInKeySentRawOrEncoded() {
        String payload = SigV4Crypto.sha256Hex("Welcome to Amazon S3.");
        assertEquals("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", payload);
        for (String path : List.of("/test$file.text", "/test%24file.text")) {
            SigV4Request r = request("PUT", path, "", "host", HOST, "date", "Fri, 24 May 2013 00:00:00 GMT",
                    "x-amz-date", "20130524T000000Z", "x-amz-storage-class", "REDUCED_REDUNDANCY",
                    "x-amz-content-sha256", payload,
                    "authorization", authorization("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));
            assertEquals(payload, verifier.verify(r).payloadSha256());
        }
    }

    @Test
    void getBucketLifecycle() {
        SigV4Request r = request("GET", "/", "lifecycle", "host", HOST,
                "x-amz-content-sha256", SigV4Crypto.EMPTY_SHA256, "x-amz-date", "20130524T000000Z",
                "authorization", authorization("host;x-amz-content-sha256;x-amz-date",
                        "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"));
        assertEquals(ACCESS_KEY, verifier.verify(r).accessKeyId());
    }

    @Test
    void listObjectsWithQueryOutOfOrder() {
        SigV4Request r = request("GET", "/", "prefix=J&max-keys=2", "host", HOST,
                "x-amz-content-sha256", SigV4Crypto.EMPTY_SHA256, "x-amz-date", "20130524T000000Z",
                "authorization", authorization("host;x-amz-content-sha256;x-amz-date",
                        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
        assertEquals(ACCESS_KEY, verifier.verify(r).accessKeyId());
    }

    @Test
    void presignedGetObject() {
        SigV4Request r = request("GET", "/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", "host", HOST);
        AuthResult result = verifier.verify(r);
        assertEquals(PayloadMode.UNSIGNED, result.payloadMode());
        assertEquals(true, result.presigned());
        SigV4Request signedByHelper = new SigV4Signer(ACCESS_KEY, SECRET, "us-east-1")
                .presign("GET", "/test.txt", "", HOST, TIME, 86400);
        assertEquals(r.rawQuery(), signedByHelper.rawQuery());
        SigV4Verifier dayLater = new SigV4Verifier(id -> Optional.of(SECRET), "us-east-1",
                Clock.fixed(TIME.plusSeconds(86401), ZoneOffset.UTC));
        assertEquals(SigV4Exception.Reason.PRESIGNED_EXPIRED,
                assertThrows(SigV4Exception.class, () -> dayLater.verify(r)).reason());
    }

    static final byte[] CHUNK_EXAMPLE_DATA = new byte[66560];

    static {
        Arrays.fill(CHUNK_EXAMPLE_DATA, (byte) 'a');
    }

    static byte[] exampleBody(String[] signatures, String trailer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("10000;chunk-signature=" + signatures[0] + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(CHUNK_EXAMPLE_DATA, 0, 65536);
        out.writeBytes(("\r\n400;chunk-signature=" + signatures[1] + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(CHUNK_EXAMPLE_DATA, 65536, 1024);
        out.writeBytes(("\r\n0;chunk-signature=" + signatures[2] + "\r\n" + trailer + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void chunkedUploadExample() throws Exception {
        SigV4Request r = request("PUT", "/examplebucket/chunkObject.txt", "", "host", "s3.amazonaws.com",
                "x-amz-date", "20130524T000000Z", "x-amz-storage-class", "REDUCED_REDUNDANCY",
                "x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "content-encoding", "aws-chunked",
                "x-amz-decoded-content-length", "66560", "content-length", "66824",
                "authorization", authorization("content-encoding;content-length;host;x-amz-content-sha256;"
                        + "x-amz-date;x-amz-decoded-content-length;x-amz-storage-class",
                        "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"));
        AuthResult auth = verifier.verify(r);
        assertEquals(PayloadMode.STREAMING_SIGNED, auth.payloadMode());
        assertEquals("4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9", auth.streaming().seedSignature());
        assertEquals(SCOPE, auth.streaming().scope());
        String[] signatures = {"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
                "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
                "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"};
        byte[] body = exampleBody(signatures, "");
        assertEquals(66824, body.length);
        try (AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(body), auth, 66560)) {
            assertArrayEquals(CHUNK_EXAMPLE_DATA, in.readAllBytes());
        }
        byte[] generated = SigV4Signer.chunked(CHUNK_EXAMPLE_DATA, 65536, PayloadMode.STREAMING_SIGNED,
                auth.streaming(), Map.of());
        assertArrayEquals(body, generated);
        for (int i = 0; i < 3; i++) {
            String[] bad = signatures.clone();
            bad[i] = bad[i].substring(0, 63) + (bad[i].endsWith("0") ? "1" : "0");
            byte[] tampered = exampleBody(bad, "");
            AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(tampered), auth, 66560);
            assertEquals(SigV4Exception.Reason.CHUNK_SIGNATURE_DOES_NOT_MATCH,
                    assertThrows(SigV4Exception.class, in::readAllBytes).reason());
        }
    }

    @Test
    void chunkedUploadWithSignedTrailerExample() throws Exception {
        AuthResult auth = new AuthResult(ACCESS_KEY, PayloadMode.STREAMING_SIGNED_TRAILER, null,
                new AuthResult.StreamingContext("106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
                        Signatures.signingKey(SECRET, "20130524", "us-east-1", "s3"), TIME, SCOPE), false);
        String[] signatures = {"b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
                "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
                "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"};
        String trailer = "x-amz-checksum-crc32c:sOO8/Q==\r\n"
                + "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n";
        try (AwsChunkedInputStream in = new AwsChunkedInputStream(
                new ByteArrayInputStream(exampleBody(signatures, trailer)), auth, 66560)) {
            assertArrayEquals(CHUNK_EXAMPLE_DATA, in.readAllBytes());
            assertEquals(Map.of("x-amz-checksum-crc32c", "sOO8/Q=="), in.trailers());
        }
        AwsChunkedInputStream changed = new AwsChunkedInputStream(new ByteArrayInputStream(
                exampleBody(signatures, trailer.replace("sOO8/Q==", "sOO8/A=="))), auth, 66560);
        assertEquals(SigV4Exception.Reason.CHUNK_SIGNATURE_DOES_NOT_MATCH,
                assertThrows(SigV4Exception.class, changed::readAllBytes).reason());
    }
}

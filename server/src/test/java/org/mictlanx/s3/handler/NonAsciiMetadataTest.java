package org.mictlanx.s3.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.s3.S3Harness;

/**
 * Non-ASCII {@code x-amz-meta-*} values on the wire as real clients send them, over a real socket:
 * raw UTF-8 bytes signed over those bytes (the Go/JS SDKs, curl), and ISO-8859-1 bytes signed over
 * the UTF-8 of the characters they stand for (botocore, whose http.client encodes headers as
 * Latin-1). Both verify and the value round-trips (returned RFC 2047-encoded, as S3 does).
 */
class NonAsciiMetadataTest {

    static S3Harness s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put("/meta-na", new byte[0]).status());
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    /** PUT /meta-na/key over a socket with x-amz-meta-name whose wire bytes are {@code wire}, signed over {@code signedAs}. */
    private static String put(String key, String signedAs, byte[] wire) throws Exception {
        String block = s3.signedHeaderBlock(ALICE, "PUT", "/meta-na/" + key, "", s3.host,
                Map.of("x-amz-meta-name", signedAs), new byte[0]);
        String wireValue = new String(wire, StandardCharsets.ISO_8859_1);
        StringBuilder req = new StringBuilder("PUT /meta-na/" + key + " HTTP/1.1\r\n");
        for (String line : block.split("\r\n")) {
            if (line.startsWith("x-amz-meta-name: ")) {
                line = "x-amz-meta-name: " + wireValue;
            }
            req.append(line).append("\r\n");
        }
        req.append("content-length: 0\r\nconnection: close\r\n\r\n");
        return s3.socket(req.toString());
    }

    private static String rfc2047(String value) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    @Test
    void utf8BytesSignedAsSentVerifyAndRoundTrip() throws Exception {
        String value = "ñandú ☃ 🐦";
        String reply = put("utf8", value, value.getBytes(StandardCharsets.UTF_8));
        assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
        assertEquals(rfc2047(value), s3.as(ALICE).head("/meta-na/utf8").header("x-amz-meta-name"));
    }

    @Test
    void latin1BytesSignedAsUtf8CharactersVerifyAndRoundTrip() throws Exception {
        String value = "ñandú café";
        String reply = put("latin1", value, value.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
        assertEquals(rfc2047(value), s3.as(ALICE).head("/meta-na/latin1").header("x-amz-meta-name"));
    }

    @Test
    void aTamperedValueIsStillRefused() throws Exception {
        String reply = put("tampered", "ñandú", "ñandu".getBytes(StandardCharsets.UTF_8));
        assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
        assertTrue(reply.contains("<Code>SignatureDoesNotMatch</Code>"), reply);
    }
}

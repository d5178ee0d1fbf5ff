package org.mictlanx.xolo.sigv2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mictlanx.xolo.sigv4.AuthResult;
import org.mictlanx.xolo.sigv4.PayloadMode;
import org.mictlanx.xolo.sigv4.SigV4Exception;
import org.mictlanx.xolo.sigv4.SigV4Request;

/**
 * The verifier end to end on AWS's documented V2 requests (virtual-hosted {@code johnsmith.s3.amazonaws.com},
 * AKIAIOSFODNN7EXAMPLE), at the documented request times.
 */
class SigV2VerifierTest {

    private static final String KEY = "AKIAIOSFODNN7EXAMPLE";

    private static SigV2Verifier at(String instant) {
        return new SigV2Verifier(id -> Optional.ofNullable(KEY.equals(id) ? StringToSignTest.SECRET : null),
                "s3.amazonaws.com", Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }

    private static Map<String, List<String>> headers(String... kv) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], List.of(kv[i + 1]));
        }
        return out;
    }

    @Test
    void documentedVirtualHostedGetVerifies() {
        SigV4Request get = new SigV4Request("GET", "/photos/puppy.jpg", "", headers("host", "johnsmith.s3.amazonaws.com",
                "date", "Tue, 27 Mar 2007 19:36:42 +0000",
                "authorization", "AWS " + KEY + ":bWq2s1WEIj+Ydj0vQ697zp+IXMU="));
        assertTrue(SigV2Verifier.isSigV2(get));
        AuthResult r = at("2007-03-27T19:40:00Z").verify(get);
        assertEquals(KEY, r.accessKeyId());
        assertEquals(PayloadMode.UNSIGNED, r.payloadMode());
        assertNull(r.payloadSha256());
        assertEquals(SigV4Exception.Reason.REQUEST_TIME_TOO_SKEWED,
                assertThrows(SigV4Exception.class, () -> at("2007-03-27T20:00:00Z").verify(get)).reason());
    }

    @Test
    void documentedQueryStringAuthVerifiesUntilItExpires() {
        SigV4Request get = new SigV4Request("GET", "/photos/puppy.jpg",
                "AWSAccessKeyId=" + KEY + "&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D",
                headers("host", "johnsmith.s3.amazonaws.com"));
        assertTrue(SigV2Verifier.isSigV2(get));
        AuthResult r = at("2007-03-29T03:00:00Z").verify(get);
        assertTrue(r.presigned());
        assertEquals(SigV4Exception.Reason.PRESIGNED_EXPIRED,
                assertThrows(SigV4Exception.class, () -> at("2007-03-29T04:00:01Z").verify(get)).reason());
    }

    @Test
    void sigV4RequestsAreNotV2() {
        assertTrue(!SigV2Verifier.isSigV2(new SigV4Request("GET", "/", "", headers("authorization",
                "AWS4-HMAC-SHA256 Credential=a/20130524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x"))));
        assertTrue(!SigV2Verifier.isSigV2(new SigV4Request("GET", "/", "X-Amz-Algorithm=AWS4-HMAC-SHA256", headers())));
    }
}

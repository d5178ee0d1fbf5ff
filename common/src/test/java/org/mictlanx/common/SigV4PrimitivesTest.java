package org.mictlanx.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Against the values of AWS's published SigV4 examples. */
class SigV4PrimitivesTest {

    @Test
    void hashesAndHmac() {
        assertEquals(SigV4Primitives.EMPTY_SHA256, SigV4Primitives.sha256Hex(new byte[0]));
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", SigV4Primitives.sha256Hex("hello"));
        // RFC 4231 test case 2
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                SigV4Primitives.hex(SigV4Primitives.hmac("Jefe".getBytes(StandardCharsets.UTF_8),
                        "what do ya want for nothing?")));
    }

    /** AWS's "GET Object" example of the S3 SigV4 header-auth documentation. */
    @Test
    void signsTheAwsGetObjectExample() {
        Instant time = Instant.parse("2013-05-24T00:00:00Z");
        String scope = SigV4Primitives.scope(time, "us-east-1", "s3");
        assertEquals("20130524/us-east-1/s3/aws4_request", scope);
        String canonical = "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
                + "x-amz-content-sha256:" + SigV4Primitives.EMPTY_SHA256 + "\nx-amz-date:20130524T000000Z\n\n"
                + "host;range;x-amz-content-sha256;x-amz-date\n" + SigV4Primitives.EMPTY_SHA256;
        String toSign = SigV4Primitives.stringToSign(time, scope, canonical);
        byte[] key = SigV4Primitives.signingKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3");
        assertEquals("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
                SigV4Primitives.hex(SigV4Primitives.hmac(key, toSign)));
    }

    @Test
    void uriEncodesAsAwsDoes() {
        assertEquals("a%20b%2Fc~d_e.f-g", SigV4Primitives.uriEncode("a b/c~d_e.f-g", false));
        assertEquals("a%20b/c", SigV4Primitives.uriEncode("a b/c", true));
        assertEquals("%C3%A9%2B%3D", SigV4Primitives.uriEncode("\u00e9+=", false));
    }
}

package org.mictlanx.xolo.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The header parser, the presigned-query parser and AWS's URI-encoding rules, each on its own. */
class ParsersTest {

    @Test
    void authorizationHeaderWithAndWithoutSpaces() {
        for (String h : List.of(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-date,Signature=" + "ab".repeat(32),
                "AWS4-HMAC-SHA256  Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "ab".repeat(32))) {
            ParsedSignature p = AuthorizationHeaderParser.parse(h);
            assertEquals(new CredentialScope("AKIAIOSFODNN7EXAMPLE", "20130524", "us-east-1", "s3"), p.scope());
            assertEquals("20130524/us-east-1/s3/aws4_request", p.scope().scope());
            assertEquals(List.of("host", "x-amz-date"), p.signedHeaders());
            assertEquals("ab".repeat(32), p.signature());
        }
        assertEquals(SigV4Exception.Reason.AUTHORIZATION_HEADER_MALFORMED, assertThrows(SigV4Exception.class,
                () -> AuthorizationHeaderParser.parse("AWS4-HMAC-SHA256 Credential=A/20130524/r/s3/aws4_request,"
                        + "SignedHeaders=Host;x,Signature=" + "ab".repeat(32))).reason());
    }

    @Test
    void credentialScopes() {
        assertNull(CredentialScope.parse("AK/2013052/us-east-1/s3/aws4_request"));
        assertNull(CredentialScope.parse("AK/20130524//s3/aws4_request"));
        assertNull(CredentialScope.parse("/20130524/r/s3/aws4_request"));
        assertNull(CredentialScope.parse("AK/20130524/r/s3/aws4_request/x"));
        assertEquals("any-region-9", CredentialScope.parse("AK/20130524/any-region-9/s3/aws4_request").region());
    }

    @Test
    void presignedQuery() {
        List<UriEncoding.Param> params = UriEncoding.parseQuery("X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AK%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z"
                + "&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Signature=" + "0".repeat(64)
                + "&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD");
        ParsedSignature p = PresignedQueryParser.parse(params);
        assertEquals(604800, p.expiresSeconds());
        assertEquals("2013-05-24T00:00:00Z", p.presignedDate().toString());
        assertEquals("UNSIGNED-PAYLOAD", p.presignedPayload());
        List<UriEncoding.Param> repeated = new java.util.ArrayList<>(params);
        repeated.add(new UriEncoding.Param("X-Amz-Date", "20130524T000000Z"));
        assertEquals(SigV4Exception.Reason.AUTHORIZATION_QUERY_MALFORMED,
                assertThrows(SigV4Exception.class, () -> PresignedQueryParser.parse(repeated)).reason());
    }

    @Test
    void uriEncodingFollowsAwsRules() {
        assertEquals("a-_.~%20%2B%2F%24%C3%A9%F0%9F%98%80", UriEncoding.encode("a-_.~ +/$é😀"));
        // An encoded slash signs as a slash: the AWS SDK v2 sends a key's "//" as "/%2F" and signs "//".
        assertEquals("/b/a%20b///%24", UriEncoding.canonicalPath("/b/a b/%2F/$"));
        assertEquals("/b/%C3%A9/%25zz/", UriEncoding.canonicalPath("/b/%c3%a9/%zz/"));
        assertEquals("/b/../x//y", UriEncoding.canonicalPath("/b/../x//y"));
        assertEquals("/", UriEncoding.canonicalPath(""));
        assertEquals("a=&b=%20&b=%2B&c=x%2Fy", CanonicalRequest.canonicalQuery(
                UriEncoding.parseQuery("c=x/y&b=%2B&a&b=+")));
    }
}

package org.mictlanx.xolo.sigv2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Known-answer vectors of AWS's Signature Version 2 documentation ("Signing and authenticating REST
 * requests", bucket johnsmith, key AKIAIOSFODNN7EXAMPLE): the string to sign built from the request
 * and its HMAC-SHA1 signature.
 */
class StringToSignTest {

    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private static Map<String, List<String>> headers(String... kv) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
        }
        return out;
    }

    @Test
    void objectGet() {
        String s = StringToSign.build("GET", "/johnsmith", "/photos/puppy.jpg", "",
                headers("host", "johnsmith.s3.amazonaws.com", "date", "Tue, 27 Mar 2007 19:36:42 +0000"),
                "Tue, 27 Mar 2007 19:36:42 +0000");
        assertEquals("GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg", s);
        assertEquals("bWq2s1WEIj+Ydj0vQ697zp+IXMU=", SigV2Verifier.sign(SECRET, s));
    }

    @Test
    void objectPut() {
        String s = StringToSign.build("PUT", "/johnsmith", "/photos/puppy.jpg", "",
                headers("content-type", "image/jpeg", "content-length", "94328"), "Tue, 27 Mar 2007 21:15:45 +0000");
        assertEquals("MyyxeRY7whkBe+bq8fHCL/2kKUg=", SigV2Verifier.sign(SECRET, s));
    }

    @Test
    void subResourcesAreSortedAndOtherParametersIgnored() {
        String s = StringToSign.build("GET", "", "/johnsmith/", "acl", headers(), "Tue, 27 Mar 2007 19:44:46 +0000");
        assertEquals("GET\n\n\nTue, 27 Mar 2007 19:44:46 +0000\n/johnsmith/?acl", s);
        assertEquals("c2WLPFtWHVgbEmeEG93a4cG37dM=", SigV2Verifier.sign(SECRET, s));
        assertEquals("GET\n\n\nD\n/b/k?partNumber=2&response-content-type=text/plain&uploadId=a b",
                StringToSign.build("GET", "", "/b/k", "uploadId=a%20b&prefix=x&response-content-type=text%2Fplain"
                        + "&partNumber=2&max-keys=3", headers(), "D"));
    }

    @Test
    void amzHeadersAreCanonicalizedAndAllSigned() {
        String s = StringToSign.build("PUT", "/static.johnsmith.net", "/db-backup.dat.gz", "",
                headers("user-agent", "curl/7.15.5", "date", "Tue, 27 Mar 2007 21:06:08 +0000",
                        "x-amz-acl", "public-read", "content-type", "application/x-download",
                        "content-md5", "4gJE4saaMU4BqNR0kLY+lw==",
                        "x-amz-meta-reviewedby", "joe@johnsmith.net", "x-amz-meta-reviewedby", "jane@johnsmith.net",
                        "x-amz-meta-filechecksum", "0x02661779", "x-amz-meta-checksumalgorithm", "crc32",
                        "content-length", "5913339"),
                "Tue, 27 Mar 2007 21:06:08 +0000");
        assertEquals("PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\nTue, 27 Mar 2007 21:06:08 +0000\n"
                + "x-amz-acl:public-read\nx-amz-meta-checksumalgorithm:crc32\nx-amz-meta-filechecksum:0x02661779\n"
                + "x-amz-meta-reviewedby:joe@johnsmith.net,jane@johnsmith.net\n/static.johnsmith.net/db-backup.dat.gz", s);
        assertEquals("ilyl83RwaSoYIEdixDQcA4OnAnc=", SigV2Verifier.sign(SECRET, s));
    }

    @Test
    void queryStringAuthUsesExpires() {
        String s = StringToSign.build("GET", "", "/johnsmith/photos/puppy.jpg",
                "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x&Expires=1175139620", headers(), "1175139620");
        assertEquals("NpgCjnDzrM+WFzoENXmpNDUsSn8=", SigV2Verifier.sign(SECRET, s));
    }
}

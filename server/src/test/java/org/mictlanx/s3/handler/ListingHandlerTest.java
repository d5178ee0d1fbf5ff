package org.mictlanx.s3.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.S3Harness;

/** ListObjects v1 and v2 and ListObjectVersions over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListingHandlerTest {

    private static final List<String> KEYS = List.of("a.txt", "photos/2006/January/sample.jpg",
            "photos/2006/February/sample2.jpg", "photos/2006/February/sample3.jpg", "photos/2007/x.jpg",
            "photos/readme", "z/1", "z/2", "z/3", "zz");
    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        s3.as(ALICE).put("/listing", new byte[0]);
        for (String k : KEYS) {
            assertEquals(200, s3.as(ALICE).put("/listing/" + k, k).status());
        }
        s3.as(ALICE).put("/empty-listing", new byte[0]);
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    private static List<String> all(String xml, String element) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + element + ">(.*?)</" + element + ">").matcher(xml);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String one(String xml, String element) {
        List<String> v = all(xml, element);
        return v.isEmpty() ? null : v.get(0);
    }

    @Test
    void v2Everything() {
        String xml = s3.as(ALICE).get("/listing?list-type=2").text();
        assertEquals(KEYS.stream().sorted().toList(), all(xml, "Key"));
        assertEquals("10", one(xml, "KeyCount"));
        assertEquals("false", one(xml, "IsTruncated"));
        assertFalse(xml.contains("<Owner>"), "no owner without fetch-owner");
        assertTrue(s3.as(ALICE).get("/listing?list-type=2&fetch-owner=true").text().contains("<ID>" + org.mictlanx.xolo.policy.Caller.canonicalId("alice") + "</ID><DisplayName>alice</DisplayName>"));
    }

    @Test
    void delimiterAndCommonPrefixes() {
        String xml = s3.as(ALICE).get("/listing?list-type=2&prefix=photos/&delimiter=/").text();
        assertEquals(List.of("photos/readme"), all(xml, "Key"));
        assertEquals(List.of("photos/", "photos/2006/", "photos/2007/"), all(xml, "Prefix").subList(0, 3));
        String top = s3.as(ALICE).get("/listing?delimiter=/").text();
        assertEquals(List.of("a.txt", "zz"), all(top, "Key"));
        assertEquals(List.of("photos/", "z/"), all(top.substring(top.indexOf("<CommonPrefixes>")), "Prefix"));
    }

    @Test
    void v2PaginationWithDelimiterNeverRepeats() {
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String q = "/listing?list-type=2&delimiter=/&max-keys=1" + (token == null ? "" : "&continuation-token=" + token);
            String xml = s3.as(ALICE).get(q).text();
            seen.addAll(all(xml, "Key"));
            if (xml.contains("<CommonPrefixes>")) {
                seen.addAll(all(xml.substring(xml.indexOf("<CommonPrefixes>")), "Prefix"));
            }
            token = one(xml, "NextContinuationToken");
            assertEquals(token != null, "true".equals(one(xml, "IsTruncated")));
            pages++;
        } while (token != null && pages < 20);
        assertEquals(List.of("a.txt", "photos/", "z/", "zz"), seen);
    }

    @Test
    void v1MarkerPagination() {
        String first = s3.as(ALICE).get("/listing?max-keys=3").text();
        assertEquals(List.of("a.txt", "photos/2006/February/sample2.jpg", "photos/2006/February/sample3.jpg"),
                all(first, "Key"));
        assertEquals("true", one(first, "IsTruncated"));
        String next = s3.as(ALICE).get("/listing?max-keys=3&marker=" + one(first, "NextMarker")).text();
        assertEquals(List.of("photos/2006/January/sample.jpg", "photos/2007/x.jpg", "photos/readme"), all(next, "Key"));
        String withDelimiter = s3.as(ALICE).get("/listing?delimiter=/&marker=photos/").text();
        assertEquals(List.of("zz"), all(withDelimiter, "Key"), "a marker equal to a common prefix skips it");
        assertTrue(withDelimiter.contains("<Prefix>z/</Prefix>"));
        assertFalse(withDelimiter.contains("<Prefix>photos/</Prefix>"));
    }

    @Test
    void startAfterAndMaxKeysZero() {
        String xml = s3.as(ALICE).get("/listing?list-type=2&start-after=z/2").text();
        assertEquals(List.of("z/3", "zz"), all(xml, "Key"));
        assertEquals("z/2", one(xml, "StartAfter"));
        String zero = s3.as(ALICE).get("/listing?list-type=2&max-keys=0").text();
        assertEquals(List.of(), all(zero, "Key"));
        assertEquals("0", one(zero, "KeyCount"));
        assertEquals("false", one(zero, "IsTruncated"));
        String empty = s3.as(ALICE).get("/empty-listing?list-type=2").text();
        assertEquals("0", one(empty, "KeyCount"));
    }

    @Test
    void urlEncoding() {
        s3.as(ALICE).put("/listing-enc", new byte[0]);
        s3.as(ALICE).put("/listing-enc/a%20b+c/%C3%B1", "x");
        s3.as(ALICE).put("/listing-enc/ctl%01", "x");
        String xml = s3.as(ALICE).get("/listing-enc?list-type=2&encoding-type=url").text();
        assertEquals(List.of("a+b%2Bc/%C3%B1", "ctl%01"), all(xml, "Key"), "S3's form: '/' kept, space '+'");
        assertEquals("url", one(xml, "EncodingType"));
        String auto = s3.as(ALICE).get("/listing-enc?list-type=2").text();
        assertEquals("url", one(auto, "EncodingType"), "a key XML cannot carry forces URL encoding");
    }

    @Test
    void versionsWhileVersioningIsOff() {
        String xml = s3.as(ALICE).get("/listing?versions&prefix=z/&max-keys=2").text();
        assertTrue(xml.contains("<ListVersionsResult"), xml);
        assertEquals(List.of("z/1", "z/2"), all(xml, "Key"));
        assertEquals(List.of("null", "null"), all(xml, "VersionId"));
        assertEquals(List.of("true", "true"), all(xml, "IsLatest"));
        assertEquals("z/2", one(xml, "NextKeyMarker"));
        String rest = s3.as(ALICE).get("/listing?versions&prefix=z/&key-marker=z/2").text();
        assertEquals(List.of("z/3"), all(rest, "Key"));
    }

    @Test
    void listingEtagsAndDates() {
        String xml = s3.as(ALICE).get("/listing?list-type=2&prefix=zz").text();
        assertTrue(one(xml, "ETag").matches("(\"|&quot;)[0-9a-f]{32}(\"|&quot;)"), xml);
        assertTrue(one(xml, "LastModified").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertEquals("STANDARD", one(xml, "StorageClass"));
    }
}

package org.mictlanx.s3.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;

import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3Harness;

/**
 * Put/Get/DeleteBucketLifecycleConfiguration over HTTP against the real router: the stored
 * document as S3 returns it, S3's errors as XML, the owner-only permission, and the
 * {@code x-amz-expiration} header (next midnight UTC after Last-Modified plus Days).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifecycleHandlerTest {

    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put("/lcb", new byte[0]).status());
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    @Test
    void putGetDeleteOverTheWire() {
        var none = s3.as(ALICE).get("/lcb?lifecycle");
        assertEquals(404, none.status());
        assertEquals("NoSuchLifecycleConfiguration", none.code());
        var put = s3.as(ALICE).put("/lcb?lifecycle", LifecycleRulesTest.AND_FILTER);
        assertEquals(200, put.status(), put.text());
        assertEquals("all_storage_classes_128K", put.header("x-amz-transition-default-minimum-object-size"));
        var got = s3.as(ALICE).get("/lcb?lifecycle");
        assertEquals(200, got.status());
        assertEquals("<?xml version='1.0' encoding='UTF-8'?>"
                + "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ID>example-id</ID>"
                + "<Filter><And><Prefix>tax/</Prefix><Tag><Key>key1</Key><Value>value1</Value></Tag>"
                + "<Tag><Key>key2</Key><Value>value2</Value></Tag><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan>"
                + "<ObjectSizeLessThan>64000</ObjectSizeLessThan></And></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>365</Days></Expiration></Rule></LifecycleConfiguration>", got.text());
        var bad = s3.as(ALICE).put("/lcb?lifecycle", "<LifecycleConfiguration><Rule><ID>x</ID><Filter/><Status>On</Status>"
                + "<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>");
        assertEquals(400, bad.status());
        assertEquals("MalformedXML", bad.code());
        var transition = s3.as(ALICE).put("/lcb?lifecycle", "<LifecycleConfiguration><Rule><ID>x</ID><Filter/><Status>Enabled</Status>"
                + "<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition></Rule></LifecycleConfiguration>");
        assertEquals(400, transition.status());
        assertEquals("InvalidStorageClass", transition.code());
        assertEquals("MalformedXML", s3.as(ALICE).put("/lcb?lifecycle", "<CORSConfiguration/>").code());
        assertTrue(s3.as(ALICE).get("/lcb?lifecycle").text().contains("example-id"), "refused documents change nothing");
        assertEquals(204, s3.as(ALICE).delete("/lcb?lifecycle").status());
        assertEquals("NoSuchLifecycleConfiguration", s3.as(ALICE).get("/lcb?lifecycle").code());
        assertEquals(204, s3.as(ALICE).delete("/lcb?lifecycle").status(), "deleting no configuration is fine, as S3");
    }

    @Test
    void onlyTheOwnerConfiguresLifecycle() {
        assertEquals("AccessDenied", s3.as(BOB).put("/lcb?lifecycle", LifecycleRulesTest.AND_FILTER).code());
        assertEquals("AccessDenied", s3.as(BOB).get("/lcb?lifecycle").code());
        assertEquals("AccessDenied", s3.as(BOB).delete("/lcb?lifecycle").code());
    }

    @Test
    void expirationHeaderNamesTheEarliestCoveringRule() {
        assertEquals(200, s3.as(ALICE).put("/lch", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/lch?lifecycle", "<LifecycleConfiguration>"
                + "<Rule><ID>logs-30</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule>"
                + "<Rule><ID>logs-2</ID><Filter><Prefix>logs/tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule>"
                + "</LifecycleConfiguration>").status());
        var put = s3.as(ALICE).put("/lch/logs/tmp/a", "a");
        var head = s3.as(ALICE).head("/lch/logs/tmp/a");
        Instant modified = HttpFormats.parseHttpDate(head.header("last-modified")).orElseThrow();
        String expected = "expiry-date=\"" + HttpFormats.httpDate(LifecycleRules.due(modified, 2, LifecycleWorker.DAY_MILLIS))
                + "\", rule-id=\"logs-2\"";
        assertTrue(expected.contains(" 00:00:00 GMT"), expected);
        assertEquals(expected, put.header("x-amz-expiration"));
        assertEquals(expected, head.header("x-amz-expiration"));
        assertEquals(expected, s3.as(ALICE).get("/lch/logs/tmp/a").header("x-amz-expiration"));
        s3.as(ALICE).put("/lch/logs/b", "b");
        assertTrue(s3.as(ALICE).head("/lch/logs/b").header("x-amz-expiration").endsWith("rule-id=\"logs-30\""));
        s3.as(ALICE).put("/lch/data/c", "c");
        assertNull(s3.as(ALICE).head("/lch/data/c").header("x-amz-expiration"));
    }
}

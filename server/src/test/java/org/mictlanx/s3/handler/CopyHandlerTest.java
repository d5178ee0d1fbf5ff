package org.mictlanx.s3.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;
import static org.mictlanx.s3.handler.MultipartHandlerTest.tag;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.S3Harness;

/** CopyObject and conditional PutObject over HTTP against the real router on in-process peers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyHandlerTest {

    private static final String A = "/copy-a";
    private static final String B = "/copy-b";
    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put(A, new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put(B, new byte[0]).status());
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    @Test
    void copyKeepsOrReplacesMetadata() {
        byte[] body = MultipartHandlerTest.random(300_000, 1);
        var put = s3.as(ALICE).header("content-type", "text/x-src").header("x-amz-meta-origin", "a")
                .put(A + "/src", body);
        assertEquals(200, put.status());
        var copy = s3.as(ALICE).header("x-amz-copy-source", A + "/src").put(B + "/dst", new byte[0]);
        assertEquals(200, copy.status(), copy.text());
        assertEquals(put.header("ETag"), tag(copy.text(), "ETag").replace("&quot;", "\""));
        var got = s3.as(ALICE).get(B + "/dst");
        assertArrayEquals(body, got.body());
        assertEquals("text/x-src", got.header("Content-Type"));
        assertEquals("a", got.header("x-amz-meta-origin"));

        var replaced = s3.as(ALICE).header("x-amz-copy-source", A + "/src").header("x-amz-metadata-directive", "REPLACE")
                .header("content-type", "text/x-new").header("x-amz-meta-fresh", "yes").put(B + "/dst2", new byte[0]);
        assertEquals(200, replaced.status(), replaced.text());
        var head = s3.as(ALICE).head(B + "/dst2");
        assertEquals("text/x-new", head.header("Content-Type"));
        assertEquals("yes", head.header("x-amz-meta-fresh"));
        assertNull(head.header("x-amz-meta-origin"));

        assertEquals("InvalidRequest", s3.as(ALICE).header("x-amz-copy-source", A + "/src").put(A + "/src", new byte[0]).code());
        var self = s3.as(ALICE).header("x-amz-copy-source", A + "/src?versionId=null")
                .header("x-amz-metadata-directive", "REPLACE").header("x-amz-meta-v", "2").put(A + "/src", new byte[0]);
        assertEquals(200, self.status(), self.text());
        assertEquals("2", s3.as(ALICE).head(A + "/src").header("x-amz-meta-v"));
        assertArrayEquals(body, s3.as(ALICE).get(A + "/src").body());
        assertEquals("InvalidArgument", s3.as(ALICE).header("x-amz-copy-source", A + "/src")
                .header("x-amz-metadata-directive", "MERGE").put(B + "/x", new byte[0]).code());
    }

    @Test
    void copyErrorsAndSourceConditions() {
        s3.as(ALICE).put(A + "/cond-src", "data");
        String etag = s3.as(ALICE).head(A + "/cond-src").header("ETag");
        assertEquals("NoSuchKey", s3.as(ALICE).header("x-amz-copy-source", A + "/absent").put(B + "/x", new byte[0]).code());
        assertEquals("NoSuchBucket", s3.as(ALICE).header("x-amz-copy-source", "/no-such-bucket-here/k").put(B + "/x", new byte[0]).code());
        assertEquals("NoSuchVersion", s3.as(ALICE).header("x-amz-copy-source", A + "/cond-src?versionId=v1").put(B + "/x", new byte[0]).code());
        assertEquals("AccessDenied", s3.as(BOB).header("x-amz-copy-source", A + "/cond-src").put(B + "/x", new byte[0]).code());
        for (String[] h : List.of(new String[] {"x-amz-copy-source-if-match", "\"other\""},
                new String[] {"x-amz-copy-source-if-none-match", etag},
                new String[] {"x-amz-copy-source-if-unmodified-since", "Mon, 01 Jan 2001 00:00:00 GMT"},
                new String[] {"x-amz-copy-source-if-modified-since", "Fri, 01 Jan 2100 00:00:00 GMT"})) {
            var r = s3.as(ALICE).header("x-amz-copy-source", A + "/cond-src").header(h[0], h[1]).put(B + "/x", new byte[0]);
            if (h[0].equals("x-amz-copy-source-if-modified-since")) {
                // A future If-Modified-Since is ignored, as for GET.
                assertEquals(200, r.status(), h[0]);
            } else {
                assertEquals(412, r.status(), h[0]);
                assertEquals("PreconditionFailed", r.code(), h[0]);
            }
        }
        var ok = s3.as(ALICE).header("x-amz-copy-source", A + "/cond-src").header("x-amz-copy-source-if-match", etag)
                .header("x-amz-copy-source-if-unmodified-since", "Mon, 01 Jan 2001 00:00:00 GMT").put(B + "/y", new byte[0]);
        assertEquals(200, ok.status(), "a true if-match overrides a false if-unmodified-since");
        var dest = s3.as(ALICE).header("x-amz-copy-source", A + "/cond-src").header("if-none-match", "*").put(B + "/y", new byte[0]);
        assertEquals("PreconditionFailed", dest.code());
    }

    @Test
    void conditionalPutObject() throws Exception {
        assertEquals(200, s3.as(ALICE).header("if-none-match", "*").put(A + "/once", "first").status());
        var again = s3.as(ALICE).header("if-none-match", "*").put(A + "/once", "second");
        assertEquals(412, again.status());
        assertEquals("PreconditionFailed", again.code());
        String etag = s3.as(ALICE).head(A + "/once").header("ETag");
        assertEquals("PreconditionFailed", s3.as(ALICE).header("if-match", "\"0123\"").put(A + "/once", "x").code());
        assertEquals(200, s3.as(ALICE).header("if-match", etag).put(A + "/once", "third").status());
        assertEquals("third", s3.as(ALICE).get(A + "/once").text());
        assertEquals("NoSuchKey", s3.as(ALICE).header("if-match", etag).put(A + "/never", "x").code());
        assertEquals("NotImplemented", s3.as(ALICE).header("if-none-match", etag).put(A + "/once", "x").code());

        // Racing creators: exactly one wins, the others see 412 or 409.
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<S3Harness.Reply>> tasks = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                String body = "writer-" + i;
                tasks.add(() -> s3.as(ALICE).header("if-none-match", "*").put(A + "/race", body));
            }
            List<Integer> statuses = new java.util.ArrayList<>();
            List<String> texts = new java.util.ArrayList<>();
            for (Future<S3Harness.Reply> f : pool.invokeAll(tasks)) {
                statuses.add(f.get().status());
                texts.add(f.get().text());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(n - 1, statuses.stream().filter(s -> s == 412 || s == 409).count(), texts.toString());
        } finally {
            pool.shutdownNow();
        }
        org.junit.jupiter.api.Assertions.assertTrue(s3.as(ALICE).get(A + "/race").text().startsWith("writer-"));
    }
}

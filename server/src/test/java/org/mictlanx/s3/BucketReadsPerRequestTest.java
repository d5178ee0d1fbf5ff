package org.mictlanx.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mictlanx.s3.S3Harness.ALICE;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.Router;
import org.mictlanx.router.fake.TestClock;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.router.meta.Partitions;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.website.WebsiteServlet;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.server.HttpFront;
import org.mictlanx.xolo.policy.AccessControl;

/**
 * How many quorum reads of the bucket record ({@code _mx.buckets}) each request makes once the front
 * door has resolved the bucket (its lookup is cached, here with a frozen clock so it stays warm).
 * Reads, listings and website pages use the resolved bucket and read it no more; a delete reads it
 * once, like a put: the versioning state that decides between removing the ball and adding a delete
 * marker comes from a quorum read made during the request, never from the front door's cache.
 * Counted at the peer, on a one-peer cluster: there a quorum read is one record read, answered before
 * the request returns (no straggler can be counted late).
 */
class BucketReadsPerRequestTest {

    private final TestClock clock = new TestClock();
    private TestCluster cluster;
    private S3Harness s3;
    private HttpFront website;

    @BeforeEach
    void setUp() throws Exception {
        clock.freeze();
        cluster = new TestCluster(1);
        Router router = cluster.router(TestCluster.config(Duration.ofSeconds(2), Duration.ofHours(1)), clock);
        s3 = new S3Harness(router);
        ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        context.addServlet(new ServletHolder(new WebsiteServlet(router, new BucketConfigurations(router.metaTable(),
                System::nanoTime), new S3Xml(), null, new Authorizer(id -> Optional.empty(), new AccessControl(s3.policies)),
                Clock.systemUTC())), "/");
        website = new HttpFront("127.0.0.1", 0, null, context);
    }

    @AfterEach
    void tearDown() throws Exception {
        website.close();
        s3.close();
        cluster.close();
    }

    @Test
    void onlyWritesReadTheBucketAgain() throws Exception {
        S3Harness.Call alice = s3.as(ALICE);
        assertEquals(200, alice.put("/bkt", new byte[0]).status());
        for (String k : new String[] {"a/1", "a/2", "c", "d", "e", "f", "g"}) assertEquals(200, alice.put("/bkt/" + k, k).status());
        assertEquals(200, alice.put("/ver", new byte[0]).status());
        assertEquals(200, alice.put("/ver?versioning", "<VersioningConfiguration><Status>Enabled</Status>"
                + "</VersioningConfiguration>").status());
        String v1 = alice.put("/ver/k", "one").header("x-amz-version-id");
        alice.put("/ver/k", "two");
        alice.put("/ver/gone", "x");
        assertEquals(200, alice.put("/web", new byte[0]).status());
        assertEquals(204, alice.put("/web?policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::web/*\"}]}").status());
        assertEquals(200, alice.put("/web?website", "<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix>"
                + "</IndexDocument></WebsiteConfiguration>").status());
        assertEquals(200, alice.put("/web/index.html", "<h1>home</h1>").status());

        Map<String, Long> reads = new LinkedHashMap<>();
        reads.put("HeadObject", count(() -> alice.head("/bkt/c"), 200));
        reads.put("GetObject", count(() -> alice.get("/bkt/c"), 200));
        reads.put("GetObject versionId", count(() -> alice.get("/ver/k?versionId=" + v1), 200));
        reads.put("ListObjects", count(() -> alice.get("/bkt?delimiter=/"), 200));
        reads.put("ListObjectsV2", count(() -> alice.get("/bkt?list-type=2&max-keys=2&delimiter=/"), 200));
        reads.put("ListObjectVersions", count(() -> alice.get("/ver?versions&key-marker=k&version-id-marker=" + v1), 200));
        reads.put("website GET", count(() -> anonymous("/web/"), 200));
        reads.put("PutObject", count(() -> alice.put("/bkt/h", "h"), 200));
        reads.put("DeleteObject", count(() -> alice.delete("/bkt/c"), 204));
        reads.put("DeleteObject versioned", count(() -> alice.delete("/ver/gone"), 204));
        reads.put("DeleteObject versionId", count(() -> alice.delete("/ver/k?versionId=" + v1), 204));
        byte[] batch = ("<Delete><Object><Key>d</Key></Object><Object><Key>e</Key></Object>"
                + "<Object><Key>f</Key></Object></Delete>").getBytes(StandardCharsets.UTF_8);
        reads.put("DeleteObjects (3 keys)", count(() -> alice.header("content-md5", md5(batch)).post("/bkt?delete", batch), 200));

        Map<String, Long> expected = new LinkedHashMap<>();
        for (String op : reads.keySet()) expected.put(op, 0L);
        expected.put("PutObject", 1L); // the commit's bucket check, versioning state included
        expected.put("DeleteObject", 1L); // the same for a delete: its versioning state at commit
        expected.put("DeleteObject versioned", 1L);
        expected.put("DeleteObject versionId", 1L);
        expected.put("DeleteObjects (3 keys)", 3L);
        assertEquals(expected, reads, "quorum reads of the bucket record per request");
    }

    /** Runs {@code request} (expecting {@code status}) and returns the quorum reads of the bucket record it made. */
    private long count(Supplier<S3Harness.Reply> request, int status) {
        long before = bucketRecordReads();
        S3Harness.Reply reply = request.get();
        assertEquals(status, reply.status(), reply.text());
        return bucketRecordReads() - before;
    }

    private long bucketRecordReads() {
        return cluster.peers.get(0).reads(Partitions.BUCKETS);
    }

    private S3Harness.Reply anonymous(String path) {
        try {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + website.endpoint().getAuthority() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new S3Harness.Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String md5(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}

package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.testing.ChildPeer;
import org.mictlanx.server.testing.ChildServer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Versioning across processes: two router processes (role {@code server}) over three peer processes,
 * each its own JVM. Concurrent writers of one key through both routers all get distinct versions,
 * none lost, each holding its own write, and a write refused with 409 (retried, see
 * {@link #putRetryingConflicts}) never appears; ListObjectVersions (paged) agrees on both routers, newest first with one latest, and
 * both routers serve the same latest version.
 */
class VersioningRouterProcessesTest {

    private static final String SECRET = "versioning-process-test";
    private static final String AK = "AKIAVERSIONPROCESS01";
    private static final String SK = "versioning/process/secret/0123456789";

    @TempDir
    Path dir;

    private final List<ChildPeer> peers = new ArrayList<>();
    private final List<ChildServer> routers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (ChildServer r : routers) r.close();
        for (ChildPeer p : peers) p.close();
    }

    /** Starts {@code Main server} in a child JVM and returns its S3 endpoint once it printed it is ready. */
    private URI router(String name, String peerUrls) throws Exception {
        ChildServer r = ChildServer.start(dir.resolve(name), ChildServer.env(SECRET, AK, SK, peerUrls), List.of(), Duration.ofSeconds(90));
        routers.add(r);
        return r.endpoint();
    }

    private static S3Client client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AK, SK))).build();
    }

    /** Every version of the bucket as "key@id", paged three at a time with the markers. */
    private static List<String> versions(S3Client s3, String bucket) {
        List<String> out = new ArrayList<>();
        String km = null;
        String vm = null;
        while (true) {
            String k = km;
            String v = vm;
            ListObjectVersionsResponse page = s3.listObjectVersions(r -> r.bucket(bucket).maxKeys(3).keyMarker(k).versionIdMarker(v));
            for (ObjectVersion o : page.versions()) out.add(o.key() + "@" + o.versionId() + (o.isLatest() ? "*" : ""));
            if (!page.isTruncated()) return out;
            km = page.nextKeyMarker();
            vm = page.nextVersionIdMarker();
        }
    }

    /**
     * PUT {@code body} (each attempt's body made unique), retrying what the router refused with 409
     * ConditionalRequestConflict: its key guard gives up after a fixed number of rounds when other
     * writers of the key hold it that long (a loaded machine), and S3's answer to that code is "retry
     * the PutObject". The acknowledged version and body go to {@code acknowledged}, refused attempts'
     * bodies to {@code refused}; at most ten attempts.
     */
    private static void putRetryingConflicts(S3Client via, String body, Map<String, String> acknowledged, Set<String> refused) {
        for (int attempt = 0; ; attempt++) {
            String sent = body + " attempt " + attempt;
            try {
                String version = via.putObject(r -> r.bucket("vproc").key("k"), RequestBody.fromString(sent)).versionId();
                assertNull(acknowledged.put(version, sent), "version id " + version + " given twice");
                return;
            } catch (S3Exception e) {
                if (e.statusCode() != 409 || !"ConditionalRequestConflict".equals(e.awsErrorDetails().errorCode()) || attempt == 9) throw e;
                refused.add(sent);
            }
        }
    }

    @Test
    void concurrentVersionedWritesThroughTwoRouterProcessesAllBecomeVersions() throws Exception {
        StringBuilder urls = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            ChildPeer p = ChildPeer.start("vp" + i, dir.resolve("vp" + i), SECRET, 60);
            peers.add(p);
            urls.append(i > 1 ? "," : "").append("vp").append(i).append('=').append(p.uri());
        }
        URI ea = router("ra", urls.toString());
        URI eb = router("rb", urls.toString());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (S3Client a = client(ea); S3Client b = client(eb)) {
            a.createBucket(r -> r.bucket("vproc"));
            a.putBucketVersioning(r -> r.bucket("vproc").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
            Map<String, String> acknowledged = new ConcurrentHashMap<>(); // version id -> body
            Set<String> refused = ConcurrentHashMap.newKeySet();
            for (int round = 0; round < 4; round++) {
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<?>> writes = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    S3Client via = w % 2 == 0 ? a : b;
                    String body = "round " + round + " writer " + w;
                    writes.add(pool.submit(() -> {
                        start.await();
                        putRetryingConflicts(via, body, acknowledged, refused);
                        return null;
                    }));
                }
                for (Future<?> f : writes) f.get(120, TimeUnit.SECONDS);
            }
            System.out.printf("versioning across router processes: 16 writes, %d attempts refused with 409 and retried%n", refused.size());
            assertEquals(16, acknowledged.size(), "every acknowledged write has its own version id");
            List<String> viaA = versions(a, "vproc");
            List<String> viaB = versions(b, "vproc");
            assertEquals(viaA, viaB, "both routers list the same versions in the same order");
            assertEquals(16, viaA.size());
            Map<String, String> listed = new HashMap<>();
            for (String e : viaA) {
                String id = e.substring(2).replace("*", "");
                listed.put(id, a.getObjectAsBytes(r -> r.bucket("vproc").key("k").versionId(id)).asUtf8String());
            }
            assertEquals(acknowledged, listed, "no acknowledged version is lost, and each holds its own write");
            for (String body : refused) assertTrue(!listed.containsValue(body), "a refused write never appears: " + body);
            assertTrue(viaA.get(0).endsWith("*") && viaA.stream().filter(e -> e.endsWith("*")).count() == 1, viaA.toString());
            String newest = viaA.get(0).substring(2, viaA.get(0).length() - 1);
            assertEquals(newest, a.headObject(r -> r.bucket("vproc").key("k")).versionId());
            assertEquals(newest, b.headObject(r -> r.bucket("vproc").key("k")).versionId());
        } finally {
            pool.shutdownNow();
        }
    }
}

package org.mictlanx.compat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.compat.AllInOne;
import org.mictlanx.sdk.MictlanX;
import org.mictlanx.sdk.MictlanXException;
import org.mictlanx.sdk.PutOptions;
import org.mictlanx.sdk.PutResult;
import org.mictlanx.sdk.RetryPolicy;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** Retries, no-retry on 4xx, and router failover, with faults injected by a loopback proxy. */
class SdkFaultsCompatTest {

    static final int MIB = 1 << 20;
    static AllInOne store;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        try (MictlanX c = client(URI.create("http://127.0.0.1:" + store.port()))) {
            c.createBucket("faults");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) store.close();
    }

    static MictlanX client(URI... routers) {
        return MictlanX.builder().routers(java.util.List.of(routers))
                .credentials(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY).partSize(5 * MIB)
                .retry(new RetryPolicy(5, Duration.ofMillis(5), Duration.ofMillis(50)))
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)).build();
    }

    @Test
    void injected503sAreRetried() throws Exception {
        try (FaultProxy proxy = new FaultProxy(store.port(), 3);
             MictlanX c = client(URI.create("http://127.0.0.1:" + proxy.port()))) {
            byte[] data = "retried".getBytes();
            c.put("faults", "r", data);
            assertEquals(3, proxy.injected());
            assertEquals(4, c.requestsSent());
            assertArrayEquals(data, c.get("faults", "r"));
        }
    }

    @Test
    void retriesGiveUpAfterTheBudget() throws Exception {
        try (FaultProxy proxy = new FaultProxy(store.port(), 100);
             MictlanX c = client(URI.create("http://127.0.0.1:" + proxy.port()))) {
            MictlanXException e = assertThrows(MictlanXException.class, () -> c.put("faults", "never", new byte[1]));
            assertEquals(503, e.status());
            assertEquals("SlowDown", e.code());
            assertEquals(5, proxy.injected());
        }
    }

    @Test
    void forbiddenIsNotRetried() {
        try (MictlanX c = MictlanX.builder().router(URI.create("http://127.0.0.1:" + store.port()))
                .credentials(AllInOne.ACCESS_KEY, "wrong-secret").build()) {
            MictlanXException e = assertThrows(MictlanXException.class, () -> c.put("faults", "x", new byte[1]));
            assertEquals(403, e.status());
            assertEquals(1, c.requestsSent());
        }
    }

    @Test
    void deadRouterFailsOver() throws Exception {
        URI dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        try (MictlanX c = client(dead, URI.create("http://127.0.0.1:" + store.port()))) {
            for (int i = 0; i < 4; i++) {
                c.put("faults", "f" + i, new byte[] {(byte) i});
                assertArrayEquals(new byte[] {(byte) i}, c.get("faults", "f" + i));
            }
        }
    }

    @Test
    void routerStoppedInTheMiddleOfAPutThePutSucceeds() throws Exception {
        byte[] data = new byte[40 * MIB];
        new Random(9).nextBytes(data);
        AtomicBoolean stopped = new AtomicBoolean();
        try (FaultProxy proxy = new FaultProxy(store.port(), 0);
             MictlanX c = MictlanX.builder()
                     .routers(java.util.List.of(URI.create("http://127.0.0.1:" + proxy.port()),
                             URI.create("http://127.0.0.1:" + store.port())))
                     .credentials(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY).partSize(5 * MIB).parallelism(4)
                     .retry(new RetryPolicy(5, Duration.ofMillis(5), Duration.ofMillis(50))).build()) {
            PutResult r = c.put("faults", "mid", data, PutOptions.DEFAULT.withProgress((done, total) -> {
                if (done >= 5 * MIB && stopped.compareAndSet(false, true)) {
                    try {
                        proxy.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }));
            assertTrue(stopped.get());
            assertTrue(proxy.accepted() > 0, "the stopped router carried part of the put");
            assertEquals(8, r.parts());
            assertArrayEquals(data, c.get("faults", "mid"));
        }
    }

    @Test
    void connectionStringRejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> MictlanX.connect("http://a:b@h:1"));
        assertThrows(IllegalArgumentException.class, () -> MictlanX.connect("mictlanx://h:1"));
        assertFalse(MictlanX.connect("mictlanx://a:b%2Fc@h1:1,h2:2/?secure=true").config().routers().isEmpty());
    }

    @Test
    void lostCompleteAnswerIsRecognisedAsCommitted() throws Exception {
        byte[] data = new byte[11 * MIB];
        new Random(17).nextBytes(data);
        try (FaultProxy proxy = new FaultProxy(store.port(), 0);
             MictlanX c = client(URI.create("http://127.0.0.1:" + proxy.port()), URI.create("http://127.0.0.1:" + store.port()))) {
            proxy.dropCompleteAnswers();
            PutResult r = c.put("faults", "lost-answer", data);
            assertEquals(1, proxy.dropped(), "the first Complete went through the proxy and its answer was lost");
            assertEquals(3, r.parts());
            assertEquals(r.etag(), c.head("faults", "lost-answer").etag());
            assertArrayEquals(data, c.get("faults", "lost-answer"));
        }
    }

    @Test
    void aCreateWhoseAnswerWasLostLeavesNoUnusedUploadBehind() throws Exception {
        byte[] data = new byte[11 * MIB];
        new Random(23).nextBytes(data);
        try (S3Client s3 = store.rootClient();
             FaultProxy proxy = new FaultProxy(store.port(), 0);
             MictlanX c = client(URI.create("http://127.0.0.1:" + proxy.port()))) {
            // Bystanders that must survive: an upload of the same key that has a part, and one of a longer key.
            String withPart = s3.createMultipartUpload(b -> b.bucket("faults").key("orphan")).uploadId();
            s3.uploadPart(b -> b.bucket("faults").key("orphan").uploadId(withPart).partNumber(1),
                    RequestBody.fromBytes(new byte[10]));
            String longerKey = s3.createMultipartUpload(b -> b.bucket("faults").key("orphan-2")).uploadId();
            proxy.dropAnswers("InitiateMultipartUploadResult", 1);
            PutResult r = c.put("faults", "orphan", data);
            assertEquals(1, proxy.dropped(), "the server created an upload whose id never reached the SDK");
            assertEquals(3, r.parts());
            assertArrayEquals(data, c.get("faults", "orphan"));
            List<String> left = s3.listMultipartUploads(b -> b.bucket("faults").prefix("orphan")).uploads().stream()
                    .map(MultipartUpload::uploadId).sorted().toList();
            assertEquals(Stream.of(withPart, longerKey).sorted().toList(), left,
                    "the upload created by the lost attempt was aborted, the bystanders were not");
            s3.abortMultipartUpload(b -> b.bucket("faults").key("orphan").uploadId(withPart));
            s3.abortMultipartUpload(b -> b.bucket("faults").key("orphan-2").uploadId(longerKey));
        }
    }
}

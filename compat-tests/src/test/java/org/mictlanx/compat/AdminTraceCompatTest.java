package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.server.AdminClient;
import org.mictlanx.xolo.sigv4.SigV4Crypto;
import org.mictlanx.xolo.sigv4.SigV4Request;
import org.mictlanx.xolo.sigv4.SigV4Signer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code GET /_mictlanx/admin/trace} with real AWS SDK v2 traffic: the events carry the right fields
 * (operation, bucket, key, status, error, caller, bytes, request id, remote address), server-side filters
 * by bucket, status, user and operation hold, a non-root key is refused (403), and a subscriber that stops
 * reading never holds S3 requests up: its queue is bounded, and what did not fit is counted and reported.
 */
class AdminTraceCompatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static AllInOne store;
    private static AdminClient admin;

    @BeforeAll
    static void start() throws IOException {
        store = AllInOne.start();
        admin = new AdminClient(store.endpoint(), AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
    }

    @AfterAll
    static void stop() throws IOException {
        store.close();
    }

    /** A trace subscription read on a background thread into a queue of its {@code request} events. */
    private static final class Tracer implements AutoCloseable {
        final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        final List<JsonNode> seen = new CopyOnWriteArrayList<>();
        private final Stream<String> lines;
        private final Thread reader;

        Tracer(String query) throws Exception {
            lines = admin.trace(query);
            var it = lines.iterator();
            JsonNode first = JSON.readTree(it.next());
            assertEquals("subscribed", first.path("type").asText(), first.toString());
            reader = Thread.ofVirtual().start(() -> {
                try {
                    while (it.hasNext()) {
                        JsonNode n = JSON.readTree(it.next());
                        if (n.path("type").asText().equals("request")) events.add(n);
                    }
                } catch (Exception closed) {
                    // the test closed the stream
                }
            });
        }

        /** The first event (seen or coming within 20 s) that passes {@code test}. */
        JsonNode await(Predicate<JsonNode> test, String what) throws InterruptedException {
            for (JsonNode n : seen) if (test.test(n)) return n;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                JsonNode n = events.poll(100, TimeUnit.MILLISECONDS);
                if (n == null) continue;
                seen.add(n);
                if (test.test(n)) return n;
            }
            throw new AssertionError("no trace event " + what + " among " + seen);
        }

        @Override
        public void close() {
            lines.close();
            reader.interrupt();
        }
    }

    private static Predicate<JsonNode> op(String operation, String bucket, String key) {
        return n -> n.path("operation").asText().equals(operation) && n.path("bucket").asText().equals(bucket)
                && (key == null || n.path("key").asText().equals(key));
    }

    @Test
    void eventsCarryTheRequestsFieldsAndFiltersHold() throws Exception {
        AdminClient.NewUser alice = admin.addUser("trace-alice");
        S3Client root = store.rootClient();
        S3Client asAlice = store.client(alice.accessKey(), alice.secretKey(), true);
        Instant before = Instant.now().minusSeconds(1);
        try (Tracer all = new Tracer("");
             Tracer errorsInA = new Tracer("bucket=trace-a&status=4xx");
             Tracer alicePuts = new Tracer("user=trace-alice&operation=PutObject");
             Tracer serverErrors = new Tracer("status=5xx")) {
            root.createBucket(b -> b.bucket("trace-a"));
            PutObjectResponse put = root.putObject(b -> b.bucket("trace-a").key("dir/k 1"), RequestBody.fromString("hello"));
            var got = root.getObjectAsBytes(b -> b.bucket("trace-a").key("dir/k 1"));
            assertEquals("hello", got.asUtf8String());
            assertThrows(S3Exception.class, () -> root.headObject(b -> b.bucket("trace-a").key("missing")));
            S3Exception denied = assertThrows(S3Exception.class,
                    () -> asAlice.putObject(b -> b.bucket("trace-a").key("x"), RequestBody.fromString("no")));
            assertEquals(403, denied.statusCode());
            asAlice.createBucket(b -> b.bucket("trace-b"));
            asAlice.putObject(b -> b.bucket("trace-b").key("mine"), RequestBody.fromString("alice's"));

            JsonNode p = all.await(op("PutObject", "trace-a", "dir/k 1").and(n -> n.path("status").asInt() == 200), "PutObject trace-a");
            assertEquals(put.responseMetadata().requestId(), p.path("requestId").asText());
            assertEquals(AllInOne.ACCESS_KEY, p.path("accessKey").asText());
            assertEquals("root", p.path("user").asText());
            assertTrue(p.path("bytesIn").asLong() >= 5, p.toString()); // the body as sent (aws-chunked framing included)
            assertEquals(0, p.path("bytesOut").asLong(), p.toString());
            assertEquals("127.0.0.1", p.path("remote").asText());
            assertTrue(p.path("durationMs").asDouble() > 0, p.toString());
            Instant t = Instant.parse(p.path("time").asText());
            assertTrue(t.isAfter(before) && t.isBefore(Instant.now().plusSeconds(1)), p.toString());
            assertFalse(p.toString().contains(AllInOne.SECRET_KEY) || p.toString().contains(alice.secretKey()), "never a secret");

            GetObjectResponse getResponse = got.response();
            JsonNode g = all.await(op("GetObject", "trace-a", "dir/k 1"), "GetObject");
            assertEquals(200, g.path("status").asInt());
            assertEquals(5, g.path("bytesOut").asLong(), g.toString());
            assertEquals(getResponse.responseMetadata().requestId(), g.path("requestId").asText());
            assertEquals(200, all.await(op("CreateBucket", "trace-a", null), "CreateBucket").path("status").asInt());

            JsonNode head = errorsInA.await(op("HeadObject", "trace-a", "missing"), "HeadObject 404");
            assertEquals(404, head.path("status").asInt());
            JsonNode refused = errorsInA.await(op("PutObject", "trace-a", "x"), "refused PutObject");
            assertEquals(403, refused.path("status").asInt());
            assertEquals("AccessDenied", refused.path("error").asText());
            assertEquals("trace-alice", refused.path("user").asText());
            assertEquals(alice.accessKey(), refused.path("accessKey").asText());

            alicePuts.await(op("PutObject", "trace-b", "mine").and(n -> n.path("status").asInt() == 200), "alice's PutObject");
            alicePuts.await(op("PutObject", "trace-a", "x"), "alice's refused PutObject");

            // a last request seen by the unfiltered tracer: everything before it has been published to all
            root.headBucket(b -> b.bucket("trace-a"));
            all.await(op("HeadBucket", "trace-a", null), "HeadBucket");
            drain(errorsInA, alicePuts, serverErrors);
            for (JsonNode n : errorsInA.seen) {
                assertTrue(n.path("bucket").asText().equals("trace-a") && n.path("status").asInt() / 100 == 4, n.toString());
            }
            for (JsonNode n : alicePuts.seen) {
                assertTrue(n.path("user").asText().equals("trace-alice") && n.path("operation").asText().equals("PutObject"), n.toString());
            }
            assertTrue(serverErrors.seen.isEmpty(), serverErrors.seen.toString());
        }
    }

    /** Moves whatever the tracers received so far into their {@code seen} lists. */
    private static void drain(Tracer... tracers) {
        for (Tracer t : tracers) {
            List<JsonNode> rest = new ArrayList<>();
            t.events.drainTo(rest);
            t.seen.addAll(rest);
        }
    }

    @Test
    void aNonRootKeyIsRefusedAndABadFilterIsABadRequest() throws Exception {
        AdminClient.NewUser bob = admin.addUser("trace-bob");
        AdminClient asBob = new AdminClient(store.endpoint(), bob.accessKey(), bob.secretKey());
        AdminClient.AdminException e = assertThrows(AdminClient.AdminException.class, () -> asBob.trace(""));
        assertEquals(403, e.status());
        assertEquals("AccessDenied", e.code());
        AdminClient.AdminException bad = assertThrows(AdminClient.AdminException.class, () -> admin.trace("status=teapot"));
        assertEquals(400, bad.status());
        AdminClient.AdminException queue = assertThrows(AdminClient.AdminException.class, () -> admin.trace("queue=0"));
        assertEquals(400, queue.status());
    }

    @Test
    void aStalledSubscriberNeverHoldsRequestsUpAndItsDropsAreCounted() throws Exception {
        S3Client root = store.rootClient();
        root.createBucket(b -> b.bucket("trace-stall"));
        String longKey = "k".repeat(500);
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(2048); // a small window: the server's writes stall soon
            stalled.connect(new InetSocketAddress("127.0.0.1", store.port()), 5_000);
            stalled.setSoTimeout(20_000);
            OutputStream out = stalled.getOutputStream();
            out.write(signedGet("bucket=trace-stall&operation=HeadObject&queue=4").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = stalled.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200") && head.toLowerCase().contains("transfer-encoding: chunked"), head);
            Chunked body = new Chunked(in);
            assertEquals("subscribed", JSON.readTree(body.line()).path("type").asText());

            // The subscriber now reads nothing while many requests run; each must finish on its own time.
            int requests = 400;
            S3Client quick = software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(store.endpoint())
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY)))
                    .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(10)).retryStrategy(r -> r.maxAttempts(1)))
                    .build();
            for (int i = 0; i < requests; i++) {
                int n = i;
                S3Exception missing = assertThrows(S3Exception.class,
                        () -> quick.headObject(b -> b.bucket("trace-stall").key(longKey + n)));
                assertEquals(404, missing.statusCode());
            }

            // Reading again: every matching request was either delivered or counted as dropped.
            long delivered = 0;
            long dropped = 0;
            while (delivered + dropped < requests) {
                JsonNode n = JSON.readTree(body.line());
                switch (n.path("type").asText()) {
                    case "request" -> {
                        assertEquals("HeadObject", n.path("operation").asText());
                        delivered++;
                    }
                    case "dropped" -> {
                        dropped += n.path("count").asLong();
                        assertEquals(dropped, n.path("total").asLong(), n.toString());
                    }
                    default -> {
                        // heartbeat
                    }
                }
            }
            assertEquals(requests, delivered + dropped);
            assertTrue(dropped > 0, "a subscriber that stopped reading must lose events, not hold requests up: delivered "
                    + delivered);
        }
        // the stalled connection is gone: the router still serves, and a new subscriber works
        try (Tracer t = new Tracer("bucket=trace-stall")) {
            root.headBucket(b -> b.bucket("trace-stall"));
            t.await(op("HeadBucket", "trace-stall", null), "HeadBucket after the stall");
        }
    }

    private static String signedGet(String query) {
        String path = "/_mictlanx/admin/trace";
        String host = "127.0.0.1:" + store.port();
        SigV4Request signed = new SigV4Signer(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY, "us-east-1")
                .sign("GET", path, query, Map.of("host", host), SigV4Crypto.EMPTY_SHA256, Instant.now()).request();
        StringBuilder sb = new StringBuilder("GET " + path + "?" + query + " HTTP/1.1\r\n");
        signed.headers().forEach((k, v) -> sb.append(k).append(": ").append(v.get(0)).append("\r\n"));
        return sb.append("\r\n").toString();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Lines of a chunked HTTP body. */
    private static final class Chunked {
        private final InputStream in;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private byte[] chunk = new byte[0];
        private int at;

        Chunked(InputStream in) {
            this.in = in;
        }

        String line() throws IOException {
            while (true) {
                while (at < chunk.length) {
                    byte b = chunk[at++];
                    if (b == '\n') {
                        String line = pending.toString(StandardCharsets.UTF_8);
                        pending.reset();
                        return line;
                    }
                    pending.write(b);
                }
                String size = crlfLine();
                if (size.isEmpty()) size = crlfLine(); // the CRLF that ends the previous chunk
                int n = Integer.parseInt(size.split(";")[0].strip(), 16);
                if (n == 0) throw new IOException("the stream ended");
                chunk = in.readNBytes(n);
                at = 0;
            }
        }

        private String crlfLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') line.write(b);
            }
            if (b < 0) throw new IOException("the stream ended");
            return line.toString(StandardCharsets.US_ASCII);
        }
    }
}

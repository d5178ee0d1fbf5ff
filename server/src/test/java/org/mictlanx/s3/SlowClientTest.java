package org.mictlanx.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.server.HttpFront;

/**
 * Slow, stalled and greedy clients at the front door: a dripped request head is cut at the header
 * deadline, a stalled body is answered RequestTimeout, a stalled upload holds only what it sent, and a
 * spent request buffer budget answers SlowDown while reads go on.
 */
class SlowClientTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    @Test
    void aDrippedRequestHeadIsClosedAtTheHeaderDeadlineWithoutAnAnswer() throws Exception {
        try (S3Harness h = new S3Harness(new HttpFront.Timeouts(Duration.ofSeconds(1), LONG), BufferBudget.unlimited());
             Socket s = socket(h)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /bucket/key HTTP/1.1\r\nHost: " + h.host + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long start = System.nanoTime();
            Thread drip = Thread.ofVirtual().start(() -> {
                try {
                    while (true) { // one header line every 100 ms: never idle, never complete
                        out.write("X-Drip: y\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server
                }
            });
            int first = readOrReset(s.getInputStream());
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            drip.interrupt();
            assertEquals(-1, first, "closed without an answer");
            assertTrue(elapsedMs >= 900 && elapsedMs < 15_000, "closed at the 1 s head deadline, not by the 60 s idle timeout: " + elapsedMs);
        }
    }

    @Test
    void aStalledBodyIsAnsweredRequestTimeoutAndHoldsOnlyWhatItSent() throws Exception {
        BufferBudget budget = new BufferBudget(64L << 20, Duration.ofMillis(100));
        try (S3Harness h = new S3Harness(new HttpFront.Timeouts(Duration.ofSeconds(20), Duration.ofSeconds(1)), budget)) {
            assertEquals(200, h.as(S3Harness.ROOT).put("/slow", "").status());
            byte[] declared = new byte[50 << 20];
            String head = "PUT /slow/big HTTP/1.1\r\n"
                    + h.signedHeaderBlock(S3Harness.ROOT, "PUT", "/slow/big", "", h.host, Map.of(), declared)
                    + "Content-Length: " + declared.length + "\r\n\r\n";
            try (Socket s = socket(h)) {
                s.getOutputStream().write((head + "0123456789").getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
                assertTrue(answer.contains("<Code>RequestTimeout</Code>"), answer);
                assertTrue(answer.contains("Your socket connection to the server was not read from or written to within"
                        + " the timeout period. Idle connections will be closed."), answer);
                assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
            }
            assertEquals(0, h.count("slow"), "nothing stored");
            await(() -> budget.used() == 0, "the stalled put returned its buffers");
        }
    }

    @Test
    void aStalledUploadHoldsOnlyTheBufferForWhatArrived() throws Exception {
        BufferBudget budget = new BufferBudget(64L << 20, Duration.ofMillis(100));
        try (S3Harness h = new S3Harness(new HttpFront.Timeouts(Duration.ofSeconds(20), LONG), budget)) {
            assertEquals(200, h.as(S3Harness.ROOT).put("/slow", "").status());
            byte[] declared = new byte[50 << 20];
            String head = "PUT /slow/big HTTP/1.1\r\n"
                    + h.signedHeaderBlock(S3Harness.ROOT, "PUT", "/slow/big", "", h.host, Map.of(), declared)
                    + "Content-Length: " + declared.length + "\r\n\r\n";
            try (Socket s = socket(h)) {
                s.getOutputStream().write((head + "0123456789").getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                await(() -> budget.used() > 0, "the put reserved its first buffer");
                assertEquals(64 * 1024, budget.used(), "64 KiB for ten bytes, not a 64 KiB..8 MiB chunk sized by Content-Length");
            }
            await(() -> budget.used() == 0, "the abandoned put returned its buffers");
        }
    }

    @Test
    void aSpentBudgetAnswersSlowDownWhileReadsGoOn() throws Exception {
        BufferBudget budget = new BufferBudget(4L << 20, Duration.ofMillis(100));
        try (S3Harness h = new S3Harness(HttpFront.Timeouts.DEFAULTS, budget)) {
            S3Harness.Call root = h.as(S3Harness.ROOT);
            assertEquals(200, root.put("/greedy", "").status());
            byte[] data = new byte[300_000];
            new java.util.Random(5).nextBytes(data);
            assertEquals(200, root.put("/greedy/a", data).status());
            await(() -> budget.used() == 0, "the first put returned its buffers");
            try (BufferBudget.Lease hog = budget.open()) {
                hog.reserve(budget.capacity());
                S3Harness.Reply refused = root.put("/greedy/b", data);
                assertEquals(503, refused.status(), refused.text());
                assertEquals("SlowDown", refused.code());
                assertTrue(refused.text().contains("<Message>Please reduce your request rate.</Message>"), refused.text());
                byte[] delete = "<Delete><Object><Key>a</Key></Object></Delete>".getBytes(StandardCharsets.UTF_8);
                S3Harness.Reply refusedXml = root.header("content-md5", md5(delete)).post("/greedy?delete", delete);
                assertEquals(503, refusedXml.status(), refusedXml.text());
                assertEquals("SlowDown", refusedXml.code());
                S3Harness.Reply read = h.as(S3Harness.ROOT).get("/greedy/a");
                assertEquals(200, read.status());
                assertArrayEquals(data, read.body(), "reads need no request buffers");
            }
            assertEquals(200, h.as(S3Harness.ROOT).put("/greedy/b", data).status(), "accepted again once bytes are returned");
            assertEquals(2, h.count("greedy"));
            await(() -> budget.used() == 0, "every put returned its buffers");
            assertTrue(budget.refused() >= 2);
        }
    }

    private static Socket socket(S3Harness h) throws IOException {
        String[] hp = h.host.split(":");
        Socket s = new Socket(hp[0], Integer.parseInt(hp[1]));
        s.setSoTimeout(30_000);
        return s;
    }

    /** The first byte the server sends, or -1 when it closed (a reset counts as closed). */
    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException e) {
            return -1;
        }
    }

    private static String md5(byte[] body) throws Exception {
        return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(body));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(10);
        }
    }
}

package org.mictlanx.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 12 item 3 (second and third bullets), on raw sockets: {@code Expect: 100-continue} is
 * answered only after authentication, authorization and the bucket check; other Expect values,
 * bodies announced and never sent, and failures Jetty detects itself all get S3's error from the one
 * table and renderer, at once; an XML body with another operation's root element is MalformedXML.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireFailuresTest {

    /** Every read below waits at most this long; a hang fails the test instead of stalling it. */
    private static final int DEADLINE_MS = 5_000;

    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put("/wire", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/wire/keep", "keep").status());
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    /** One raw connection: write bytes, read what has arrived, with a deadline on every read. */
    private final class Conn implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Conn() throws IOException {
            String[] hp = s3.host.split(":");
            socket = new Socket(hp[0], Integer.parseInt(hp[1]));
            socket.setSoTimeout(DEADLINE_MS);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Reads one response head (status line and headers, up to the blank line). */
        String head() throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            while (!buf.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                buf.write(b);
            }
            return buf.toString(StandardCharsets.ISO_8859_1);
        }

        /** Reads a response body of the head's Content-Length. */
        String body(String head) throws IOException {
            int n = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    n = Integer.parseInt(line.substring(15).strip());
                }
            }
            return new String(in.readNBytes(n), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private String putHead(String accessKey, String path, byte[] body, String extra) {
        return "PUT " + path + " HTTP/1.1\r\n"
                + s3.signedHeaderBlock(accessKey, "PUT", path, "", s3.host, Map.of(), body)
                + "Content-Length: " + body.length + "\r\n" + extra + "\r\n";
    }

    @Test
    void continueIsNotSentToARequestWithABadSignature() throws Exception {
        byte[] body = "uninvited".getBytes(StandardCharsets.UTF_8);
        String head = putHead(ALICE, "/wire/bad-sig", body, "Expect: 100-continue\r\n")
                .replaceAll("Signature=[0-9a-f]{64}", "Signature=" + "0".repeat(64));
        try (Conn c = new Conn()) {
            c.send(head);
            String answer = c.head();
            assertTrue(answer.startsWith("HTTP/1.1 403 "), answer);
            assertTrue(c.body(answer).contains("<Code>SignatureDoesNotMatch</Code>"));
        }
        assertEquals(404, s3.as(ALICE).head("/wire/bad-sig").status());
    }

    @Test
    void continueIsNotSentToAForbiddenOrMissingBucketUpload() throws Exception {
        byte[] body = "uninvited".getBytes(StandardCharsets.UTF_8);
        try (Conn c = new Conn()) {
            c.send(putHead(BOB, "/wire/bobs", body, "Expect: 100-continue\r\n"));
            String answer = c.head();
            assertTrue(answer.startsWith("HTTP/1.1 403 "), answer);
            assertTrue(c.body(answer).contains("<Code>AccessDenied</Code>"));
        }
        try (Conn c = new Conn()) {
            c.send(putHead(ALICE, "/no-such-wire/k", body, "Expect: 100-continue\r\n"));
            String answer = c.head();
            assertTrue(answer.startsWith("HTTP/1.1 404 "), answer);
            assertTrue(c.body(answer).contains("<Code>NoSuchBucket</Code>"));
        }
        try (Conn c = new Conn()) {
            c.send(putHead(ALICE, "/wire/glacier", body, "Expect: 100-continue\r\nx-amz-storage-class: GLACIER\r\n"));
            String answer = c.head();
            assertTrue(answer.startsWith("HTTP/1.1 403 "), answer);
            assertTrue(c.body(answer).contains("<HeadersNotSigned>x-amz-storage-class</HeadersNotSigned>"));
        }
        assertEquals(404, s3.as(ALICE).head("/wire/bobs").status());
    }

    @Test
    void continueIsSentToAnAuthorizedUpload() throws Exception {
        byte[] body = "invited".getBytes(StandardCharsets.UTF_8);
        try (Conn c = new Conn()) {
            c.send(putHead(ALICE, "/wire/invited", body, "Expect: 100-continue\r\n"));
            String interim = c.head();
            assertTrue(interim.startsWith("HTTP/1.1 100 "), interim);
            c.send(body);
            String answer = c.head();
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        }
        assertEquals("invited", s3.as(ALICE).get("/wire/invited").text());
    }

    @Test
    void anotherExpectationIsExpectationFailed() throws Exception {
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        try (Conn c = new Conn()) {
            c.send(putHead(ALICE, "/wire/expect", body, "Expect: 200-ok\r\n"));
            String answer = c.head();
            assertTrue(answer.startsWith("HTTP/1.1 417 "), answer);
            assertTrue(answer.toLowerCase().contains("x-amz-request-id:"), answer);
            String text = c.body(answer);
            assertTrue(text.contains("<Code>ExpectationFailed</Code>"), answer + text);
        }
        assertEquals(404, s3.as(ALICE).head("/wire/expect").status());
    }

    @Test
    void aBodyAnnouncedButNeverSentIsAnsweredAtOnce() throws Exception {
        for (String method : new String[] {"GET", "HEAD", "DELETE"}) {
            String path = method.equals("DELETE") ? "/wire/absent" : "/wire/keep";
            String block = s3.signedHeaderBlock(ALICE, method, path, "", s3.host, Map.of(), new byte[0]);
            try (Conn c = new Conn()) {
                c.send(method + " " + path + " HTTP/1.1\r\n" + block + "Content-Length: 100\r\n\r\n");
                String answer = c.head();
                assertTrue(answer.startsWith(method.equals("DELETE") ? "HTTP/1.1 204 " : "HTTP/1.1 200 "),
                        method + ": " + answer);
            }
        }
        assertEquals("keep", s3.as(ALICE).get("/wire/keep").text());
    }

    private void assertJettyError(String request, int status, String code) throws Exception {
        String answer = s3.socket(request);
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
        assertTrue(answer.toLowerCase().contains("x-amz-request-id:"), answer);
        assertTrue(answer.contains("<Error><Code>" + code + "</Code><Message>"), answer);
        assertTrue(answer.contains("<RequestId>"), answer);
    }

    @Test
    void aBadHeaderLineIsInvalidRequest() throws Exception {
        assertJettyError("GET /wire/keep HTTP/1.1\r\nHost: " + s3.host + "\r\nthis is not a header\r\n\r\n",
                400, "InvalidRequest");
    }

    @Test
    void aMissingHostIsInvalidRequest() throws Exception {
        assertJettyError("GET /wire/keep HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "InvalidRequest");
    }

    @Test
    void aBadContentLengthIsInvalidArgument() throws Exception {
        assertJettyError("PUT /wire/k HTTP/1.1\r\nHost: " + s3.host + "\r\nContent-Length: ten\r\n\r\n",
                400, "InvalidArgument");
    }

    @Test
    void anUnsupportedHttpVersionIsHttpVersionNotSupported() throws Exception {
        assertJettyError("GET /wire/keep HTTP/1.7\r\nHost: " + s3.host + "\r\n\r\n", 505, "HttpVersionNotSupported");
    }

    @Test
    void aTooLongUriIsRequestHeaderSectionTooLarge() throws Exception {
        assertJettyError("GET /wire/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: " + s3.host + "\r\n\r\n",
                400, "RequestHeaderSectionTooLarge");
    }

    @Test
    void tooLargeHeadersAreRequestHeaderSectionTooLarge() throws Exception {
        assertJettyError("GET /wire/keep HTTP/1.1\r\nHost: " + s3.host + "\r\nx-big: " + "b".repeat(20_000)
                + "\r\n\r\n", 400, "RequestHeaderSectionTooLarge");
    }

    @Test
    void anXmlBodyWithAnotherRootElementIsMalformedXml() {
        byte[] evil = "<Evil><Object><Key>keep</Key></Object></Evil>".getBytes(StandardCharsets.UTF_8);
        assertEquals("MalformedXML", s3.as(ALICE).post("/wire?delete", evil).code());
        assertEquals("MalformedXML", s3.as(ALICE).put("/wire/keep?tagging",
                "<Evil><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Evil>").code());
        assertEquals("MalformedXML", s3.as(ALICE).put("/wire-evil",
                "<Evil><LocationConstraint>us-east-1</LocationConstraint></Evil>").code());
        assertEquals(404, s3.as(ALICE).head("/wire-evil").status());
        String create = s3.as(ALICE).post("/wire/mp?uploads", new byte[0]).text();
        String uploadId = create.substring(create.indexOf("<UploadId>") + 10, create.indexOf("</UploadId>"));
        S3Harness.Reply part = s3.as(ALICE).put("/wire/mp?partNumber=1&uploadId=" + uploadId, "p");
        S3Harness.Reply complete = s3.as(ALICE).post("/wire/mp?uploadId=" + uploadId, ("<Evil><Part><PartNumber>1"
                + "</PartNumber><ETag>" + part.header("etag") + "</ETag></Part></Evil>").getBytes(StandardCharsets.UTF_8));
        assertEquals(400, complete.status());
        assertEquals("MalformedXML", complete.code());
        assertEquals(404, s3.as(ALICE).head("/wire/mp").status());
        assertEquals("keep", s3.as(ALICE).get("/wire/keep").text());
        assertTrue(!s3.as(ALICE).get("/wire/keep?tagging").text().contains("<Tag>"));
    }
}

package org.mictlanx.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.server.HttpFront;

/**
 * One error path: an error Jetty answers itself (before the servlet runs) and the same error answered
 * by the front door's handlers have the same status, Content-Type and body (Code and Message; only the
 * request id, and the Resource Jetty cannot know, differ). Both on real sockets: the handler-level
 * answers come from the real front door, the Jetty-level ones from Jetty's error handler of the same
 * {@link HttpFront}, reached by a handler that fails with the status Jetty would raise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyErrorParityTest {

    /** Answers {@code /status/N} through Jetty's error handler with status N, as Jetty's own failures are. */
    private static final Handler JETTY_FAILS = new Handler.Abstract() {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = request.getHttpURI().getPath();
            int status = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            Response.writeError(request, response, callback, status);
            return true;
        }
    };

    private S3Harness s3;
    private HttpFront jetty;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        jetty = new HttpFront("127.0.0.1", 0, null, JETTY_FAILS);
        assertEquals(200, s3.as(ALICE).put("/parity", new byte[0]).status());
    }

    @AfterAll
    void stop() throws Exception {
        try {
            jetty.close();
        } finally {
            s3.close();
        }
    }

    /** A raw answer: status, lower-cased header names, body. */
    private record Answer(int status, Map<String, String> headers, String body) {
        static Answer parse(String raw) {
            int split = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, split).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(split + 4));
        }

        /** The body without the per-request RequestId and the Resource only the handlers know. */
        String comparable() {
            return body.replaceAll("<RequestId>[^<]*</RequestId>", "").replaceAll("<Resource>[^<]*</Resource>", "");
        }
    }

    private static String exchange(String hostPort, String request) throws IOException {
        String[] hp = hostPort.split(":");
        try (Socket socket = new Socket(hp[0], Integer.parseInt(hp[1]))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Answer jettyLevel(int status) throws IOException {
        String host = jetty.endpoint().getAuthority();
        return Answer.parse(exchange(host, "GET /status/" + status + " HTTP/1.1\r\nHost: " + host
                + "\r\nConnection: close\r\n\r\n"));
    }

    /** A signed PUT head announcing {@code length} body bytes that are never sent. */
    private Answer handlerLevelPut(String path, long length, String extra) throws IOException {
        String block = s3.signedHeaderBlock(ALICE, "PUT", path, "", s3.host, Map.of(), new byte[0]);
        return Answer.parse(exchange(s3.host, "PUT " + path + " HTTP/1.1\r\n" + block + "Content-Length: " + length
                + "\r\n" + extra + "Connection: close\r\n\r\n"));
    }

    private static void assertSameError(Answer handler, Answer jetty, String code) {
        assertTrue(handler.body().contains("<Code>" + code + "</Code>"), handler.body());
        // answered by the front door itself (only it knows the Resource), not by Jetty
        assertTrue(handler.body().contains("<Resource>"), handler.body());
        assertEquals(handler.status(), jetty.status(), jetty.body());
        assertEquals(handler.headers().get("content-type"), jetty.headers().get("content-type"));
        assertEquals(handler.comparable(), jetty.comparable());
        for (Answer a : new Answer[] {handler, jetty}) {
            assertTrue(a.headers().containsKey("x-amz-request-id"), a.headers().toString());
            assertTrue(a.headers().containsKey("x-amz-id-2"), a.headers().toString());
            assertEquals(Integer.toString(a.body().getBytes(StandardCharsets.UTF_8).length), a.headers().get("content-length"));
        }
    }

    @Test
    void entityTooLargeIsTheSameAnswerFromJettyAndFromTheHandler() throws Exception {
        // past the 5 GiB object limit: refused before the body is invited
        Answer handler = handlerLevelPut("/parity/big", 6L * 1024 * 1024 * 1024, "Expect: 100-continue\r\n");
        assertSameError(handler, jettyLevel(413), "EntityTooLarge");
    }

    @Test
    void expectationFailedIsTheSameAnswerFromJettyAndFromTheHandler() throws Exception {
        Answer handler = handlerLevelPut("/parity/expect", 1, "Expect: 200-ok\r\n");
        assertSameError(handler, jettyLevel(417), "ExpectationFailed");
    }
}

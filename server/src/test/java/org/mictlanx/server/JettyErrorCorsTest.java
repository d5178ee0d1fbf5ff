package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.mictlanx.s3.cors.CorsResponder;

/**
 * Errors Jetty answers itself (before any S3 code runs) carry the store-wide default CORS headers for
 * an allowed {@code Origin}, so a browser can read the S3 error; none for another origin or without
 * the setting, nor for a failure in the request head (Jetty has not kept its header fields). On a real socket.
 */
class JettyErrorCorsTest {

    /** A handler failing with an exception: Jetty answers through its error handler with the request's headers. */
    private static final Handler FAILING = new Handler.Abstract() {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            throw new IllegalStateException("injected failure");
        }
    };

    private static String exchange(HttpFront front, String request) throws IOException {
        String[] hp = front.endpoint().getAuthority().split(":");
        try (Socket socket = new Socket(hp[0], Integer.parseInt(hp[1]))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final String GET = "GET /b/k HTTP/1.1\r\nHost: localhost\r\nOrigin: %s\r\nConnection: close\r\n\r\n";
    /** A failure while parsing the head: Jetty has no header fields then, so no Origin to answer. */
    private static final String NO_HOST = "GET /b/k HTTP/1.1\r\nOrigin: %s\r\nConnection: close\r\n\r\n";

    @Test
    void anAllowedOriginGetsTheDefaultCorsHeadersOnJettyErrors() throws Exception {
        try (HttpFront front = new HttpFront("127.0.0.1", 0, null, FAILING, HttpFront.Timeouts.DEFAULTS, HttpFront.DEFAULT_DRAIN,
                CorsResponder.defaultFor("https://app.example.com"))) {
            String allowed = exchange(front, GET.formatted("https://app.example.com")).toLowerCase();
            assertTrue(allowed.startsWith("http/1.1 500"), allowed);
            assertTrue(allowed.contains("<code>internalerror</code>"), allowed);
            assertTrue(allowed.contains("access-control-allow-origin: https://app.example.com"), allowed);
            assertTrue(allowed.contains("access-control-allow-credentials: true"), allowed);
            assertTrue(allowed.contains("vary: origin"), allowed);
            String other = exchange(front, GET.formatted("https://evil.example.com")).toLowerCase();
            assertTrue(other.startsWith("http/1.1 500"), other);
            assertFalse(other.contains("access-control-allow-origin"), other);
            String early = exchange(front, NO_HOST.formatted("https://app.example.com")).toLowerCase();
            assertTrue(early.startsWith("http/1.1 400"), early);
            assertFalse(early.contains("access-control-allow-origin"), early);
        }
    }

    @Test
    void withoutTheSettingThereAreNone() throws Exception {
        try (HttpFront front = new HttpFront("127.0.0.1", 0, null, FAILING)) {
            String answer = exchange(front, GET.formatted("https://app.example.com")).toLowerCase();
            assertTrue(answer.startsWith("http/1.1 500"), answer);
            assertFalse(answer.contains("access-control-allow-origin"), answer);
        }
    }
}

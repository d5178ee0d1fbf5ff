package org.mictlanx.console;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.mictlanx.s3.S3Servlet;

/**
 * The console's S3 calls: {@code /console/api/s3/BUCKET/KEY?QUERY} is served by the S3 front door's
 * own pipeline ({@link S3Servlet#serveAs}) as the session's access key, path-style, with the
 * request's method, query, headers (minus the console cookie and CSRF token) and body. So the page
 * speaks plain S3 (XML answers, S3 errors) and every call is authorized by the permission table and
 * the policy engine as a signed request of that key would be; nothing is allowed that the key could
 * not do itself.
 *
 * <p>Every answer carries {@code Content-Security-Policy: sandbox} and {@code nosniff}, so an object
 * opened from the console (an uploaded HTML page, an SVG) can never run script with the console's
 * origin and session.
 */
final class ConsoleS3Gateway {

    /** The gateway's path prefix; what follows is the S3 path. */
    static final String PREFIX = "/console/api/s3";

    private static final Set<String> HIDDEN = Set.of("cookie", ConsoleServlet.CSRF_HEADER.toLowerCase(Locale.ROOT));

    private final S3Servlet s3;

    ConsoleS3Gateway(S3Servlet s3) {
        this.s3 = s3;
    }

    void serve(HttpServletRequest request, HttpServletResponse response, String accessKeyId) throws IOException {
        String uri = request.getRequestURI();
        String s3Path = uri.length() <= PREFIX.length() ? "/" : uri.substring(PREFIX.length());
        s3.serveAs(new Rewritten(request, s3Path), new Guarded(response), accessKeyId);
    }

    private static void guard(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", "sandbox; default-src 'none'");
        response.setHeader("X-Content-Type-Options", "nosniff");
    }

    /** The request as S3 sees it: the S3 path, without the console's own headers. */
    private static final class Rewritten extends HttpServletRequestWrapper {
        private final String path;

        Rewritten(HttpServletRequest request, String path) {
            super(request);
            this.path = path;
        }

        @Override
        public String getRequestURI() {
            return path;
        }

        @Override
        public StringBuffer getRequestURL() {
            return new StringBuffer(path);
        }

        @Override
        public String getPathInfo() {
            return path;
        }

        @Override
        public String getHeader(String name) {
            return HIDDEN.contains(name.toLowerCase(Locale.ROOT)) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HIDDEN.contains(name.toLowerCase(Locale.ROOT)) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(n -> !HIDDEN.contains(n.toLowerCase(Locale.ROOT))).toList());
        }
    }

    /** Keeps the sandbox headers on every answer, also after the pipeline resets an error response. */
    private static final class Guarded extends HttpServletResponseWrapper {
        Guarded(HttpServletResponse response) {
            super(response);
            guard(response);
        }

        @Override
        public void reset() {
            super.reset();
            guard((HttpServletResponse) getResponse());
        }
    }
}

package org.mictlanx.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.mictlanx.router.BufferedBody;

import org.mictlanx.s3.xml.S3Xml;

/**
 * Writes a successful {@link S3Response} to the servlet response: status, headers, then the body
 * (empty, a Jackson-rendered XML document, or a stream copied through exactly to its announced
 * length). HEAD answers carry the headers of the GET without its body. Errors are not written here
 * but by {@link ErrorRenderer}. Stateless and thread-safe.
 */
final class S3ResponseWriter {

    private final S3Xml xml;

    S3ResponseWriter(S3Xml xml) {
        this.xml = xml;
    }

    /** Stamps the request id headers every answer, success or error, carries. */
    static void stamp(HttpServletResponse response, String requestId, String hostId) {
        response.setHeader("x-amz-request-id", requestId);
        response.setHeader("x-amz-id-2", hostId);
    }

    /**
     * Writes {@code result}; a stream body that gives fewer or more bytes than announced fails with
     * an IOException (the response is then committed, so the caller aborts the connection).
     */
    void write(S3Response result, boolean head, HttpServletResponse response) throws IOException {
        response.setStatus(result.status());
        boolean hasLength = false;
        for (Map.Entry<String, String> h : result.headers()) {
            if (h.getKey().equalsIgnoreCase("Content-Length")) {
                response.setContentLengthLong(Long.parseLong(h.getValue()));
                hasLength = true;
            } else {
                response.addHeader(h.getKey(), h.getValue());
            }
        }
        switch (result.body()) {
            case S3Response.Empty e -> {
                if (!hasLength) {
                    response.setContentLength(0);
                }
            }
            case S3Response.Xml x -> {
                byte[] bytes = xml.write(x.value());
                response.setContentType("application/xml");
                response.setContentLength(bytes.length);
                if (!head) {
                    response.getOutputStream().write(bytes);
                }
            }
            case S3Response.Stream s -> {
                try (InputStream in = s.in()) {
                    if (!head) {
                        long n = copy(in, response.getOutputStream());
                        if (n != s.length()) {
                            throw new IOException("ball stream gave " + n + " of " + s.length() + " bytes");
                        }
                    }
                }
            }
        }
    }

    /**
     * Copies the body: a {@link BufferedBody} (a ball being read) to Jetty's output straight from the
     * buffer each chunk was authenticated in ({@link #write}); anything else as a stream.
     */
    private static long copy(InputStream in, OutputStream out) throws IOException {
        if (in instanceof BufferedBody body && out instanceof HttpOutput jetty) return body.transferTo(b -> write(jetty, b));
        return in.transferTo(out);
    }

    /** The most bytes of a heap buffer handed to Jetty in one write (see {@link #write}). */
    static final int HEAP_WRITE_SLICE = 256 << 10;

    /**
     * Writes a chunk's buffer: a direct one whole, a heap one in slices of {@link #HEAP_WRITE_SLICE}. NIO
     * copies the whole remainder of a heap buffer into a temporary direct buffer on every write attempt
     * and keeps only what the socket took, so one 8 MiB write to a socket taking a few hundred KiB per
     * attempt copied megabytes again and again (a quarter of a GET 64 MiB's Java samples at 8 clients).
     */
    static void write(HttpOutput out, java.nio.ByteBuffer b) throws IOException {
        if (b.isDirect()) {
            out.write(b);
            return;
        }
        while (b.hasRemaining()) {
            int n = Math.min(HEAP_WRITE_SLICE, b.remaining());
            out.write(b.slice(b.position(), n));
            b.position(b.position() + n);
        }
    }
}

package org.mictlanx.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door's {@code Expect}/body handling for one request. It watches the request body:
 * whether the handler has started reading it (which is when Jetty sends {@code 100 Continue}), and so
 * whether reading the rest after the answer is allowed ({@link #mayDrain()}), and drains what is
 * left of a small body after an answer so the connection can be kept ({@link #drainSmallBody}).
 * One per request; not thread-safe.
 */
final class BodyProbe {

    private static final Logger LOG = LoggerFactory.getLogger(BodyProbe.class);
    /**
     * Bodies up to this size are read to the end after an error answer, so the client, which is
     * typically still sending, gets the answer on an open connection. Closing instead resets the
     * connection under a client that has not finished sending, which then often loses the answer
     * ("header parser received no bytes"; seen with a 3 MiB DeleteObjects body under a 1 MiB limit).
     */
    static final long DRAIN_LIMIT = 8L * 1024 * 1024;

    private final HttpServletRequest request;
    private final boolean announced;
    private final boolean bodyless;
    private final boolean expectsContinue;
    private final boolean unknownExpectation;
    private boolean touched;

    BodyProbe(HttpServletRequest request) {
        this.request = request;
        this.announced = request.getContentLengthLong() > 0 || request.getHeader("transfer-encoding") != null;
        String m = request.getMethod().toUpperCase(Locale.ROOT);
        this.bodyless = m.equals("GET") || m.equals("HEAD") || m.equals("DELETE");
        String expect = request.getHeader("expect");
        this.expectsContinue = expect != null && expect.strip().equalsIgnoreCase("100-continue");
        this.unknownExpectation = expect != null && !expectsContinue;
    }

    /** Refuses an {@code Expect} other than {@code 100-continue} with ExpectationFailed (417). */
    void checkExpectation() {
        if (unknownExpectation) {
            throw new S3Exception(S3ErrorCode.EXPECTATION_FAILED);
        }
    }

    /**
     * The body for the handler; the first read marks it touched and only then asks Jetty for the
     * servlet input stream (asking for it already sends {@code 100 Continue}, which would invite the
     * body of a request the handler then refuses, e.g. a write past its bucket's quota).
     */
    InputStream open() {
        return new InputStream() {
            private InputStream in;

            private InputStream in() throws IOException {
                touched = true;
                if (in == null) in = request.getInputStream();
                return in;
            }

            @Override
            public int read() throws IOException {
                return in().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in().read(b, off, len);
            }

            @Override
            public long skip(long n) throws IOException {
                return in().skip(n);
            }

            @Override
            public int available() throws IOException {
                return in == null ? 0 : in.available();
            }

            @Override
            public void close() throws IOException {
                if (in != null) in.close();
            }
        };
    }

    /**
     * Whether the rest of the body may be read after the answer so the connection can be kept:
     * not when the client waits for {@code 100 Continue} that was never sent (reading would
     * invite the body of a refused request), not after an unknown expectation (the client may
     * wait), and not for a GET/HEAD/DELETE announcing a body it may never send (reading would
     * hang the answer).
     */
    boolean mayDrain() {
        if (!announced) {
            return true;
        }
        return !bodyless && !unknownExpectation && !(expectsContinue && !touched);
    }

    /**
     * Reads and discards what is left of a request body of at most {@link #DRAIN_LIMIT} bytes, so the
     * connection can serve the next request. Returns whether the body is now fully consumed.
     */
    boolean drainSmallBody() {
        try {
            ServletInputStream in = request.getInputStream();
            if (in.isFinished()) {
                return true;
            }
            long length = request.getContentLengthLong();
            if (length > DRAIN_LIMIT) {
                return false;
            }
            byte[] sink = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(sink)) >= 0) {
                total += n;
                if (total > DRAIN_LIMIT) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not drain request body: {}", e.toString());
            return false;
        }
    }
}

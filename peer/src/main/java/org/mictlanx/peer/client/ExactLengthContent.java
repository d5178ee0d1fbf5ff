package org.mictlanx.peer.client;

import org.eclipse.jetty.client.InputStreamRequestContent;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streams exactly {@code length} bytes of the caller's stream as a request body with a known
 * Content-Length. A stream that ends early fails the request (and {@link #shortBody()} says so);
 * bytes beyond {@code length} are not sent.
 */
final class ExactLengthContent extends InputStreamRequestContent {
    private final long length;
    private final Bounded bounded;

    ExactLengthContent(InputStream in, long length) {
        this(new Bounded(in, length), length);
    }

    private ExactLengthContent(Bounded bounded, long length) {
        super("application/octet-stream", bounded, (int) Math.max(1, Math.min(64 * 1024, length)));
        this.bounded = bounded;
        this.length = length;
    }

    @Override
    public long getLength() {
        return length;
    }

    boolean shortBody() {
        return bounded.shortBody;
    }

    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long remaining;
        private volatile boolean shortBody;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                shortBody = true;
                throw new IOException("body ended " + remaining + " bytes before its length");
            }
            remaining -= n;
            return n;
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }
}

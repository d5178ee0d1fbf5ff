package org.mictlanx.s3.handler;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;

/**
 * The body of a PutObject or UploadPart with its length: the declared one (Content-Length, or
 * x-amz-decoded-content-length for aws-chunked), or unknown (-1) for {@code Transfer-Encoding:
 * chunked} without either (curl {@code -T -}, streaming producers). A declared length above the
 * limit is EntityTooLarge before any byte is read; an undeclared body is cut off with
 * EntityTooLarge as soon as it passes the limit, so nothing larger is ever stored. Neither header:
 * MissingContentLength (411).
 */
record StreamedBody(long length, InputStream in) {

    static StreamedBody of(S3Request req, long max) {
        long length = req.contentLength();
        if (length >= 0) {
            if (length > max) {
                throw new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE);
            }
            return new StreamedBody(length, req.body());
        }
        String te = req.header("transfer-encoding");
        if (te == null || !te.toLowerCase(Locale.ROOT).contains("chunked")) {
            throw new S3Exception(S3ErrorCode.MISSING_CONTENT_LENGTH);
        }
        return new StreamedBody(-1, new Capped(req.body(), max));
    }

    /** Passes at most {@code max} bytes; one more is EntityTooLarge. */
    private static final class Capped extends FilterInputStream {
        private final long max;
        private long seen;

        Capped(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            seen += n;
            if (seen > max) {
                throw new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE);
            }
        }
    }
}

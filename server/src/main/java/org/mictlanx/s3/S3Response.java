package org.mictlanx.s3;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mictlanx.router.BallInfo;

/**
 * What a handler answers; rendered by {@link S3Servlet}. Bodies are either nothing, an XML record
 * (serialized once, small) or a stream copied to the client with an exact length.
 *
 * @param committed for a write (PutObject, CopyObject, CompleteMultipartUpload, POST): exactly the
 *                  ball/version this request committed, so what is recorded about it afterwards (its
 *                  owner, its ACL) names that version and not whatever is the key's latest by then;
 *                  null otherwise. Never rendered.
 */
public record S3Response(int status, List<Map.Entry<String, String>> headers, Body body, BallInfo committed) {

    public S3Response {
        headers = List.copyOf(headers);
    }

    public S3Response(int status, List<Map.Entry<String, String>> headers, Body body) {
        this(status, headers, body, null);
    }

    /** The body of a response. */
    public sealed interface Body {
    }

    public record Empty() implements Body {
    }

    public record Xml(Object value) implements Body {
    }

    /** A stream of exactly {@code length} bytes; the renderer closes it. */
    public record Stream(InputStream in, long length) implements Body {
    }

    public static Builder status(int status) {
        return new Builder(status);
    }

    /** Collects headers in order; null values are skipped. */
    public static final class Builder {
        private final int status;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private BallInfo committed;

        private Builder(int status) {
            this.status = status;
        }

        public Builder header(String name, String value) {
            if (value != null) {
                headers.add(Map.entry(name, value));
            }
            return this;
        }

        /** Names the ball/version this write committed (see {@link S3Response#committed}). */
        public Builder committed(BallInfo ball) {
            this.committed = ball;
            return this;
        }

        public S3Response empty() {
            return new S3Response(status, headers, new Empty(), committed);
        }

        public S3Response xml(Object value) {
            return new S3Response(status, headers, new Xml(value), committed);
        }

        public S3Response stream(InputStream in, long length) {
            return new S3Response(status, headers, new Stream(in, length), committed);
        }
    }
}

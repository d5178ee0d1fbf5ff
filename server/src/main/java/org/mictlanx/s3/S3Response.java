package org.mictlanx.s3;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a handler answers; rendered by {@link S3Servlet}. Bodies are either nothing, an XML record
 * (serialized once, small) or a stream copied to the client with an exact length.
 *
 * @param committedVersion for a write (PutObject, CopyObject, CompleteMultipartUpload): the metadata
 *                         version of exactly the ball/version this request committed, so what is
 *                         recorded about it afterwards (its owner, its ACL) names that version and not
 *                         whatever is the key's latest by then; -1 otherwise. Never rendered.
 */
public record S3Response(int status, List<Map.Entry<String, String>> headers, Body body, long committedVersion) {

    public S3Response {
        headers = List.copyOf(headers);
    }

    public S3Response(int status, List<Map.Entry<String, String>> headers, Body body) {
        this(status, headers, body, -1);
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
        private long committed = -1;

        private Builder(int status) {
            this.status = status;
        }

        public Builder header(String name, String value) {
            if (value != null) {
                headers.add(Map.entry(name, value));
            }
            return this;
        }

        /** Names the metadata version this write committed (see {@link S3Response#committedVersion}). */
        public Builder committed(long version) {
            this.committed = version;
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

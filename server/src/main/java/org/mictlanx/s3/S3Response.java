package org.mictlanx.s3;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a handler answers; rendered by {@link S3Servlet}. Bodies are either nothing, an XML record
 * (serialized once, small) or a stream copied to the client with an exact length.
 */
public record S3Response(int status, List<Map.Entry<String, String>> headers, Body body) {

    public S3Response {
        headers = List.copyOf(headers);
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

        private Builder(int status) {
            this.status = status;
        }

        public Builder header(String name, String value) {
            if (value != null) {
                headers.add(Map.entry(name, value));
            }
            return this;
        }

        public S3Response empty() {
            return new S3Response(status, headers, new Empty());
        }

        public S3Response xml(Object value) {
            return new S3Response(status, headers, new Xml(value));
        }

        public S3Response stream(InputStream in, long length) {
            return new S3Response(status, headers, new Stream(in, length));
        }
    }
}

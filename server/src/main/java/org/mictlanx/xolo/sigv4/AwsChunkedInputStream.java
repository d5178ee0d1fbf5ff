package org.mictlanx.xolo.sigv4;

import java.io.InputStream;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} body into the plain payload, verifying each chunk signature (signed
 * modes) and the trailer signature (signed-trailer mode) as it goes. Never buffers more than one
 * chunk. A framing or signature failure throws {@link SigV4Exception} from {@code read}; the caller
 * must then discard everything it wrote. After end of stream, {@link #trailers()} holds the trailing
 * headers (e.g. {@code x-amz-checksum-crc32}), names in lower case.
 */
public final class AwsChunkedInputStream extends InputStream {

    /**
     * @param raw                   the request body as received
     * @param auth                  the verified request (its mode and streaming context)
     * @param decodedContentLength  {@code x-amz-decoded-content-length}, or -1 when absent
     */
    public AwsChunkedInputStream(InputStream raw, AuthResult auth, long decodedContentLength) {
        throw new UnsupportedOperationException("aws-chunked decoding is being implemented");
    }

    @Override
    public int read() {
        throw new UnsupportedOperationException();
    }

    /** Trailing headers, available once the stream has returned -1. */
    public Map<String, String> trailers() {
        throw new UnsupportedOperationException();
    }
}

package org.mictlanx.xolo.sigv4;

import java.io.InputStream;

import org.mictlanx.router.io.BufferBudget;

/** Opens a verified request's body in the form its payload mode requires. */
public final class SigV4Bodies {

    private SigV4Bodies() {
    }

    /**
     * SIGNED: a {@link SignedPayloadInputStream} (mismatch thrown at end of stream); UNSIGNED: the raw
     * body; chunked modes: an {@link AwsChunkedInputStream} (cast it to read its trailers).
     *
     * @param decodedContentLength {@code x-amz-decoded-content-length}, or -1 when absent
     */
    public static InputStream open(InputStream raw, AuthResult auth, long decodedContentLength) {
        return open(raw, auth, decodedContentLength, BufferBudget.unlimited().open());
    }

    /** As above; an aws-chunked decoder reserves its buffers from {@code buffers} (the request's lease). */
    public static InputStream open(InputStream raw, AuthResult auth, long decodedContentLength, BufferBudget.Lease buffers) {
        return switch (auth.payloadMode()) {
            case SIGNED -> new SignedPayloadInputStream(raw, auth.payloadSha256());
            case UNSIGNED -> raw;
            case STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER ->
                    new AwsChunkedInputStream(raw, auth, decodedContentLength, buffers);
        };
    }
}

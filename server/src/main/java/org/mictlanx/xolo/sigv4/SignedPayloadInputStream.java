package org.mictlanx.xolo.sigv4;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes a plain body through while hashing it; at end of stream, before returning -1, throws
 * {@code CONTENT_SHA256_MISMATCH} unless the body hashed to the signed {@code x-amz-content-sha256}.
 * A consumer that commits only after reading to the end therefore never commits a tampered body.
 */
public final class SignedPayloadInputStream extends FilterInputStream {

    private final MessageDigest sha = SigV4Crypto.sha256();
    private final String expectedHex;
    private boolean checked;

    /** @param expectedSha256Hex the signed hex SHA-256, e.g. {@link AuthResult#payloadSha256()} */
    public SignedPayloadInputStream(InputStream body, String expectedSha256Hex) {
        super(body);
        this.expectedHex = expectedSha256Hex.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            sha.update(b, off, n);
        } else if (n < 0 && !checked) {
            checked = true;
            String actual = SigV4Crypto.hex(sha.digest());
            if (!SigV4Crypto.constantTimeEquals(expectedHex, actual)) {
                throw new SigV4Exception(SigV4Exception.Reason.CONTENT_SHA256_MISMATCH,
                        "The provided 'x-amz-content-sha256' header does not match what was computed");
            }
        }
        return n;
    }

    /** Skips by reading, so the skipped bytes are hashed too. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        int read = scratch.length == 0 ? 0 : read(scratch, 0, scratch.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}

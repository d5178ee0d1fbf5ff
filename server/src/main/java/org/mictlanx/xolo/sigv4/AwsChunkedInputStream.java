package org.mictlanx.xolo.sigv4;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.mictlanx.router.io.BufferBudget;

/**
 * Decodes an {@code aws-chunked} body into the plain payload, verifying each chunk signature (signed
 * modes) and the trailer signature (signed-trailer mode) as it goes. Never buffers more than one
 * chunk. A framing or signature failure throws {@link SigV4Exception} from {@code read}; the caller
 * must then discard everything it wrote. After end of stream, {@link #trailers()} holds the trailing
 * headers (e.g. {@code x-amz-checksum-crc32}), names in lower case.
 *
 * <p>Framing: {@code hex-size;chunk-signature=sig CRLF data CRLF} per chunk (signed modes) or
 * {@code hex-size CRLF data CRLF} (unsigned-trailer mode), ending with a zero-size chunk, then the
 * trailer lines {@code name:value} (with {@code x-amz-trailer-signature:sig} last in signed-trailer
 * mode) and an empty line. A chunk's bytes are returned only after its signature verified; a chunk
 * over {@link #MAX_CHUNK_SIZE}, bad hex, a truncated body, bytes after the end, or a decoded length
 * other than {@code x-amz-decoded-content-length} are {@code MALFORMED_CHUNKED_BODY}. Once failed,
 * every later read throws the same exception. Trailers are not checked against {@code x-amz-trailer}
 * here; the caller compares names and checksum values.
 */
public final class AwsChunkedInputStream extends InputStream {

    /** The largest chunk accepted (AWS SDKs send 64 KiB to 1 MiB). */
    public static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;
    private static final int MAX_LINE = 4096;
    private static final int MAX_TRAILER_BYTES = 16 * 1024;
    private static final String SIGNATURE_EXT = ";chunk-signature=";
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";
    private static final int READ_AHEAD = 64 * 1024;
    private static final int FIRST_CHUNK_BUFFER = 64 * 1024;

    private final InputStream in;
    private final PayloadMode mode;
    private final AuthResult.StreamingContext ctx;
    private final long decodedLength;
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private final BufferBudget.Lease buffers;
    private String previousSignature;
    private byte[] chunk = new byte[0];
    private int pos;
    private int limit;
    private long total;
    private boolean finished;
    private SigV4Exception failure;

    /**
     * @param raw                   the request body as received
     * @param auth                  the verified request (its mode and streaming context)
     * @param decodedContentLength  {@code x-amz-decoded-content-length}, or -1 when absent
     */
    public AwsChunkedInputStream(InputStream raw, AuthResult auth, long decodedContentLength) {
        this(raw, auth, decodedContentLength, BufferBudget.unlimited().open());
    }

    /**
     * As above, reserving the read-ahead buffer and the chunk buffer from {@code buffers} before
     * allocating them; the chunk buffer grows only as chunk bytes arrive, never to a size a chunk header
     * merely declares. The caller closes the lease.
     *
     * @throws BufferBudget.Exhausted when the budget has no room (also later, from {@code read})
     */
    public AwsChunkedInputStream(InputStream raw, AuthResult auth, long decodedContentLength, BufferBudget.Lease buffers) {
        if (!auth.payloadMode().chunked()) {
            throw new IllegalArgumentException("not an aws-chunked payload mode: " + auth.payloadMode());
        }
        if (signed(auth.payloadMode()) && auth.streaming() == null) {
            throw new IllegalArgumentException("a signed chunked payload needs the streaming context");
        }
        this.buffers = buffers;
        buffers.reserve(READ_AHEAD);
        this.in = new BufferedInputStream(raw, READ_AHEAD);
        this.mode = auth.payloadMode();
        this.ctx = auth.streaming();
        this.decodedLength = decodedContentLength;
        this.previousSignature = ctx == null ? null : ctx.seedSignature();
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        try {
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        try {
            while (pos == limit) {
                if (finished) {
                    return -1;
                }
                nextChunk();
            }
        } catch (SigV4Exception e) {
            failure = e;
            throw e;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return limit - pos;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Trailing headers, available once the stream has returned -1. */
    public Map<String, String> trailers() {
        return Collections.unmodifiableMap(trailers);
    }

    private static boolean signed(PayloadMode mode) {
        return mode == PayloadMode.STREAMING_SIGNED || mode == PayloadMode.STREAMING_SIGNED_TRAILER;
    }

    private void nextChunk() throws IOException {
        String header = readLine(true);
        if (header == null) {
            throw malformed("the body ended before the final zero-size chunk");
        }
        String sizeHex = header;
        String signature = null;
        if (signed(mode)) {
            int ext = header.indexOf(SIGNATURE_EXT);
            if (ext < 0) {
                throw malformed("a chunk header lacks its chunk-signature");
            }
            sizeHex = header.substring(0, ext);
            signature = header.substring(ext + SIGNATURE_EXT.length());
            if (!SigV4Crypto.isHex64(signature)) {
                throw malformed("a chunk-signature is not 64 hex digits");
            }
        }
        int size = parseSize(sizeHex);
        int got = 0;
        while (got < size) {
            if (got == chunk.length) {
                grow(size);
            }
            int n = in.read(chunk, got, Math.min(chunk.length, size) - got);
            if (n < 0) {
                throw malformed("the body ended inside a chunk");
            }
            got += n;
        }
        if (size > 0 && !"".equals(readLine(true))) {
            throw malformed("a chunk's data is not followed by CRLF");
        }
        total += size;
        if (decodedLength >= 0 && total > decodedLength) {
            throw malformed("the chunks hold more than x-amz-decoded-content-length " + decodedLength);
        }
        if (signature != null) {
            MessageDigest sha = SigV4Crypto.sha256();
            sha.update(chunk, 0, size);
            String toSign = Signatures.chunkStringToSign(ctx.requestTime(), ctx.scope(), previousSignature,
                    SigV4Crypto.hex(sha.digest()));
            verifySignature(toSign, signature);
        }
        pos = 0;
        limit = size;
        if (size == 0) {
            finish();
        }
    }

    /** Doubles the chunk buffer (at most to {@code size}), reserving the growth before allocating it. */
    private void grow(int size) {
        int next = (int) Math.min(size, Math.max(FIRST_CHUNK_BUFFER, 2L * chunk.length));
        buffers.reserve(next);
        byte[] bigger = java.util.Arrays.copyOf(chunk, next);
        buffers.release(chunk.length);
        chunk = bigger;
    }

    private void verifySignature(String stringToSign, String given) {
        String expected = Signatures.sign(ctx.signingKey(), stringToSign);
        if (!SigV4Crypto.constantTimeEquals(expected, given.toLowerCase(Locale.ROOT))) {
            throw new SigV4Exception(SigV4Exception.Reason.CHUNK_SIGNATURE_DOES_NOT_MATCH,
                    "The chunk or trailer signature does not match");
        }
        previousSignature = expected;
    }

    private void finish() throws IOException {
        if (decodedLength >= 0 && total != decodedLength) {
            throw malformed("the chunks hold " + total + " bytes, x-amz-decoded-content-length says " + decodedLength);
        }
        if (mode == PayloadMode.STREAMING_SIGNED) {
            String end = readLine(true);
            if (end != null && !end.isEmpty()) {
                throw malformed("unexpected data after the final chunk");
            }
        } else {
            readTrailers();
        }
        if (in.read() != -1) {
            throw malformed("unexpected data after the end of the aws-chunked body");
        }
        finished = true;
    }

    private void readTrailers() throws IOException {
        boolean signedTrailer = mode == PayloadMode.STREAMING_SIGNED_TRAILER;
        ByteArrayOutputStream canonical = new ByteArrayOutputStream();
        String signature = null;
        int bytes = 0;
        while (true) {
            String line = readLine(false);
            if (line == null || (line.isEmpty() && (!signedTrailer || signature != null))) {
                break;
            }
            bytes += line.length() + 2;
            if (bytes > MAX_TRAILER_BYTES) {
                throw malformed("the trailer is too large");
            }
            if (line.isEmpty()) {
                continue; // some clients put an empty line before the trailer signature
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || signature != null) {
                throw malformed("a trailer line is not name:value, or follows the trailer signature");
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals(TRAILER_SIGNATURE)) {
                signature = value;
                continue;
            }
            trailers.put(name, value);
            canonical.writeBytes((name + ":" + value + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (signedTrailer) {
            if (signature == null || !SigV4Crypto.isHex64(signature)) {
                throw malformed("the signed trailer lacks a valid x-amz-trailer-signature");
            }
            String toSign = Signatures.trailerStringToSign(ctx.requestTime(), ctx.scope(), previousSignature,
                    SigV4Crypto.sha256Hex(canonical.toByteArray()));
            verifySignature(toSign, signature);
        }
    }

    private static int parseSize(String hex) {
        if (hex.isEmpty() || hex.length() > 8) {
            throw malformed("a chunk size is not 1 to 8 hex digits");
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) {
                throw malformed("a chunk size is not hex: " + hex);
            }
            size = size * 16 + d;
        }
        if (size > MAX_CHUNK_SIZE) {
            throw malformed("a chunk of " + size + " bytes is over the limit of " + MAX_CHUNK_SIZE);
        }
        return (int) size;
    }

    /**
     * Reads one line without its terminator; null at end of stream before any byte. With
     * {@code strictCrlf} the line must end in CRLF, otherwise a bare LF is accepted too.
     */
    private String readLine(boolean strictCrlf) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (line.isEmpty()) {
                    return null;
                }
                throw malformed("the body ended inside a line");
            }
            if (c == '\n') {
                boolean cr = !line.isEmpty() && line.charAt(line.length() - 1) == '\r';
                if (!cr && strictCrlf) {
                    throw malformed("a line ends in LF without CR");
                }
                return cr ? line.substring(0, line.length() - 1) : line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw malformed("a chunk header or trailer line is too long");
            }
            line.append((char) c);
        }
    }

    private static SigV4Exception malformed(String why) {
        return new SigV4Exception(SigV4Exception.Reason.MALFORMED_CHUNKED_BODY, "Malformed aws-chunked body: " + why);
    }
}
